"""Outreach events as a resource: every query about them."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from labour.common import PREFIX
from labour.domain.overview import year_bounds
from labour.models import OutreachEvent
from mtqg_shared.admin_units import Area
from mtqg_shared.auth import Principal
from mtqg_shared.kit import InCommune, ListParams, Resource

events = Resource(
    OutreachEvent,
    "outreach event",
    area=InCommune(OutreachEvent.commune_code, OutreachEvent.legacy_commune_code),
    audited=(
        "commune_code",
        "legacy_commune_code",
        "legacy_district_code",
        "held_on",
        "partner_id",
        "topic",
        "village",
        "participants",
        "registered_interest",
        "notes",
    ),
    required=("commune_code", "held_on", "topic", "participants", "registered_interest"),
    prefix=PREFIX,
    path="outreach-events",
)


async def page(
    session: AsyncSession,
    principal: Principal,
    listing: ListParams,
    *,
    area: Area | None,
    partner_id: uuid.UUID | None,
    year: int | None,
) -> tuple[list[OutreachEvent], str | None]:
    stmt = events.visible(principal, area)
    if partner_id is not None:
        stmt = stmt.where(OutreachEvent.partner_id == partner_id)
    if year is not None:
        stmt = stmt.where(OutreachEvent.held_on.between(*year_bounds(year)))
    return await events.page(session, stmt, listing)
