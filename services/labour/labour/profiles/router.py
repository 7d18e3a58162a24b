"""`/api/v1/labour/commune-profiles`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response
from sqlalchemy import select

from labour.common import PREFIX, READ, Year, area_filter
from labour.models import CommuneProfile
from labour.profiles import service
from labour.profiles.schemas import ProfilePage, ProfilePut, ProfileRead
from mtqg_shared.auth import Reader, Writer
from mtqg_shared.fields import AreaFilter, GeographyFilter, IfMatch
from mtqg_shared.openapi import problems
from mtqg_shared.pagination import Listing, keyset, page_of
from mtqg_shared.schemas import Geography
from mtqg_shared.writes import Write, etag

router = APIRouter(prefix=f"{PREFIX}/commune-profiles", tags=["commune profiles"])

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
async def put(
    request: Request,
    _: Writer,
    commune_code: CommunePath,
    year: YearPath,
    body: ProfilePut,
    ctx: Write,
    _if_match: IfMatch = None,
) -> Response:
    profile, created = await service.put(ctx, request, commune_code, year, body)
    return await ctx.commit(
        service.to_read(profile), status=201 if created else 200, headers=etag(profile.version)
    )


@router.get(
    "", response_model=ProfilePage, responses=problems(404), summary="List commune profiles"
)
async def list_profiles(
    request: Request,
    principal: Reader,
    listing: Listing,
    area_code: AreaFilter = None,
    geography: GeographyFilter = None,
    year: Annotated[Year | None, Query()] = None,
) -> ProfilePage:
    condition, _area = area_filter(
        principal,
        area_code,
        geography,
        CommuneProfile.commune_code,
        CommuneProfile.legacy_commune_code,
    )
    stmt = select(CommuneProfile).where(condition)
    if year is not None:
        stmt = stmt.where(CommuneProfile.year == year)
    stmt = keyset(
        stmt, listing, CommuneProfile.created_at, CommuneProfile.updated_at, CommuneProfile.id
    )
    async with request.app.state.db.session(write=False) as session:
        rows = (await session.execute(stmt)).scalars().all()
    items, cursor = page_of(rows, listing)
    return ProfilePage(items=[service.to_read(p) for p in items], next_cursor=cursor)


@router.get(
    "/{commune_code}/{year}",
    response_model=ProfileRead,
    responses=READ,
    summary="Read a commune's labour profile for a year",
)
async def read(
    request: Request,
    response: Response,
    principal: Reader,
    commune_code: CommunePath,
    year: YearPath,
    geography: Annotated[Geography | None, Query()] = None,
) -> ProfileRead:
    async with request.app.state.db.session(write=False) as session:
        profile = await service.readable_profile(session, principal, commune_code, year, geography)
    response.headers.update(etag(profile.version))
    return service.to_read(profile)
