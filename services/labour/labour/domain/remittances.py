"""Rules about money sent home: which months a placement may report (reversals are the
shared ledger's: `mtqg_shared.kit.Ledger`)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from labour.domain.status import HAS_DEPARTED, PlacementStatus
from mtqg_shared.messages import msg
from mtqg_shared.rules import RuleViolation, StateConflict

MONTH = re.compile(r"^([0-9]{4})-(0[1-9]|1[0-2])$")


def month_of(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def parse_month(value: str) -> tuple[int, int]:
    match = MONTH.fullmatch(value)
    if match is None:
        raise RuleViolation("body.month", "invalid_format.month")
    return int(match.group(1)), int(match.group(2))


def year_months(year: int, as_of: dt.date | None = None) -> tuple[str, str]:
    """The first and last month of a year, as stored ("YYYY-MM" compares as text); with
    `as_of` inside it, up to that day's month."""
    last = f"{year:04d}-12"
    if as_of is not None:
        last = min(last, f"{as_of.year:04d}-{as_of.month:02d}")
    return f"{year:04d}-01", last


@dataclass(frozen=True, slots=True)
class PlacementWindow:
    status: PlacementStatus
    departed_on: dt.date | None
    returned_on: dt.date | None


def check_month(window: PlacementWindow, month: str, today: dt.date) -> None:
    """A remittance belongs to a placement that has departed, to a month between its
    departure and its return (or this month, while the worker is still abroad)."""
    if window.status not in HAS_DEPARTED or window.departed_on is None:
        raise StateConflict(msg("remittance_not_departed", status=window.status))
    parse_month(month)
    first = month_of(window.departed_on)
    last = month_of(window.returned_on) if window.returned_on is not None else month_of(today)
    if month < first:
        raise RuleViolation("body.month", "before_start.departure_month", first=first)
    if month > month_of(today):
        raise RuleViolation("body.month", "in_future.month")
    if month > last:
        raise RuleViolation("body.month", "out_of_range.after_return", last=last)
