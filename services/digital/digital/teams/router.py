"""/api/v1/digital/teams"""

from __future__ import annotations

import uuid

from fastapi import APIRouter
from fastapi.responses import Response

from digital.teams import service
from digital.teams.repository import teams
from digital.teams.schemas import TeamCreate, TeamRead, TeamUpdate
from digital.web import CHANGE, CREATE, READ
from mtqg_shared.auth import Reader
from mtqg_shared.fields import AreaFilter, GeographyFilter
from mtqg_shared.kit import (
    Change,
    Listing,
    Page,
    ReadSession,
    Write,
    answer,
    created,
    record,
    saved,
)

router = APIRouter(prefix=teams.collection, tags=["teams"])


@router.post(
    "",
    status_code=201,
    response_model=TeamRead,
    responses=CREATE,
    summary="Record a community digital technology team",
)
async def create_team(body: TeamCreate, ctx: Write) -> Response:
    team = await service.create(ctx, body)
    return await created(ctx, service.present(team), location=teams.location(team.id))


@router.get("", response_model=Page[TeamRead], responses=READ, summary="List teams")
async def list_teams(
    principal: Reader,
    session: ReadSession,
    listing: Listing,
    area_code: AreaFilter = None,
    geography: GeographyFilter = None,
) -> Response:
    page = await service.page(session, principal, listing, area_code=area_code, geography=geography)
    return answer(page)


@router.get("/{team_id}", response_model=TeamRead, responses=READ, summary="Read a team")
async def read_team(team_id: uuid.UUID, principal: Reader, session: ReadSession) -> Response:
    row = await service.read(session, principal, team_id)
    return record(service.present_row(row), row.version)


@router.patch(
    "/{team_id}", response_model=TeamRead, responses=CHANGE, summary="Change or move a team"
)
async def update_team(team_id: uuid.UUID, body: TeamUpdate, ctx: Change) -> Response:
    team = await service.update(ctx, team_id, body)
    return await saved(ctx, service.present(team), version=team.version)
