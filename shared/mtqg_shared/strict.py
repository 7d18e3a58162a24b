"""Unknown query parameters are 422, never silently ignored; a JSON route reads JSON only."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.dependencies.models import Dependant
from pydantic import BaseModel

from mtqg_shared.errors import Problem, field_error
from mtqg_shared.messages import msg

_ALLOWED_CACHE: dict[int, frozenset[str]] = {}


def query_names(dependant: Dependant) -> frozenset[str]:
    names: set[str] = set()
    stack = [dependant]
    while stack:
        current = stack.pop()
        for field in current.query_params:
            annotation: Any = field.field_info.annotation
            if isinstance(annotation, type) and issubclass(annotation, BaseModel):
                for name, info in annotation.model_fields.items():
                    names.add(info.alias or name)
            else:
                names.add(field.alias)
        stack.extend(current.dependencies)
    return frozenset(names)


async def reject_unknown_query(request: Request) -> None:
    if not request.scope.get("query_string"):
        return
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    if dependant is None:
        return
    allowed = _ALLOWED_CACHE.get(id(route))
    if allowed is None:
        allowed = _ALLOWED_CACHE[id(route)] = query_names(dependant)
    unknown = sorted({k for k in request.query_params if k not in allowed})
    if unknown:
        raise Problem(
            422,
            msg("unknown_query", names=unknown[:10]),
            errors=[field_error(f"query.{name}", "unknown_field.parameter") for name in unknown],
        )


def _has_body(request: Request) -> bool:
    length = request.headers.get("content-length")
    if length is not None:
        return length.strip() not in ("", "0")
    return "transfer-encoding" in request.headers


async def json_body_only(request: Request) -> None:
    """A body sent to a JSON route is declared JSON (`application/json` or `+json`), else 415:
    plain text, form data, or a body with no content type at all."""
    if request.method not in ("POST", "PUT", "PATCH"):
        return
    declared = request.headers.get("content-type")
    if declared is None:
        if _has_body(request):
            raise Problem(415, msg("body_untyped"))
        return  # no body: validation says what is missing
    media = declared.split(";", 1)[0].strip().lower()
    if media != "application/json" and not (
        media.startswith("application/") and media.endswith("+json")
    ):
        raise Problem(415, msg("body_not_json", media=media or "-"))
