"""`/api/v1/admin-units`: the administrative units before and after 2025-07-01 (no token)."""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from functools import cache
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel

from gateway.apidoc.problems import declared
from mtqg_shared.admin_units import Unit, admin_units
from mtqg_shared.errors import Problem, not_found, validation_problem
from mtqg_shared.messages import msg, word
from mtqg_shared.openapi import NOT_MODIFIED

router = APIRouter(prefix="/api/v1/admin-units", tags=["admin units"])
Geography = Literal["2025-01", "2025-07"]
Level = Literal["province", "district", "commune"]
_CACHE = {"Cache-Control": "public, max-age=3600"}


class AdminUnit(BaseModel):
    code: str
    name: str
    level: Level
    geography: Geography
    parent_code: str | None
    unit_type: str | None
    successor_code: str | None = None
    predecessor_codes: list[str] | None = None


class AdminUnitPage(BaseModel):
    items: list[AdminUnit]
    next_cursor: str | None


def _out(unit: Unit) -> AdminUnit:
    # successor_code / predecessor_codes appear only where they mean something (exclude_unset).
    item = AdminUnit(
        code=unit.code,
        name=unit.name,
        level=unit.level,
        geography=unit.geography,
        parent_code=unit.parent_code,
        unit_type=unit.unit_type,
    )
    if unit.successor_code is not None:
        item.successor_code = unit.successor_code
    if unit.predecessor_codes:
        item.predecessor_codes = list(unit.predecessor_codes)
    return item


def _sort_key(code: str) -> tuple[int, str]:
    # Codes of one level have one length, so (length, code) is by level, then by code.
    return len(code), code


@cache
def _listing(
    geography: str, parent_code: str | None, level: str | None
) -> tuple[list[tuple[int, str]], list[Unit]]:
    units = sorted(
        admin_units().list(geography, parent_code, level), key=lambda u: _sort_key(u.code)
    )
    return [_sort_key(u.code) for u in units], units


@router.get(
    "",
    response_model=AdminUnitPage,
    response_model_exclude_unset=True,
    summary="List administrative units (keyset by code)",
)
async def list_units(
    response: Response,
    geography: Annotated[Geography, Query(description="Which geography.")] = "2025-07",
    parent_code: Annotated[
        str | None, Query(pattern=r"^\d{2,3}$", description="Only children of this unit.")
    ] = None,
    level: Annotated[Level | None, Query(description="Only units of this level.")] = None,
    limit: Annotated[int, Query(ge=1, le=200, description="Page size.")] = 50,
    cursor: Annotated[
        str | None, Query(pattern=r"^\d{2,5}$", description="From `next_cursor`.")
    ] = None,
) -> AdminUnitPage:
    if parent_code is not None and admin_units().get(parent_code, geography) is None:
        raise validation_problem(
            "query.parent_code",
            "not_in_geography.level",
            level=word("unit"),
            code=parent_code,
            geography=geography,
        )
    keys, units = _listing(geography, parent_code, level)
    start = bisect_right(keys, _sort_key(cursor)) if cursor is not None else 0
    page = units[start : start + limit]
    more = start + limit < len(units)
    response.headers.update(_CACHE)
    return AdminUnitPage(
        items=[_out(u) for u in page],
        next_cursor=page[-1].code if more and page else None,
    )


@router.get(
    "/{code}",
    response_model=AdminUnit,
    response_model_exclude_unset=True,
    summary="Read one administrative unit, with its successor or predecessors",
    responses={**declared(404), **NOT_MODIFIED},
)
async def read_unit(
    code: str,
    response: Response,
    geography: Annotated[
        Geography | None,
        Query(
            description=(
                "Which geography. Without it, a code that exists in one geography only is "
                "answered from it; a code in both, from 2025-07."
            )
        ),
    ] = None,
) -> AdminUnit:
    plausible = code.isascii() and code.isdigit() and len(code) <= 5
    unit = None
    if plausible:
        units = admin_units()
        if geography is not None:
            unit = units.get(code, geography)
        else:
            unit = units.get(code, "2025-07") or units.get(code, "2025-01")
    if unit is None:
        # Echo the code only when it looks like one: an error never repeats arbitrary input.
        if not plausible:
            raise not_found("unit")
        if geography is None:
            raise Problem(404, msg("unit_unknown", code=code))
        raise Problem(404, msg("unit_unknown_in_geography", code=code, geography=geography))
    response.headers.update(_CACHE)
    response.headers["ETag"] = unit_etag(unit)
    return _out(unit)


def unit_etag(unit: Unit) -> str:
    """Reference data has no version: its tag is a digest of what is answered, so it changes
    exactly when a new release of the data changes the unit."""
    body = _out(unit).model_dump_json(exclude_unset=True).encode()
    return f'"{hashlib.blake2b(body, digest_size=8).hexdigest()}"'
