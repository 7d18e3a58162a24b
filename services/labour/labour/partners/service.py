"""Partners are province-wide reference data: every reader sees them all, and only writers
whose areas cover the whole province create or change them (they lie in no commune, so no
commune officer holds all of them)."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from labour.models import Partner
from labour.partners import repository as repo
from labour.partners.repository import partners
from labour.partners.schemas import PartnerCreate, PartnerRead, PartnerUpdate
from mtqg_shared.auth import Principal
from mtqg_shared.errors import Problem
from mtqg_shared.messages import msg, word
from mtqg_shared.rules import RuleViolation
from mtqg_shared.writes import WriteContext


def require_province_writer(principal: Principal) -> None:
    if principal.communes is not None:
        raise Problem(403, msg("forbidden.partners_province"))


async def check_partner_exists(session: AsyncSession, partner_id: uuid.UUID | None) -> None:
    """A record that names a partner must name one that exists (422 otherwise)."""
    if partner_id is not None and not await repo.exists(session, partner_id):
        raise RuleViolation("body.partner_id", "not_found", what=word("partner"))


def present(partner: Partner) -> PartnerRead:
    return PartnerRead.model_validate(partner)


async def create_partner(ctx: WriteContext, body: PartnerCreate) -> Partner:
    require_province_writer(ctx.principal)
    partner = Partner(
        id=await partners.new_id(ctx.session, body.id),
        created_by=ctx.principal.key,
        version=1,
        name=body.name,
        kind=body.kind,
        licence_number=body.licence_number,
        address=body.address,
    )
    return await partners.add(ctx, partner, conflict=msg("id_taken", what=word("partner")))


async def update_partner(ctx: WriteContext, partner_id: uuid.UUID, body: PartnerUpdate) -> Partner:
    require_province_writer(ctx.principal)
    partner = await partners.take(ctx, partner_id)
    partners.apply(ctx, partner, body)
    return partner
