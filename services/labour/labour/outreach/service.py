"""Outreach events: where and when a session was held, how many came, how many signed up."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from fastapi import Request
from sqlalchemy.ext.asyncio import AsyncSession

from labour.models import OutreachEvent
from labour.outreach.schemas import (
    REQUIRED_ON_UPDATE,
    OutreachEventCreate,
    OutreachEventRead,
    OutreachEventUpdate,
)
from labour.partners.service import check_partner_exists
from mtqg_shared.areas import place_commune, require_writable
from mtqg_shared.auth import Principal
from mtqg_shared.errors import Problem
from mtqg_shared.rules import RuleViolation
from mtqg_shared.types import today_vn
from mtqg_shared.writes import (
    WriteContext,
    bump,
    check_if_match,
    diff,
    ensure_new_id,
    flush_or_conflict,
    refuse_nulls,
)

ENTITY = "outreach_event"
_FIELDS = (
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
)


def snapshot(event: OutreachEvent) -> dict[str, Any]:
    return {name: getattr(event, name) for name in _FIELDS}


def present(event: OutreachEvent) -> OutreachEventRead:
    return OutreachEventRead.model_validate(event, from_attributes=True)


async def readable_event(
    session: AsyncSession, principal: Principal, event_id: uuid.UUID
) -> OutreachEvent:
    event = await session.get(OutreachEvent, event_id)
    if event is None or not principal.can_read_any([event.commune_code]):
        raise Problem(404, "No such outreach event.")
    return event


def _check(held_on: dt.date, participants: int, registered_interest: int) -> None:
    if held_on > today_vn():
        raise RuleViolation("body.held_on", "held_on cannot be in the future.")
    if registered_interest > participants:
        raise RuleViolation(
            "body.registered_interest", "registered_interest cannot exceed participants."
        )


async def create_event(ctx: WriteContext, body: OutreachEventCreate) -> OutreachEvent:
    placed = place_commune(ctx.principal, body.commune_code, body.geography, body.held_on)
    _check(body.held_on, body.participants, body.registered_interest)
    await check_partner_exists(ctx.session, body.partner_id)
    event = OutreachEvent(
        id=await ensure_new_id(ctx.session, OutreachEvent, body.id, "outreach event"),
        created_by=ctx.principal.key,
        version=1,
        commune_code=placed.commune_code,
        legacy_commune_code=placed.legacy_commune_code,
        legacy_district_code=placed.legacy_district_code,
        held_on=body.held_on,
        partner_id=body.partner_id,
        topic=body.topic,
        village=body.village,
        participants=body.participants,
        registered_interest=body.registered_interest,
        notes=body.notes,
    )
    ctx.session.add(event)
    await flush_or_conflict(ctx.session, "A record with this id already exists.")
    ctx.audit("create", ENTITY, event.id, diff({}, snapshot(event)), [event.commune_code])
    return event


async def update_event(
    ctx: WriteContext, request: Request, event: OutreachEvent, body: OutreachEventUpdate
) -> OutreachEvent:
    require_writable(ctx.principal, [event.commune_code], "outreach event")
    check_if_match(request, event.version)
    sent = body.model_fields_set
    refuse_nulls(body, REQUIRED_ON_UPDATE)
    if "geography" in sent and "commune_code" not in sent:
        raise RuleViolation("body.geography", "geography is given only with commune_code.")
    before = snapshot(event)
    old_commune = event.commune_code
    held_on = body.held_on if body.held_on is not None else event.held_on
    if body.commune_code is not None:
        placed = place_commune(ctx.principal, body.commune_code, body.geography, held_on)
        event.commune_code = placed.commune_code
        event.legacy_commune_code = placed.legacy_commune_code
        event.legacy_district_code = placed.legacy_district_code
    participants = body.participants if body.participants is not None else event.participants
    interest = (
        body.registered_interest
        if body.registered_interest is not None
        else event.registered_interest
    )
    _check(held_on, participants, interest)
    if "partner_id" in sent:
        await check_partner_exists(ctx.session, body.partner_id)
    for name in (
        "held_on",
        "partner_id",
        "topic",
        "village",
        "participants",
        "registered_interest",
        "notes",
    ):
        if name in sent:
            setattr(event, name, getattr(body, name))
    changes = diff(before, snapshot(event))
    if changes:
        bump(event)
        ctx.audit("update", ENTITY, event.id, changes, {old_commune, event.commune_code})
    return event
