"""The progress report as one SQL statement of two aggregates joined by group:

- cases by group, status and support type: from the cases themselves when the date is today
  (the stored status is the status then), else from the steps in force on the date (a step
  with on_date <= D < superseded_on, exactly one per case registered by D);
- money by group and source: from the entries, which carry their case's place and are never
  dated before its registration, so no join to the cases is needed.

Each is one scan and one GROUP BY; counting cases joined to entries would count a case once
per entry.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ColumnElement, Select, func, or_, select

from housing.domain.vocabulary import CaseStatus, FundingSource, SupportType
from housing.models import Case, CaseTransition, FundingEntry
from mtqg_shared.admin_units import Area
from mtqg_shared.areas import in_area, readable
from mtqg_shared.auth import Principal

GROUP_COLUMNS = {
    "commune": "commune_code",
    "legacy_district": "legacy_district_code",
    "legacy_commune": "legacy_commune_code",
}


def _placed(model: Any, principal: Principal, area: Area) -> list[ColumnElement[bool]]:
    """The rows of `model` (cases or entries) inside the area and readable by the caller."""
    return [
        in_area(area, model.commune_code, model.legacy_commune_code),
        readable(principal, model.commune_code),
    ]


def _count_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.count().filter(condition)


def cases_by_group(
    principal: Principal, area: Area, group_by: str, as_of: dt.date, *, current: bool
) -> Select[Any]:
    code = getattr(Case, GROUP_COLUMNS[group_by])
    kinds = [_count_if(Case.support_type == t.value).label(t.value) for t in SupportType]
    if current:
        return (
            select(
                code.label("code"),
                *(_count_if(Case.status == s.value).label(s.value) for s in CaseStatus),
                *kinds,
            )
            .where(*_placed(Case, principal, area))
            .group_by(code)
        )
    step = CaseTransition
    return (
        select(
            code.label("code"),
            *(_count_if(step.to_status == s.value).label(s.value) for s in CaseStatus),
            *kinds,
        )
        .select_from(step)
        .join(Case, Case.id == step.case_id)
        .where(
            step.on_date <= as_of,
            or_(step.superseded_on.is_(None), step.superseded_on > as_of),
            *_placed(Case, principal, area),
        )
        .group_by(code)
    )


def money_by_group(
    principal: Principal, area: Area, group_by: str, as_of: dt.date, *, current: bool
) -> Select[Any]:
    code = getattr(FundingEntry, GROUP_COLUMNS[group_by])
    dated = [] if current else [FundingEntry.on_date <= as_of]
    return (
        select(
            code.label("code"),
            *(
                func.sum(FundingEntry.amount_vnd)
                .filter(FundingEntry.source == s.value)
                .label(s.value)
                for s in FundingSource
            ),
        )
        .where(*_placed(FundingEntry, principal, area), *dated)
        .group_by(code)
    )


def progress_statement(
    principal: Principal, area: Area, group_by: str, as_of: dt.date, *, current: bool
) -> Select[Any]:
    """`current`: as_of is today, so every step and every entry counts."""
    counts = cases_by_group(principal, area, group_by, as_of, current=current).cte("counts")
    money = money_by_group(principal, area, group_by, as_of, current=current).cte("money")
    return (
        select(
            counts.c.code,
            *(counts.c[s.value] for s in CaseStatus),
            *(counts.c[t.value] for t in SupportType),
            *(func.coalesce(money.c[s.value], 0).label(f"f_{s.value}") for s in FundingSource),
        )
        .select_from(counts)
        # A legacy grouping has a null group (cases given in the new geography).
        .outerjoin(money, money.c.code.is_not_distinct_from(counts.c.code))
        .order_by(counts.c.code)
    )
