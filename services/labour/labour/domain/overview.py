"""Report arithmetic: the periods a report counts, and how grouped sums become figures.

The database does the counting (GROUP BY, conditional sums); these helpers only turn its few
grouped rows into the report's figures, so they are tested without a database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from labour.domain.profiles import ProfileFigures, rate


def year_bounds(year: int, as_of: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """A year's first and last day; with `as_of` inside it, the year up to that day (what a
    period report freezes as of its period's end)."""
    last = dt.date(year, 12, 31)
    return dt.date(year, 1, 1), min(last, as_of) if as_of is not None else last


def average_vnd(total: int, count: int) -> int | None:
    """A mean amount in whole VND, halves rounded up; None when nothing was averaged."""
    if count <= 0:
        return None
    return (2 * total + count) // (2 * count)


@dataclass(frozen=True, slots=True)
class CountryRow:
    """One row of the placements query, per destination country."""

    country: str
    departures: int
    departures_poor: int
    salary_total: int
    salary_count: int
    in_preparation: int
    abroad: int
    returned: int


@dataclass(slots=True)
class PlacementFigures:
    departures: int = 0
    by_country: dict[str, int] = field(default_factory=dict)
    departures_from_poor_or_near_poor: int = 0
    in_preparation: int = 0
    abroad: int = 0
    returned: int = 0
    avg_monthly_salary_vnd: int | None = None


def placement_figures(rows: Iterable[CountryRow]) -> PlacementFigures:
    """Totals over countries; `by_country` keeps only countries with departures."""
    out = PlacementFigures()
    salary_total = salary_count = 0
    for row in rows:
        out.departures += row.departures
        if row.departures:
            out.by_country[row.country] = out.by_country.get(row.country, 0) + row.departures
        out.departures_from_poor_or_near_poor += row.departures_poor
        out.in_preparation += row.in_preparation
        out.abroad += row.abroad
        out.returned += row.returned
        salary_total += row.salary_total
        salary_count += row.salary_count
    out.by_country = dict(sorted(out.by_country.items()))
    out.avg_monthly_salary_vnd = average_vnd(salary_total, salary_count)
    return out


@dataclass(frozen=True, slots=True)
class ProfileSummary:
    working_age: int
    employed_elsewhere_rate: float
    poor_rate: float
    near_poor_rate: float


def profile_summary(total: ProfileFigures) -> ProfileSummary:
    """The rates of an area are drawn from its communes' summed figures (not averaged
    commune rates, which would weigh a hamlet like a town)."""
    return ProfileSummary(
        working_age=total.working_age,
        employed_elsewhere_rate=rate(total.employed_elsewhere, total.working_age),
        poor_rate=rate(total.poor_households, total.households),
        near_poor_rate=rate(total.near_poor_households, total.households),
    )
