"""Every query about cases: lookups, lists, and the per-case funding sums and norms that a
case's answer carries."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from housing.domain import funding
from housing.domain.norms import Norm as NormFacts
from housing.domain.status import OPEN
from housing.models import Case, CaseTransition, FundingEntry, Norm
from mtqg_shared.admin_units import Area
from mtqg_shared.areas import in_area, readable
from mtqg_shared.auth import Principal
from mtqg_shared.pagination import ListParams, keyset


async def get(
    session: AsyncSession, case_id: uuid.UUID, *, for_update: bool = False
) -> Case | None:
    stmt = select(Case).where(Case.id == case_id)
    if for_update:
        # PostgreSQL: serialise writers of one case (SQLite writers are serialised already).
        stmt = stmt.with_for_update()
    return (await session.scalars(stmt)).first()


async def open_case_of(session: AsyncSession, household_code: str) -> Case | None:
    stmt = select(Case).where(Case.household_code == household_code, Case.status.in_(OPEN))
    return (await session.scalars(stmt.limit(1))).first()


@dataclass(frozen=True, slots=True)
class CaseFilters:
    area: Area | None = None
    status: str | None = None
    beneficiary_group: str | None = None
    support_type: str | None = None
    household_code: str | None = None


async def page(
    session: AsyncSession, principal: Principal, filters: CaseFilters, listing: ListParams
) -> Sequence[Case]:
    stmt = select(Case).where(readable(principal, Case.commune_code))
    if filters.area is not None:
        stmt = stmt.where(in_area(filters.area, Case.commune_code, Case.legacy_commune_code))
    if filters.status is not None:
        stmt = stmt.where(Case.status == filters.status)
    if filters.beneficiary_group is not None:
        stmt = stmt.where(Case.beneficiary_group == filters.beneficiary_group)
    if filters.support_type is not None:
        stmt = stmt.where(Case.support_type == filters.support_type)
    if filters.household_code is not None:
        stmt = stmt.where(Case.household_code == filters.household_code)
    stmt = keyset(stmt, listing, Case.created_at, Case.updated_at, Case.id)
    return (await session.scalars(stmt)).all()


async def funding_of(
    session: AsyncSession, case_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, dict[str, int]]:
    """Each case's funding by source (every source a key), in one grouped query."""
    sums: dict[uuid.UUID, list[tuple[str, int]]] = defaultdict(list)
    if case_ids:
        stmt = (
            select(FundingEntry.case_id, FundingEntry.source, func.sum(FundingEntry.amount_vnd))
            .where(FundingEntry.case_id.in_(case_ids))
            .group_by(FundingEntry.case_id, FundingEntry.source)
        )
        for case_id, source, amount in (await session.execute(stmt)).all():
            sums[case_id].append((source, int(amount or 0)))
    return {case_id: funding.by_source(sums.get(case_id, ())) for case_id in case_ids}


async def norms(session: AsyncSession) -> list[NormFacts]:
    """All norms: a few dozen rows of reference data, read whole to pick the one in force."""
    rows = (await session.scalars(select(Norm))).all()
    return [
        NormFacts(n.beneficiary_group, n.support_type, n.valid_from, n.amount_vnd, n.basis)
        for n in rows
    ]


async def transitions_page(
    session: AsyncSession, case_id: uuid.UUID, listing: ListParams
) -> Sequence[CaseTransition]:
    stmt = select(CaseTransition).where(CaseTransition.case_id == case_id)
    stmt = keyset(
        stmt, listing, CaseTransition.created_at, CaseTransition.updated_at, CaseTransition.id
    )
    return (await session.scalars(stmt)).all()
