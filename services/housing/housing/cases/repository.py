"""Cases and their status steps as resources: every query about them, including the per-case
funding sums and norm that a case's answer carries (folded into the case's own query)."""

from __future__ import annotations

import bisect
import datetime as dt
import uuid
from collections.abc import Awaitable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from typing import cast as cast_type

from sqlalchemy import Label, ScalarSelect, Table, bindparam, cast, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from housing.domain.status import OPEN
from housing.domain.vocabulary import FundingSource
from housing.models import Case, CaseTransition, FundingEntry, Norm
from housing.web import PREFIX
from mtqg_shared.admin_units import Area
from mtqg_shared.auth import Principal
from mtqg_shared.db import among, insert_rows, on_postgres
from mtqg_shared.kit import InCommune, ListParams, Province, Resource
from mtqg_shared.kit.rows import AreaConditions, Equal, Params, Rows
from mtqg_shared.types import Money
from mtqg_shared.writes import WriteContext

_case = Case.__table__
_entry = FundingEntry.__table__
_norm = Norm.__table__

cases = Resource(
    Case,
    "case",
    # The table's columns: a list's conditions then keep its statement a Core one.
    area=InCommune(_case.c.commune_code, _case.c.legacy_commune_code),
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
    dated="registered_on",
    counted=("commune_code", "legacy_commune_code", "beneficiary_group", "support_type"),
    stepped="status_on",
    prefix=PREFIX,
    path="cases",
)

# A step has no place of its own: it is read and written only through its case (`cases.read`
# or `cases.take` first), and audited on the case's trail.
transitions = Resource(
    CaseTransition, "step", area=Province(), audited=(), prefix=PREFIX, path="cases"
)


SOURCES = tuple(source.value for source in FundingSource)


def _funded(source: str) -> Label[int]:
    """Per case row: its funding from `source` (an index range scan of its entries), as an
    integer on both databases (PostgreSQL sums BIGINT as NUMERIC)."""
    total = func.coalesce(func.sum(_entry.c.amount_vnd), 0)
    return (
        select(cast(total, Money))
        .where(_entry.c.case_id == _case.c.id, _entry.c.source == source)
        .scalar_subquery()
        .label(source)
    )


def _norm_in_force(
    group: Any = _case.c.beneficiary_group,
    support_type: Any = _case.c.support_type,
    on: Any = _case.c.registered_on,
) -> ScalarSelect[int | None]:
    """The latest norm of a group and type valid on a date (per case row: its group, type
    and registration)."""
    return (
        select(_norm.c.amount_vnd)
        .where(
            _norm.c.beneficiary_group == group,
            _norm.c.support_type == support_type,
            _norm.c.valid_from <= on,
        )
        .order_by(_norm.c.valid_from.desc())
        .limit(1)
        .scalar_subquery()
    )


# Statements are built once (they are immutable; SQLAlchemy keeps the cache key of each), in
# Core over the tables: rows come back as plain tuples, no ORM loading. A request only adds
# its own conditions to a list, and gives parameters to the rest.
FIGURES: tuple[Label[Any], ...] = (
    *(_funded(source) for source in SOURCES),
    _norm_in_force().label("norm_vnd"),
)
# What a case's answer reads: its columns but `status_on` (the next step's rule), and figures.
_ANSWER = select(*(c for c in _case.c if c.key != "status_on"), *FIGURES)
_BY_ID = _ANSWER.where(_case.c.id == bindparam("case_id"))
_FIGURES_OF = select(*FIGURES).select_from(_case).where(_case.c.id == bindparam("case_id"))
# Its columns' names: a row becomes the dict of its answer with no per-row lookups.
_NAMES = tuple(_ANSWER.selected_columns.keys())
_ROWS = Rows(cases, list(_ANSWER.selected_columns))
_AREA = AreaConditions.in_commune(_case.c.commune_code, _case.c.legacy_commune_code)
_FILTERS = Equal(
    _case.c.status, _case.c.beneficiary_group, _case.c.support_type, _case.c.household_code
)
_COMMUNE_OF = select(_case.c.commune_code).where(_case.c.id == bindparam("case_id"))


# What new cases need to know of the cases already written, in one query per chunk of them:
# which client-made ids are taken, and which households have an open case (with its commune,
# to name it only to who may read it).
_KNOWN_COLUMNS = (_case.c.id, _case.c.household_code, _case.c.commune_code)
# Of a chunk of new cases, by dialect (`among`): the cases of their client-made ids, and the
# open cases of their households.
_TAKEN = {pg: among(select(_case.c.id), _case.c.id, "ids", postgres=pg) for pg in (False, True)}
_OPEN_OF = {
    pg: among(
        select(*_KNOWN_COLUMNS).where(_case.c.status.in_(sorted(OPEN))),
        _case.c.household_code,
        "households",
        postgres=pg,
    )
    for pg in (False, True)
}
# Every norm (a few rows per group and type): the one in force on a date is found in memory.
_NORMS = select(
    _norm.c.beneficiary_group, _norm.c.support_type, _norm.c.valid_from, _norm.c.amount_vnd
).order_by(_norm.c.valid_from)
# The tables new cases and their first steps are written to, and their columns in order.
_CASES = cast_type(Table, Case.__table__)
_STEPS = cast_type(Table, CaseTransition.__table__)
CASE_COLUMNS = tuple(c.key for c in _CASES.c)


async def figures(session: AsyncSession, case: Case) -> dict[str, Any]:
    """The answer's values of one case already read (after a write: as it now stands)."""
    row = (await session.execute(_FIGURES_OF, {"case_id": case.id})).one()
    return values_of(case) | row._asdict()


def values_of(case: Case) -> dict[str, Any]:
    """A case record's columns by name, as a row of the answer statements has them."""
    return {c.key: getattr(case, c.key) for c in _case.c}


async def read(session: AsyncSession, principal: Principal, case_id: uuid.UUID) -> dict[str, Any]:
    """One case with its figures in one query; 404 when missing or outside the caller's
    areas."""
    row = (await session.execute(_BY_ID, {"case_id": case_id})).first()
    if row is None or not cases.area.may_read(principal, row):
        raise cases.not_found()
    return dict(zip(_NAMES, row, strict=True))


async def require_readable(session: AsyncSession, principal: Principal, case_id: uuid.UUID) -> None:
    """404 unless the case exists within the caller's areas (what a case's funding list or
    entry needs first): one column of one row, no record loaded."""
    row = (await session.execute(_COMMUNE_OF, {"case_id": case_id})).first()
    if row is None or not cases.area.may_read(principal, row):
        raise cases.not_found()


@dataclass(frozen=True, slots=True)
class CaseFilters:
    area: Area | None = None
    status: str | None = None
    beneficiary_group: str | None = None
    support_type: str | None = None
    household_code: str | None = None


async def page(
    session: AsyncSession, principal: Principal, filters: CaseFilters, listing: ListParams
) -> tuple[list[dict[str, Any]], str | None]:
    """A page of cases with their figures: one query, whatever the page size."""
    params: Params = {}
    conditions = _AREA.where(principal, filters.area, params)
    _FILTERS.add(
        conditions,
        params,
        status=filters.status,
        beneficiary_group=filters.beneficiary_group,
        support_type=filters.support_type,
        household_code=filters.household_code,
    )
    return await _ROWS.page(session, listing, conditions, params)


@dataclass(frozen=True, slots=True)
class Known:
    """Of the ids and households a chunk of new cases names: the ids taken, and each
    household's open case (its id and commune)."""

    taken: frozenset[uuid.UUID]
    open_cases: dict[str, tuple[uuid.UUID, str]]


# Households the import's key lookup (`housing.imports.open_cases`) has just found without an
# open case, for the `known` of the new cases right after it, once: the same question, not
# asked twice. Nothing between the two opens a case (the rows the lookup found are changes,
# and a change never opens one); a case another writer opens meanwhile is still refused, by
# the unique rule, as one it opened after the question would be.
NO_OPEN_CASE = "housing.no_open_case"


def found_no_open_case(session: AsyncSession, households: Iterable[str]) -> None:
    session.info[NO_OPEN_CASE] = frozenset(households)


async def known(
    session: AsyncSession, ids: Sequence[uuid.UUID], households: Sequence[str]
) -> Known:
    """What new cases need to know first: which of their client-made ids are taken (a query
    only when they have any) and which of their households have an open case (no query when
    the lookup just before found none for any of them: `NO_OPEN_CASE`)."""
    pg = on_postgres(session)
    taken: frozenset[uuid.UUID] = frozenset()
    if ids:
        taken = frozenset((await session.execute(_TAKEN[pg], {"ids": list(set(ids))})).scalars())
    wanted = set(households)
    if wanted <= session.info.pop(NO_OPEN_CASE, frozenset()):
        return Known(taken, {})
    rows = await session.execute(_OPEN_OF[pg], {"households": list(wanted)})
    open_cases = {r.household_code: (r.id, r.commune_code) for r in rows}
    return Known(taken, open_cases)


class Norms:
    """The norms as they stand: the amount in force for a group and type on a date (the
    latest valid from that date or before), as `_norm_in_force` reads it in SQL."""

    def __init__(self, rows: Iterable[Any]) -> None:
        self._by_kind: dict[tuple[str, str], tuple[list[dt.date], list[int]]] = {}
        for group, support_type, valid_from, amount in rows:  # in valid_from order
            dates, amounts = self._by_kind.setdefault((group, support_type), ([], []))
            dates.append(valid_from)
            amounts.append(amount)

    def in_force(self, group: str, support_type: str, on: dt.date) -> int | None:
        found = self._by_kind.get((group, support_type))
        if found is None:
            return None
        dates, amounts = found
        at = bisect.bisect_right(dates, on)
        return amounts[at - 1] if at else None


async def norms(session: AsyncSession) -> Norms:
    return Norms((await session.execute(_NORMS)).all())


# The norms a write read, until it changes one (`forget_norms`): an import's chunks of new
# cases read them once.
_NORMS_READ = "housing.norms"


async def norms_of(ctx: WriteContext) -> Norms:
    found = ctx.memo.get(_NORMS_READ)
    if found is None:
        found = ctx.memo[_NORMS_READ] = await norms(ctx.session)
    return found


def forget_norms(ctx: WriteContext) -> None:
    ctx.memo.pop(_NORMS_READ, None)


class Lost(Exception):
    """A unique rule (an id, a household's one open case) that another writer won between
    the check and the insert."""


async def insert_new(
    session: AsyncSession,
    new_cases: Sequence[Mapping[str, Any]],
    steps: Awaitable[Sequence[Mapping[str, Any]]],
) -> None:
    """Write new cases and then their first steps (every column given; the steps awaited
    while the cases are stored), set-based (COPY on PostgreSQL for many). `Lost` when a
    unique rule was won meanwhile."""
    try:
        await insert_rows(session, _CASES, new_cases)
        await insert_rows(session, _STEPS, await steps)
    except IntegrityError:
        raise Lost() from None


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


# The cases a norm is the one in force for: its group and type, registered on or after it and
# before the next norm of the same group and type (their `norm_vnd` is its amount).
_NORMED_BY = select(_case.c.id, _case.c.commune_code, _case.c.legacy_commune_code).where(
    _case.c.beneficiary_group == bindparam("beneficiary_group"),
    _case.c.support_type == bindparam("support_type"),
    _case.c.registered_on >= bindparam("valid_from"),
    ~select(_norm.c.id)
    .where(
        _norm.c.beneficiary_group == _case.c.beneficiary_group,
        _norm.c.support_type == _case.c.support_type,
        _norm.c.valid_from > bindparam("valid_from"),
        _norm.c.valid_from <= _case.c.registered_on,
    )
    .exists(),
)


async def normed_by(session: AsyncSession, norm: Norm) -> list[Any]:
    """The cases whose `norm_vnd` is `norm`'s amount (id and communes of each)."""
    values = {
        "beneficiary_group": norm.beneficiary_group,
        "support_type": norm.support_type,
        "valid_from": norm.valid_from,
    }
    return list((await session.execute(_NORMED_BY, values)).all())
