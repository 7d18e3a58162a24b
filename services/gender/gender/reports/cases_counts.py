"""The protection-case counts of the overview: `cases_counts` is the one place the report
asks for them, and the cases module (gender/cases/) answers it from its own table, counts
only, for every reader.

There is no cases table yet, so every count is zero; each kind of the contract (API.md
section 12) is listed, as a map keyed by an enum is.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from gender.domain.overview import Window
from mtqg_shared.admin_units import Area
from mtqg_shared.auth import Principal

CASE_KINDS = ("domestic_violence", "child_marriage", "human_trafficking", "abuse", "other")


@dataclass(frozen=True, slots=True)
class CaseCounts:
    by_kind: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CASE_KINDS, 0))
    child_marriages_prevented: int = 0


async def cases_counts(
    session: AsyncSession,
    principal: Principal,
    area: Area,
    year: int | None,
    as_of: dt.date,
    days: Window,
) -> CaseCounts:
    """Cases reported in `days` inside `area` (what the caller's areas cover), by kind, and
    the child marriages among them closed as prevented."""
    del session, principal, area, year, as_of, days  # no cases are recorded yet
    return CaseCounts()
