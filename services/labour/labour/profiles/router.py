"""`/api/v1/labour/commune-profiles`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from labour.common import READ, Year
from labour.profiles import service
from labour.profiles.repository import profiles
from labour.profiles.schemas import ProfilePut, ProfileRead
from mtqg_shared.areas import filter_area
from mtqg_shared.auth import Reader
from mtqg_shared.fields import AreaFilter, GeographyFilter
from mtqg_shared.kit import Change, Listing, Page, ReadSession, answer, created, record, saved
from mtqg_shared.openapi import problems
from mtqg_shared.schemas import Geography

router = APIRouter(prefix=profiles.collection, tags=["commune profiles"])

CommunePath = Annotated[str, Path(pattern=r"^[0-9]{5}$", description="In the profile's geography.")]
YearPath = Annotated[int, Path(ge=1990, le=2100)]


@router.put(
    "/{commune_code}/{year}",
    response_model=ProfileRead,
    responses={
        201: {"description": "Created", "model": ProfileRead},
        **problems(409, 412),
    },
    summary="Create or replace a commune's labour profile for a year",
)
async def put(commune_code: CommunePath, year: YearPath, body: ProfilePut, ctx: Change) -> Response:
    profile, new = await service.put(ctx, commune_code, year, body)
    if new:
        location = service.location(commune_code, year, profile.geography)
        return await created(ctx, service.present(profile), location=location)
    return await saved(ctx, service.present(profile), version=profile.version)


@router.get("", response_model=Page[ProfileRead], responses=READ, summary="List commune profiles")
async def list_profiles(
    principal: Reader,
    session: ReadSession,
    listing: Listing,
    area_code: AreaFilter = None,
    geography: GeographyFilter = None,
    year: Annotated[Year | None, Query()] = None,
) -> Response:
    area = filter_area(principal, area_code, geography)
    return answer(await service.page(session, principal, listing, area=area, year=year))


@router.get(
    "/{commune_code}/{year}",
    response_model=ProfileRead,
    responses=READ,
    summary="Read a commune's labour profile for a year",
)
async def read(
    principal: Reader,
    session: ReadSession,
    commune_code: CommunePath,
    year: YearPath,
    geography: Annotated[Geography | None, Query()] = None,
) -> Response:
    row = await service.read(session, principal, commune_code, year, geography)
    return record(service.present_row(row), row.version)
