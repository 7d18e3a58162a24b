"""The two ways a request can break a housing rule, independent of HTTP.

`RuleViolation` is a data rule (a date, an amount, a missing note): the API answers 422 and
names the field. `StateConflict` is a request the record's present state does not allow (a
status move, a second reversal): the API answers 409.
"""

from __future__ import annotations

import datetime as dt


class RuleViolation(Exception):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class StateConflict(Exception):
    """`kind` is the contract's problem type: "invalid-state" or "duplicate"."""

    def __init__(self, message: str, kind: str = "invalid-state") -> None:
        super().__init__(message)
        self.message = message
        self.kind = kind


def check_not_future(on: dt.date, today: dt.date, field: str) -> None:
    if on > today:
        raise RuleViolation(field, "may not be in the future")


def check_not_before(on: dt.date, earliest: dt.date, field: str, what: str) -> None:
    if on < earliest:
        raise RuleViolation(field, f"may not be before {what} ({earliest.isoformat()})")
