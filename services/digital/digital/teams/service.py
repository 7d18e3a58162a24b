"""Teams: where, since when, how many members."""

from __future__ import annotations

import uuid

from digital.models import Team
from digital.teams.repository import reads, teams
from digital.teams.schemas import TeamCreate, TeamRead, TeamUpdate
from mtqg_shared.kit import WriteContext
from mtqg_shared.kit.placed import create_placed, update_placed

_FIELDS = ("village", "established_on", "members")

present_row = reads.present_row
read = reads.read
page = reads.page


def present(team: Team) -> TeamRead:
    return TeamRead.model_validate(team)


async def create(ctx: WriteContext, body: TeamCreate) -> Team:
    team: Team = await create_placed(ctx, teams, body, _FIELDS, dated="established_on")
    return team


async def update(ctx: WriteContext, team_id: uuid.UUID, body: TeamUpdate) -> Team:
    team: Team = await update_placed(ctx, teams, team_id, body, _FIELDS, dated="established_on")
    return team
