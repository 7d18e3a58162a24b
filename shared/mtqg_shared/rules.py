"""The two ways a request can break a programme's rules, independent of HTTP.

Domain code raises these without knowing the web; `install_error_handlers` answers them as
the contract's problems. `RuleViolation` is a broken data rule (a date, an amount, an age, a
cap): 422, naming the field. `StateConflict` is a request the record's present state does not
allow (a status move, a second reversal, a duplicate): 409.
"""

from __future__ import annotations

import datetime as dt


class RuleViolation(ValueError):
    """A ValueError, so that raised inside a pydantic validator it is a 422 there as well."""

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


# The date rules every programme shares, worded once.


def check_not_future(on: dt.date, today: dt.date, field: str) -> None:
    """Facts are recorded after they happen: a date after today (in Việt Nam) is refused."""
    if on > today:
        raise RuleViolation(field, f"may not be in the future ({on.isoformat()})")


def check_not_before(on: dt.date, earliest: dt.date, field: str, what: str) -> None:
    """`what` names the earlier date: "the registration date", "the previous step"."""
    if on < earliest:
        raise RuleViolation(field, f"may not be before {what} ({earliest.isoformat()})")
