"""Outreach events: where and when a session was held, how many came, how many signed up."""

from __future__ import annotations

import datetime as dt
import uuid

from labour.common import audit_move
from labour.models import OutreachEvent
from labour.outreach.repository import events
from labour.outreach.schemas import OutreachEventCreate, OutreachEventRead, OutreachEventUpdate
from labour.partners.service import check_partner_exists
from mtqg_shared.areas import place_commune
from mtqg_shared.messages import msg, word
from mtqg_shared.rules import RuleViolation, check_not_future
from mtqg_shared.types import today_vn
from mtqg_shared.writes import WriteContext, diff, refuse_nulls

# Changed as sent; the commune and the figures have their own rules.
_PLAIN = ("held_on", "partner_id", "topic", "village", "participants", "registered_interest")


def present(event: OutreachEvent) -> OutreachEventRead:
    return OutreachEventRead.model_validate(event, from_attributes=True)


def _check(held_on: dt.date, participants: int, registered_interest: int) -> None:
    check_not_future(held_on, today_vn(), "body.held_on")
    if registered_interest > participants:
        raise RuleViolation("body.registered_interest", "over_cap.field", other="participants")


async def create_event(ctx: WriteContext, body: OutreachEventCreate) -> OutreachEvent:
    placed = place_commune(ctx.principal, body.commune_code, body.geography, body.held_on)
    _check(body.held_on, body.participants, body.registered_interest)
    await check_partner_exists(ctx.session, body.partner_id)
    event = OutreachEvent(
        id=await events.new_id(ctx.session, body.id),
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
    return await events.add(ctx, event, conflict=msg("id_taken", what=word("outreach event")))


async def update_event(
    ctx: WriteContext, event_id: uuid.UUID, body: OutreachEventUpdate
) -> OutreachEvent:
    """The event locked, If-Match checked, then changed; a move of commune is audited in
    both the old and the new commune."""
    event = await events.take(ctx, event_id)
    sent = body.model_fields_set
    refuse_nulls(body, events.required)
    if "geography" in sent and "commune_code" not in sent:
        raise RuleViolation("body.geography", "unknown_field.without", other="commune_code")
    values = {name: getattr(body, name) for name in (*_PLAIN, "notes") if name in sent}
    held_on = body.held_on if body.held_on is not None else event.held_on
    if body.commune_code is not None:
        placed = place_commune(ctx.principal, body.commune_code, body.geography, held_on)
        values["commune_code"] = placed.commune_code
        values["legacy_commune_code"] = placed.legacy_commune_code
        values["legacy_district_code"] = placed.legacy_district_code
    _check(
        held_on,
        values.get("participants", event.participants),
        values.get("registered_interest", event.registered_interest),
    )
    if "partner_id" in sent:
        await check_partner_exists(ctx.session, body.partner_id)
    old_communes = events.communes(event)
    before = events.snapshot(event)
    for name, value in values.items():
        setattr(event, name, value)
    audit_move(ctx, events, event, diff(before, events.snapshot(event)), old_communes)
    return event
