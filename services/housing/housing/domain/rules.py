"""Date rules that several housing records share, independent of HTTP.

A broken rule raises `mtqg_shared.rules.RuleViolation` (the API answers 422 naming the field);
a request the record's present state does not allow raises `StateConflict` (409).
"""

from __future__ import annotations

import datetime as dt

from mtqg_shared.rules import RuleViolation


def check_not_future(on: dt.date, today: dt.date, field: str) -> None:
    if on > today:
        raise RuleViolation(field, "may not be in the future")


def check_not_before(on: dt.date, earliest: dt.date, field: str, what: str) -> None:
    if on < earliest:
        raise RuleViolation(field, f"may not be before {what} ({earliest.isoformat()})")
