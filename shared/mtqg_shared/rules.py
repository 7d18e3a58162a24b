"""The two ways a request can break a programme's rules, independent of HTTP.

Domain code raises these without knowing the web; `install_error_handlers` answers them as
the contract's problems. `RuleViolation` is a broken data rule (a date, an amount, an age, a
cap): 422, naming the field. `StateConflict` is a request the record's present state does not
allow (a status move, a second reversal, a duplicate): 409.
"""

from __future__ import annotations

import datetime as dt
from typing import TypeVar

from mtqg_shared.messages import Msg, Text, code_of, field_message, word


class RuleViolation(ValueError):
    """A ValueError, so that raised inside a pydantic validator it is a 422 there as well.

    `key` is the field error's stable code (`in_future`), or `code.variant` for a more precise
    message (`out_of_range.at_most_field`); its parameters are named."""

    def __init__(self, field: str, key: str, **params: object) -> None:
        self.field = field
        self.key = key
        self.code = code_of(key)
        self.message: Msg = field_message(key, **params)
        super().__init__(field, key)

    def __str__(self) -> str:  # worded only when asked (pydantic asks, inside a validator)
        return str(self.message)


class StateConflict(Exception):
    """`kind` is the contract's problem type: "invalid-state" or "duplicate"."""

    def __init__(self, message: Text, kind: str = "invalid-state") -> None:
        super().__init__(message.key if isinstance(message, Msg) else message.text)
        self.message = message
        self.kind = kind

    def __str__(self) -> str:
        return str(self.message)


# The date rules every programme shares, worded once.


def check_not_future(on: dt.date, today: dt.date, field: str) -> None:
    """Facts are recorded after they happen: a date after today (in Việt Nam) is refused."""
    if on > today:
        raise RuleViolation(field, "in_future", on=on)


def check_not_before(on: dt.date, earliest: dt.date, field: str, what: str) -> None:
    """`what` is the catalogue's word for the earlier date: "registration date", "previous
    step"."""
    if on < earliest:
        raise RuleViolation(field, "before_start", what=word(what), earliest=earliest)


T = TypeVar("T")


def once_each(values: list[T], field: str) -> list[T]:
    """A list of choices names each at most once (422 on the repeat, by its index)."""
    seen: set[T] = set()
    for index, value in enumerate(values):
        if value in seen:
            raise RuleViolation(f"{field}.{index}", "listed_twice")
        seen.add(value)
    return values


def at_most(part: int | None, whole: int | None, field: str, other: str) -> None:
    """A part (women among members, certified among officials) never exceeds its whole."""
    if part is not None and whole is not None and part > whole:
        raise RuleViolation(field, "over_cap.field", other=other)
