"""Partners are province-wide reference data: every reader sees them all, and only writers
whose areas cover the whole province create or change them (they lie in no commune, so no
commune officer holds all of them)."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import Request
from sqlalchemy.ext.asyncio import AsyncSession

from labour.models import Partner
from labour.partners.schemas import PartnerCreate, PartnerRead, PartnerUpdate
from mtqg_shared.auth import Principal
from mtqg_shared.errors import Problem
from mtqg_shared.rules import RuleViolation
from mtqg_shared.writes import (
    WriteContext,
    bump,
    check_if_match,
    diff,
    ensure_new_id,
    flush_or_conflict,
    refuse_nulls,
)

ENTITY = "partner"
_FIELDS = ("name", "kind", "licence_number", "address")


def require_province_writer(principal: Principal) -> None:
    if principal.communes is not None:
        raise Problem(403, "Partners are kept by writers whose areas cover the whole province.")


async def get_partner(session: AsyncSession, partner_id: uuid.UUID) -> Partner:
    partner = await session.get(Partner, partner_id)
    if partner is None:
        raise Problem(404, "No such partner.")
    return partner


async def check_partner_exists(session: AsyncSession, partner_id: uuid.UUID | None) -> None:
    """A record that names a partner must name one that exists (422 otherwise)."""
    if partner_id is not None and await session.get(Partner, partner_id) is None:
        raise RuleViolation("body.partner_id", "No such partner.")


def snapshot(partner: Partner) -> dict[str, Any]:
    return {name: getattr(partner, name) for name in _FIELDS}


def present(partner: Partner) -> PartnerRead:
    return PartnerRead.model_validate(partner)


async def create_partner(ctx: WriteContext, body: PartnerCreate) -> Partner:
    require_province_writer(ctx.principal)
    partner = Partner(
        id=await ensure_new_id(ctx.session, Partner, body.id, "partner"),
        created_by=ctx.principal.key,
        version=1,
        name=body.name,
        kind=body.kind,
        licence_number=body.licence_number,
        address=body.address,
    )
    ctx.session.add(partner)
    await flush_or_conflict(ctx.session, "A record with this id already exists.")
    ctx.audit("create", ENTITY, partner.id, diff({}, snapshot(partner)))
    return partner


async def update_partner(
    ctx: WriteContext, request: Request, partner: Partner, body: PartnerUpdate
) -> Partner:
    require_province_writer(ctx.principal)
    check_if_match(request, partner.version)
    sent = body.model_fields_set
    refuse_nulls(body, ("name", "kind"))
    before = snapshot(partner)
    for name in _FIELDS:
        if name in sent:
            setattr(partner, name, getattr(body, name))
    changes = diff(before, snapshot(partner))
    if changes:
        bump(partner)
        ctx.audit("update", ENTITY, partner.id, changes)
    return partner
