"""Reading the norms, and setting one (province-wide admins only: a norm binds every
commune)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from housing.cases import repository as case_repo
from housing.domain.vocabulary import BeneficiaryGroup, SupportType
from housing.models import Norm
from housing.norms import repository as repo
from housing.norms.repository import norms
from housing.norms.schemas import NormPage, NormPut, NormRead
from mtqg_shared.admin_units import NEW_PROVINCE_CODE
from mtqg_shared.errors import Problem
from mtqg_shared.kit.present import present as from_record
from mtqg_shared.messages import msg
from mtqg_shared.types import new_id
from mtqg_shared.writes import WriteContext


def _until(next_start: dt.date | None) -> dt.date | None:
    return next_start - dt.timedelta(days=1) if next_start else None


def present(norm: Norm, next_start: dt.date | None) -> NormRead:
    return from_record(NormRead, norm, valid_until=_until(next_start))


def present_row(row: Mapping[str, Any]) -> NormRead:
    """A norm row (with `next_start`) as its answer."""
    return NormRead.model_validate({**row, "valid_until": _until(row["next_start"])})


def page(rows: Iterable[Mapping[str, Any]], cursor: str | None) -> NormPage:
    """A page of norm rows (each with `next_start`), validated once."""
    items = [{**row, "valid_until": _until(row["next_start"])} for row in rows]
    return NormPage.model_validate({"items": items, "next_cursor": cursor})


async def put(
    ctx: WriteContext,
    beneficiary_group: BeneficiaryGroup,
    support_type: SupportType,
    body: NormPut,
) -> tuple[Norm, bool]:
    """Set the norm from `body.valid_from`; answer it and whether it is new. A PUT replaces
    by key, so If-Match is optional here, but a stale one is refused (412)."""
    if ctx.principal.communes is not None:
        raise Problem(403, msg("forbidden.norms_province", province=NEW_PROVINCE_CODE))
    case_repo.forget_norms(ctx)  # the norms this write read are no longer the norms
    norm = await repo.at(ctx.session, beneficiary_group, support_type, body.valid_from)
    if norm is None:
        norm = Norm(
            id=new_id(),
            created_by=ctx.principal.key,
            beneficiary_group=beneficiary_group.value,
            support_type=support_type.value,
            valid_from=body.valid_from,
            amount_vnd=body.amount_vnd,
            basis=body.basis,
        )
        await norms.add(ctx, norm, conflict=msg("norm_set_meanwhile"))
        # The norm it follows now ends the day before it: that norm answers otherwise too.
        previous = await repo.before(ctx.session, norm)
        if previous is not None:
            ctx.touch(norms, previous)
        await _touch_cases(ctx, norm)
        return norm, True
    norms.require_writable(ctx.principal, norm)
    if ctx.if_match is not None:
        ctx.check_version(norm.version)
    amount = norm.amount_vnd
    norms.apply(ctx, norm, body, fields=("amount_vnd", "basis"))
    await ctx.session.flush()
    if norm.amount_vnd != amount:
        await _touch_cases(ctx, norm)
    return norm, False


async def _touch_cases(ctx: WriteContext, norm: Norm) -> None:
    """Every case whose `norm_vnd` is now this norm's amount answers otherwise: each gets its
    change in the feed (a norm is set a few times a year; a province has thousands of cases)."""
    for case in await case_repo.normed_by(ctx.session, norm):
        ctx.touch(case_repo.cases, case)
