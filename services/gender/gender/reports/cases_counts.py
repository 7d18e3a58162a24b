"""The protection-case counts of the overview: `cases_counts` is the one place the report
asks for them, answered from the cases table (gender/cases/) in one statement, counts only,
for every reader: no case is shown, so no role is needed and nothing is logged.

Each kind of the contract (API.md section 12) is listed, as a map keyed by an enum is.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import and_, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from gender.cases.repository import cases
from gender.cases.status import CaseKind, CaseOutcome, CaseStatus
from gender.models import Case
from mtqg_shared.admin_units import Area
from mtqg_shared.auth import Principal
from mtqg_shared.kit.window import Window, every_key

CASE_KINDS = tuple(kind.value for kind in CaseKind)


@dataclass(frozen=True, slots=True)
class CaseCounts:
    by_kind: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CASE_KINDS, 0))
    child_marriages_prevented: int = 0


_PREVENTED = and_(
    Case.kind == CaseKind.child_marriage.value,
    Case.status == CaseStatus.CLOSED.value,
    Case.outcome == CaseOutcome.prevented.value,
)


async def cases_counts(
    session: AsyncSession,
    principal: Principal,
    area: Area,
    year: int | None,
    as_of: dt.date,
    days: Window,
) -> CaseCounts:
    """Cases reported in `days` inside `area` (what the caller's areas cover), by kind, and
    the child marriages among them closed as prevented. The area rule is the cases' own; the
    role rule is not asked, as only counts leave."""
    del year, as_of  # `days` is the window they make
    conditions = [
        Case.reported_on <= days.end,
        cases.area.readable(principal),
        cases.area.within(area),
    ]
    if days.start is not None:
        conditions.append(Case.reported_on >= days.start)
    prevented = func.coalesce(func.sum(case((_PREVENTED, 1), else_=0)), 0)
    stmt = select(Case.kind, func.count(Case.id), prevented).where(*conditions).group_by(Case.kind)
    rows = (await session.execute(stmt)).all()
    return CaseCounts(
        by_kind=every_key(CASE_KINDS, {str(kind): int(n) for kind, n, _ in rows}),
        child_marriages_prevented=sum(int(p) for _, _, p in rows),
    )
