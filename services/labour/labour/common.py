"""What labour resources share beyond the shared library (`mtqg_shared.fields` holds the common
input types and documented headers): the prefix, the service's own text and number types, the
error answers of each kind of route, and the area filter of lists."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

from pydantic import Field
from sqlalchemy import ColumnElement, and_

from mtqg_shared.admin_units import NEW_PROVINCE_CODE
from mtqg_shared.areas import filter_area, in_area, readable, resolve_filter_area
from mtqg_shared.auth import Principal
from mtqg_shared.errors import Problem
from mtqg_shared.fields import STORABLE, bounded
from mtqg_shared.openapi import problems
from mtqg_shared.schemas import AreaRef

PREFIX = "/api/v1/labour"

ShortText = Annotated[str, bounded(1, 64), STORABLE]
LongText = Annotated[str, bounded(1, 400), STORABLE]
SearchText = Annotated[str, bounded(1, 100), STORABLE]
Count = Annotated[int, Field(ge=0, le=100_000_000, strict=True)]
Year = Annotated[int, Field(ge=1990, le=2100)]

# Beyond 401, 403 and 422 (every route) and 400 and 413 (every body): see mtqg_shared.openapi.
READ = problems(404)
CREATE = problems(409)
CHANGE = problems(404, 409, 412, 428)
STEP = problems(404, 409)


def invalid_many(errors: Sequence[tuple[str, str]]) -> Problem:
    return Problem(
        422,
        "; ".join(f"{f}: {m}" for f, m in errors),
        errors=[{"field": f, "message": m} for f, m in errors],
    )


def area_filter(
    principal: Principal,
    area_code: str | None,
    geography: str | None,
    commune_col: Any,
    legacy_commune_col: Any,
) -> tuple[ColumnElement[bool], AreaRef]:
    """What a list or report counts: the caller's readable records, inside `area_code` when
    given (404 when it lies wholly outside the caller's areas). The whole province when
    absent."""
    area = filter_area(principal, area_code, geography) or resolve_filter_area(
        principal, NEW_PROVINCE_CODE, None
    )
    condition = and_(
        readable(principal, commune_col), in_area(area, commune_col, legacy_commune_col)
    )
    return condition, AreaRef(code=area.code, name=area.name)
