"""The two ways a request can break a labour rule, independent of HTTP.

`RuleViolation` is a data rule (a date, an age, a month, a missing note): the API answers 422
and names the field. `StateConflict` is a request the record's present state does not allow
(a status move, a remittance before departure, a second reversal): the API answers 409.
"""

from __future__ import annotations


class RuleViolation(ValueError):
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
