"""Date rules shared by status steps and money entries."""

from __future__ import annotations

import datetime as dt

from mtqg_shared.rules import RuleViolation


def check_not_future(on: dt.date, today: dt.date, field: str) -> None:
    if on > today:
        raise RuleViolation(field, f"{on.isoformat()} is in the future.")


def check_step_date(
    on: dt.date,
    *,
    today: dt.date,
    own_date: dt.date,
    own_label: str,
    previous: dt.date | None,
    field: str = "body.on",
) -> None:
    """A step is dated today or earlier, not before the record's own date nor before the
    step before it (steps are entered in the order they happened)."""
    check_not_future(on, today, field)
    if on < own_date:
        raise RuleViolation(field, f"may not be before the {own_label} {own_date.isoformat()}.")
    if previous is not None and on < previous:
        raise RuleViolation(
            field, f"may not be before the previous step on {previous.isoformat()}."
        )


def check_period(start_on: dt.date, end_on: dt.date | None, field: str = "body.end_on") -> None:
    if end_on is not None and end_on < start_on:
        raise RuleViolation(field, "may not be before start_on.")
