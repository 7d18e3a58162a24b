"""Date rules of status steps and projects beyond the shared ones (`mtqg_shared.rules`)."""

from __future__ import annotations

import datetime as dt

from mtqg_shared.rules import RuleViolation, check_not_before, check_not_future


def check_step_date(
    on: dt.date,
    *,
    today: dt.date,
    own_date: dt.date,
    own_label: str,  # the word of the record's own date, e.g. "proposal date"
    previous: dt.date | None,
    field: str = "body.on",
) -> None:
    """A step is dated today or earlier, not before the record's own date nor before the
    step before it (steps are entered in the order they happened)."""
    check_not_future(on, today, field)
    check_not_before(on, own_date, field, own_label)
    if previous is not None:
        check_not_before(on, previous, field, "previous step")


def check_period(start_on: dt.date, end_on: dt.date | None, field: str = "body.end_on") -> None:
    if end_on is not None and end_on < start_on:
        raise RuleViolation(field, "before_start.field", other="start_on")
