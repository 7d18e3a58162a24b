"""Partners are province-wide reference data: every reader sees them all, and only writers
whose areas cover the whole province create or change them (they lie in no commune, so no
commune officer holds all of them)."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import Request
from sqlalchemy.ext.asyncio import AsyncSession

from labour.common import flush_or_conflict, invalid, refuse_taken_id
from labour.models import Partner
from labour.partners.schemas import PartnerCreate, PartnerRead, PartnerUpdate
from mtqg_shared.auth import Principal
from mtqg_shared.errors import Problem
from mtqg_shared.types import utcnow
from mtqg_shared.writes import WriteContext, check_if_match, diff

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
        raise invalid("body.partner_id", "No such partner.")


def snapshot(partner: Partner) -> dict[str, Any]:
    return {name: getattr(partner, name) for name in _FIELDS}


def present(partner: Partner) -> PartnerRead:
    return PartnerRead.model_validate(partner)


async def create_partner(ctx: WriteContext, body: PartnerCreate) -> Partner:
    require_province_writer(ctx.principal)
    await refuse_taken_id(ctx, Partner, body.id)
    now = utcnow()
    partner = Partner(
        created_at=now,
        updated_at=now,
        created_by=ctx.principal.key,
        version=1,
        name=body.name,
        kind=body.kind,
        licence_number=body.licence_number,
        address=body.address,
    )
    if body.id is not None:
        partner.id = body.id
    ctx.session.add(partner)
    await flush_or_conflict(ctx, "A record with this id already exists.")
    ctx.audit("create", ENTITY, partner.id, diff({}, snapshot(partner)))
    return partner


async def update_partner(
    ctx: WriteContext, request: Request, partner: Partner, body: PartnerUpdate
) -> Partner:
    require_province_writer(ctx.principal)
    check_if_match(request, partner.version)
    sent = body.model_fields_set
    for name in ("name", "kind"):
        if name in sent and getattr(body, name) is None:
            raise invalid(f"body.{name}", f"{name} cannot be null.")
    before = snapshot(partner)
    for name in _FIELDS:
        if name in sent:
            setattr(partner, name, getattr(body, name))
    changes = diff(before, snapshot(partner))
    if changes:
        partner.version += 1
        partner.updated_at = utcnow()
        ctx.audit("update", ENTITY, partner.id, changes)
    return partner
