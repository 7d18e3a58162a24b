"""Money for a case: entries by source, never edited; a mistake is corrected by a reversing
entry that records the negative of the original, at most once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from housing.domain.vocabulary import STATE_BUDGET_SOURCES, CaseStatus, FundingSource
from mtqg_shared.messages import msg
from mtqg_shared.rules import StateConflict, check_not_before, check_not_future


def by_source(amounts: Iterable[tuple[str, int]]) -> dict[str, int]:
    """Every source as a key (zeros included), summing the (source, amount) pairs given."""
    totals = {source.value: 0 for source in FundingSource}
    for source, amount in amounts:
        totals[source] += int(amount)
    return totals


def state_budget(totals: Mapping[str, int]) -> int:
    return sum(totals[source.value] for source in STATE_BUDGET_SOURCES)


def total(totals: Mapping[str, int]) -> int:
    return sum(totals.values())


@dataclass(frozen=True, slots=True)
class NewEntry:
    source: str
    amount_vnd: int


def check_new_entry(
    status: CaseStatus, on: dt.date, *, registered_on: dt.date, today: dt.date
) -> None:
    """A new (non-reversing) entry: dated between the registration and today, and not for a
    cancelled case (money is no longer paid into it; reversals still are)."""
    if status is CaseStatus.CANCELLED:
        raise StateConflict(msg("cancelled_case_funding"))
    check_not_future(on, today, "body.on")
    check_not_before(on, registered_on, "body.on", "registration date")


def check_reversal_day(on: dt.date, *, today: dt.date) -> None:
    """A reversal is not dated in the future (the kit's ledger keeps it on or after the
    entry it undoes)."""
    check_not_future(on, today, "body.on")
