"""Outreach events as a resource: every query about them."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import bindparam
from sqlalchemy.ext.asyncio import AsyncSession

from labour.common import PREFIX, columns_for
from labour.domain.overview import year_bounds
from labour.models import OutreachEvent
from labour.outreach.schemas import OutreachEventRead
from mtqg_shared.admin_units import Area
from mtqg_shared.auth import Principal
from mtqg_shared.kit import InCommune, ListParams, Resource
from mtqg_shared.kit.rows import AnyRow, AreaConditions, Equal, Params, Rows

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
    dated="held_on",
    counted=("commune_code", "legacy_commune_code", "participants", "registered_interest"),
    prefix=PREFIX,
    path="outreach-events",
)


# Reads load plain rows of exactly what an event's answer shows, from statements built once:
# a request passes only values.
_e = OutreachEvent.__table__
_ROWS = Rows(events, columns_for(_e, OutreachEventRead))
_AREA = AreaConditions.in_commune(_e.c.commune_code, _e.c.legacy_commune_code)
_FILTERS = Equal(_e.c.partner_id)
_IN_YEAR = _e.c.held_on.between(
    bindparam("first", type_=_e.c.held_on.type), bindparam("last_day", type_=_e.c.held_on.type)
)


async def page(
    session: AsyncSession,
    principal: Principal,
    listing: ListParams,
    *,
    area: Area | None,
    partner_id: uuid.UUID | None,
    year: int | None,
) -> tuple[list[dict[str, Any]], str | None]:
    params: Params = {}
    conditions = _AREA.where(principal, area, params)
    _FILTERS.add(conditions, params, partner_id=partner_id)
    if year is not None:
        conditions.append(_IN_YEAR)
        params["first"], params["last_day"] = year_bounds(year)
    return await _ROWS.page(session, listing, conditions, params)


async def read(session: AsyncSession, principal: Principal, event_id: uuid.UUID) -> AnyRow:
    """The event's answer row; 404 when missing or outside the caller's areas."""
    return await _ROWS.read(session, principal, event_id)
