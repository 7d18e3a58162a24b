"""Outreach events as a resource: every query about them."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from labour import queries
from labour.common import PREFIX, columns_for
from labour.domain.overview import year_bounds
from labour.models import OutreachEvent
from labour.outreach.schemas import OutreachEventRead
from labour.queries import AnyRow, AnySelect
from mtqg_shared.admin_units import Area
from mtqg_shared.auth import Principal
from mtqg_shared.kit import InCommune, ListParams, Resource
from mtqg_shared.pagination import page_of

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


# Reads load plain rows of exactly what an event's answer shows, from statements built once
# (per shape, for a list): a request passes only values.
_e = OutreachEvent.__table__
_ANSWER: AnySelect = select(*columns_for(_e, OutreachEventRead))
_BY_ID: AnySelect = _ANSWER.where(_e.c.id == bindparam("id"))


def _page(shape: Any) -> AnySelect:
    areas, filters, in_year, keys = shape
    stmt = _ANSWER.where(*queries.areas(areas, _e.c.commune_code, _e.c.legacy_commune_code))
    stmt = queries.where_given(stmt, filters, (_e.c.partner_id,))
    if in_year:
        stmt = stmt.where(_e.c.held_on.between(bindparam("first"), bindparam("last_day")))
    return queries.keyed(stmt, keys, _e.c.created_at, _e.c.updated_at, _e.c.id)


_PAGE = queries.Shaped(_page)


async def page(
    session: AsyncSession,
    principal: Principal,
    listing: ListParams,
    *,
    area: Area | None,
    partner_id: uuid.UUID | None,
    year: int | None,
) -> tuple[list[AnyRow], str | None]:
    areas, values = queries.area_shape(principal, area)
    filters, given = queries.given(("partner_id", partner_id))
    keys, bounds = queries.page_shape(listing)
    values |= given | bounds
    if year is not None:
        values["first"], values["last_day"] = year_bounds(year)
    stmt = _PAGE((areas, filters, year is not None, keys))
    return page_of((await session.execute(stmt, values)).all(), listing)


async def read(session: AsyncSession, principal: Principal, event_id: uuid.UUID) -> AnyRow:
    """The event's answer row; 404 when missing or outside the caller's areas."""
    row = (await session.execute(_BY_ID, {"id": event_id})).first()
    if row is None or not events.area.may_read(principal, row):
        raise events.not_found()
    return row
