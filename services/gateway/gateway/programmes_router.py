"""`/api/v1/programmes`: the national target programmes, their projects and sub-projects, and
the service that records each one's money (API.md section 11; no token).

Reference data like the admin units: the list is `mtqg_shared.programmes`, the same one the
services check a money entry's `project_code` against. Names are worded in the request's
language (Vietnamese as the decisions name them, or English). Each answer (a language and a
`service` filter) is made once per process and carries a strong ETag, a digest of its bytes,
so a phone that holds it gets 304 from the delivery layer until a release changes the list.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from functools import cache
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, Field

from gateway.views.schemas import ServiceName
from mtqg_shared.errors import language_headers, request_language
from mtqg_shared.openapi import release_cached
from mtqg_shared.pagination import Page
from mtqg_shared.programmes import PROGRAMMES, Programme

router = APIRouter(prefix="/api/v1/programmes", tags=["programmes"])
CACHE_CONTROL = "public, max-age=3600"


class DecisionRef(BaseModel):
    number: str = Field(description="The Prime Minister's decision, e.g. `90/QĐ-TTg`.")
    signed_on: dt.date = Field(description="The day it was signed.")


class ProjectItem(BaseModel):
    code: str = Field(description="The `project_code` money entries and capital plans carry.")
    name: str = Field(description="As the decision names it (or in English).")
    service: ServiceName | None = Field(
        description="The service that records the project's money; null when no service does "
        "(no money entry may name it)."
    )
    parent_code: str | None = Field(
        description="For a sub-project, the code of its project; null for a project."
    )


class ProgrammeItem(BaseModel):
    code: str = Field(description="`90`, `1719` or `263`, after the approving decision.")
    name: str
    decision: DecisionRef
    projects: list[ProjectItem] = Field(
        description="Every project in the decision's order, each followed by its sub-projects."
    )


def _item(programme: Programme, language: str, service: str | None) -> ProgrammeItem:
    return ProgrammeItem(
        code=programme.code,
        name=programme.name_in(language),
        decision=DecisionRef(
            number=programme.decision.number, signed_on=programme.decision.signed_on
        ),
        projects=[
            ProjectItem(
                code=p.code,
                name=p.name_in(language),
                service=p.service,
                parent_code=p.parent_code,
            )
            for p in programme.projects
            if service is None or p.service == service
        ],
    )


@cache
def _answer(language: str, service: str | None) -> tuple[bytes, str]:
    items = [_item(programme, language, service) for programme in PROGRAMMES]
    # Every programme is in the one answer: `next_cursor` is always null.
    page = Page[ProgrammeItem](items=[item for item in items if item.projects], next_cursor=None)
    body = page.model_dump_json().encode()
    return body, f'"{hashlib.blake2b(body, digest_size=8).hexdigest()}"'


@router.get(
    "",
    response_model=Page[ProgrammeItem],
    summary="The national target programmes and their projects (no token needed)",
    response_description="Programmes 90, 1719 and 263, each with its projects and sub-projects.",
    responses=release_cached(CACHE_CONTROL, "programme list"),
)
async def list_programmes(
    request: Request,
    service: Annotated[
        ServiceName | None,
        Query(
            description="Only the projects whose money this service records (and the "
            "programmes that have any)."
        ),
    ] = None,
) -> Response:
    language = request_language(request.scope)
    body, etag = _answer(language, service)
    headers = {"ETag": etag, "Cache-Control": CACHE_CONTROL, **language_headers(language)}
    # An If-None-Match that names the tag gets 304 from the delivery layer.
    return Response(body, media_type="application/json", headers=headers)
