"""Cases and their status steps as resources: every query about them, including the per-case
funding sums and norm that a case's answer carries (folded into the case's own query)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from housing.domain.status import OPEN
from housing.domain.vocabulary import FundingSource
from housing.models import Case, CaseTransition, FundingEntry, Norm
from housing.web import PREFIX
from mtqg_shared.admin_units import Area
from mtqg_shared.auth import Principal
from mtqg_shared.kit import InCommune, ListParams, Province, Resource
from mtqg_shared.pagination import page_of

cases = Resource(
    Case,
    "case",
    area=InCommune(Case.commune_code, Case.legacy_commune_code),
    audited=(
        "household_code",
        "head_of_household",
        "commune_code",
        "legacy_commune_code",
        "legacy_district_code",
        "geography",
        "village",
        "beneficiary_group",
        "support_type",
        "registered_on",
        "notes",
        "status",
        "status_on",
        "completed_on",
        "handed_over_on",
    ),
    required=("head_of_household", "beneficiary_group", "support_type"),
    prefix=PREFIX,
    path="cases",
)

# A step has no place of its own: it is read and written only through its case (`cases.read`
# or `cases.take` first), and audited on the case's trail.
transitions = Resource(
    CaseTransition, "step", area=Province(), audited=(), prefix=PREFIX, path="cases"
)


def _funded(source: FundingSource) -> ColumnElement[int]:
    """Per case row: its funding from `source` (an index range scan of its entries)."""
    return (
        select(func.coalesce(func.sum(FundingEntry.amount_vnd), 0))
        .where(FundingEntry.case_id == Case.id, FundingEntry.source == source.value)
        .scalar_subquery()
    )


def _norm_in_force() -> ColumnElement[int | None]:
    """Per case row: the latest norm of its group and type valid on its registration."""
    return (
        select(Norm.amount_vnd)
        .where(
            Norm.beneficiary_group == Case.beneficiary_group,
            Norm.support_type == Case.support_type,
            Norm.valid_from <= Case.registered_on,
        )
        .order_by(Norm.valid_from.desc())
        .limit(1)
        .scalar_subquery()
    )


def _with_figures(stmt: Select[Any]) -> Select[Any]:
    return stmt.add_columns(
        *(_funded(source).label(source.value) for source in FundingSource),
        _norm_in_force().label("norm_vnd"),
    )


@dataclass(frozen=True, slots=True)
class CaseRow:
    """A case with its funding by source (every source a key) and its norm."""

    case: Case
    funding: dict[str, int]
    norm_vnd: int | None

    # What a keyset page reads of its last row.
    @property
    def id(self) -> uuid.UUID:
        return self.case.id

    @property
    def created_at(self) -> dt.datetime:
        return self.case.created_at

    @property
    def updated_at(self) -> dt.datetime:
        return self.case.updated_at


def _row(row: Any) -> CaseRow:
    funding = {source.value: int(row[1 + i]) for i, source in enumerate(FundingSource)}
    norm = row[1 + len(FundingSource)]
    return CaseRow(row[0], funding, int(norm) if norm is not None else None)


async def figures(session: AsyncSession, case: Case) -> CaseRow:
    """The funding and norm of one case already read (after a write: as it now stands)."""
    stmt = _with_figures(select()).where(Case.id == case.id).select_from(Case)
    row = (await session.execute(stmt)).one()
    return _row((case, *row))


async def read(session: AsyncSession, principal: Principal, case_id: uuid.UUID) -> CaseRow:
    """One case with its figures in one query; 404 when missing or outside the caller's
    areas."""
    stmt = _with_figures(select(Case).where(Case.id == case_id))
    row = (await session.execute(stmt)).first()
    if row is None or not cases.area.may_read(principal, row[0]):
        raise cases.not_found()
    return _row(row)


@dataclass(frozen=True, slots=True)
class CaseFilters:
    area: Area | None = None
    status: str | None = None
    beneficiary_group: str | None = None
    support_type: str | None = None
    household_code: str | None = None


async def page(
    session: AsyncSession, principal: Principal, filters: CaseFilters, listing: ListParams
) -> tuple[list[CaseRow], str | None]:
    """A page of cases with their figures: one query, whatever the page size."""
    stmt = cases.visible(principal, filters.area)
    for column, value in (
        (Case.status, filters.status),
        (Case.beneficiary_group, filters.beneficiary_group),
        (Case.support_type, filters.support_type),
        (Case.household_code, filters.household_code),
    ):
        if value is not None:
            stmt = stmt.where(column == value)
    rows = (await session.execute(_with_figures(cases.keyset(stmt, listing)))).all()
    return page_of([_row(row) for row in rows], listing)


async def open_case_of(session: AsyncSession, household_code: str) -> Case | None:
    stmt = select(Case).where(Case.household_code == household_code, Case.status.in_(OPEN))
    return (await session.scalars(stmt.limit(1))).first()


async def transitions_page(
    session: AsyncSession, case_id: uuid.UUID, listing: ListParams
) -> tuple[list[CaseTransition], str | None]:
    stmt = select(CaseTransition).where(CaseTransition.case_id == case_id)
    return await transitions.page(session, stmt, listing)


async def last_seq(session: AsyncSession, case_id: uuid.UUID) -> int:
    found = await session.scalar(
        select(func.max(CaseTransition.seq)).where(CaseTransition.case_id == case_id)
    )
    return int(found or 0)


async def supersede(session: AsyncSession, case_id: uuid.UUID, seq: int, on: dt.date) -> None:
    """The step a new one follows now ends on the new step's date (what "status as of a
    date" reads)."""
    await session.execute(
        update(CaseTransition)
        .where(
            CaseTransition.case_id == case_id,
            CaseTransition.seq == seq,
            CaseTransition.superseded_on.is_(None),
        )
        .values(superseded_on=on)
    )


async def step_of(session: AsyncSession, case_id: uuid.UUID, step_id: uuid.UUID) -> CaseTransition:
    stmt = select(CaseTransition).where(
        CaseTransition.case_id == case_id, CaseTransition.id == step_id
    )
    step = (await session.scalars(stmt)).first()
    if step is None:
        raise transitions.not_found()
    return step
