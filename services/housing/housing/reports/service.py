"""Turning the report's aggregate rows into the contract's answer."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.ext.asyncio import AsyncSession

from housing.domain.report import ReportRow, totals
from housing.domain.vocabulary import CaseStatus, FundingSource, SupportType
from housing.reports.queries import progress_statement
from housing.reports.schemas import ProgressReport
from mtqg_shared.admin_units import GEO_NEW, GEO_OLD, Area, admin_units
from mtqg_shared.auth import Principal
from mtqg_shared.rules import check_not_future
from mtqg_shared.types import today_vn

# A legacy grouping has no unit for cases given in the 2025-07 geography.
UNGROUPED = "Given in the 2025-07 geography (no legacy unit)"


def _name(code: str | None, group_by: str) -> str:
    if code is None:
        return UNGROUPED
    unit = admin_units().get(code, GEO_NEW if group_by == "commune" else GEO_OLD)
    return unit.name if unit is not None else code


async def progress(
    session: AsyncSession,
    principal: Principal,
    area: Area,
    group_by: str,
    as_of: dt.date | None,
) -> ProgressReport:
    today = today_vn()
    as_of = as_of or today
    # Statuses are known up to today.
    check_not_future(as_of, today, "query.as_of")
    stmt = progress_statement(principal, area, group_by, as_of, current=as_of == today)
    rows: list[ReportRow] = []
    for record in (await session.execute(stmt)).mappings():
        row = ReportRow(code=record["code"], name=_name(record["code"], group_by))
        row.add_counts(
            {s.value: record[s.value] for s in CaseStatus},
            record[SupportType.NEW_BUILD.value],
            record[SupportType.REPAIR.value],
        )
        row.add_funding({s.value: record[f"f_{s.value}"] for s in FundingSource})
        rows.append(row)
    # Legacy units sort by code; the cases with no legacy unit come last.
    rows.sort(key=lambda r: (r.code is None, r.code or ""))
    total = totals(area.code, area.name, rows)
    return ProgressReport.model_validate(
        {
            "as_of": as_of,
            "area": {"code": area.code, "name": area.name},
            "totals": total.as_dict(),
            "rows": [r.as_dict() for r in rows],
        }
    )
