"""Reading the norms, and setting one (province-wide admins only: a norm binds every
commune)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from itertools import pairwise

from fastapi import Request
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from housing.domain.vocabulary import BeneficiaryGroup, SupportType
from housing.models import Norm
from housing.norms.schemas import NormPut, NormRead
from mtqg_shared.admin_units import admin_units
from mtqg_shared.auth import Principal
from mtqg_shared.errors import Problem
from mtqg_shared.pagination import ListParams, keyset, page_of
from mtqg_shared.writes import WriteContext, bump, check_if_match, diff, etag, flush_or_conflict


async def _next_starts(session: AsyncSession) -> dict[uuid.UUID, dt.date]:
    """For each norm, the date the next norm of its group and type starts (few rows)."""
    rows = (
        await session.execute(
            select(Norm.id, Norm.beneficiary_group, Norm.support_type, Norm.valid_from).order_by(
                Norm.beneficiary_group, Norm.support_type, Norm.valid_from
            )
        )
    ).all()
    following: dict[uuid.UUID, dt.date] = {}
    for current, after in pairwise(rows):
        if (current[1], current[2]) == (after[1], after[2]):
            following[current[0]] = after[3]
    return following


def to_read(norm: Norm, next_start: dt.date | None) -> NormRead:
    return NormRead(
        id=norm.id,
        created_at=norm.created_at,
        updated_at=norm.updated_at,
        created_by=norm.created_by,
        version=norm.version,
        beneficiary_group=norm.beneficiary_group,
        support_type=norm.support_type,
        amount_vnd=norm.amount_vnd,
        valid_from=norm.valid_from,
        valid_until=next_start - dt.timedelta(days=1) if next_start else None,
        basis=norm.basis,
    )


async def page(
    session: AsyncSession,
    listing: ListParams,
    beneficiary_group: BeneficiaryGroup | None,
    support_type: SupportType | None,
) -> tuple[list[NormRead], str | None]:
    stmt = select(Norm)
    if beneficiary_group is not None:
        stmt = stmt.where(Norm.beneficiary_group == beneficiary_group.value)
    if support_type is not None:
        stmt = stmt.where(Norm.support_type == support_type.value)
    rows: Sequence[Norm] = (
        await session.scalars(keyset(stmt, listing, Norm.created_at, Norm.updated_at, Norm.id))
    ).all()
    items, cursor = page_of(rows, listing)
    following = await _next_starts(session)
    return [to_read(n, following.get(n.id)) for n in items], cursor


def _snapshot(norm: Norm) -> dict[str, object]:
    return {
        "beneficiary_group": norm.beneficiary_group,
        "support_type": norm.support_type,
        "valid_from": norm.valid_from,
        "amount_vnd": norm.amount_vnd,
        "basis": norm.basis,
    }


async def put(
    ctx: WriteContext,
    principal: Principal,
    request: Request,
    beneficiary_group: BeneficiaryGroup,
    support_type: SupportType,
    body: NormPut,
) -> Response:
    if principal.communes is not None:
        raise Problem(403, "Norms bind the whole province: setting one needs an admin of 15.")
    session = ctx.session
    norm = (
        await session.scalars(
            select(Norm)
            .where(
                Norm.beneficiary_group == beneficiary_group.value,
                Norm.support_type == support_type.value,
                Norm.valid_from == body.valid_from,
            )
            .with_for_update()
        )
    ).first()
    communes = admin_units().all_current_communes
    if norm is None:
        norm = Norm(
            id=uuid.uuid4(),
            created_by=principal.key,
            beneficiary_group=beneficiary_group.value,
            support_type=support_type.value,
            valid_from=body.valid_from,
            amount_vnd=body.amount_vnd,
            basis=body.basis,
        )
        session.add(norm)
        await flush_or_conflict(session, "This norm was set meanwhile; send it again.")
        ctx.audit("create", "norm", norm.id, diff({}, _snapshot(norm)), communes)
        status = 201
    else:
        # If-Match is optional on PUT (it replaces by key), but a stale one is refused.
        if request.headers.get("if-match") is not None:
            check_if_match(request, norm.version)
        before = _snapshot(norm)
        norm.amount_vnd = body.amount_vnd
        if "basis" in body.model_fields_set:
            norm.basis = body.basis
        changes = diff(before, _snapshot(norm))
        if changes:
            bump(norm)
            ctx.audit("update", "norm", norm.id, changes, communes)
            await session.flush()
        status = 200
    following = await _next_starts(session)
    return await ctx.commit(
        to_read(norm, following.get(norm.id)), status=status, headers=etag(norm.version)
    )
