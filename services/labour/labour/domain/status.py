"""The life of a placement, from registration to return, as plain rules.

registered -> training -> documents -> departed -> working -> returned; before departure a
placement may be withdrawn; from working the worker may break the contract; from departed,
working or broke_contract the worker returns. Nothing else moves.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from mtqg_shared.kit.status import StatusPath
from mtqg_shared.rules import RuleViolation, check_not_before, check_not_future


class PlacementStatus(StrEnum):
    REGISTERED = "registered"
    TRAINING = "training"
    DOCUMENTS = "documents"
    DEPARTED = "departed"
    WORKING = "working"
    BROKE_CONTRACT = "broke_contract"
    RETURNED = "returned"
    WITHDRAWN = "withdrawn"


S = PlacementStatus

# How the overview groups statuses.
IN_PREPARATION = frozenset({S.REGISTERED, S.TRAINING, S.DOCUMENTS})
ABROAD = frozenset({S.DEPARTED, S.WORKING, S.BROKE_CONTRACT})
# Statuses that end a placement; any other status is the worker's one active placement.
CLOSED = frozenset({S.RETURNED, S.WITHDRAWN})
ACTIVE = frozenset(PlacementStatus) - CLOSED
# Remittances come only from placements that have left the country.
HAS_DEPARTED = ABROAD | {S.RETURNED}

# The database's rule "one active placement per worker" (a partial unique index).
ACTIVE_SQL = "status NOT IN ({})".format(", ".join(f"'{s.value}'" for s in sorted(CLOSED)))

PATH: StatusPath[PlacementStatus] = StatusPath(
    "placement",
    {
        S.REGISTERED: {S.TRAINING, S.WITHDRAWN},
        S.TRAINING: {S.DOCUMENTS, S.WITHDRAWN},
        S.DOCUMENTS: {S.DEPARTED, S.WITHDRAWN},
        S.DEPARTED: {S.WORKING, S.RETURNED},
        S.WORKING: {S.BROKE_CONTRACT, S.RETURNED},
        S.BROKE_CONTRACT: {S.RETURNED},
        S.RETURNED: set(),
        S.WITHDRAWN: set(),
    },
    # A step that ends a placement early needs its reason written down.
    note_required={S.WITHDRAWN},
)

MIN_WORKER_AGE = 15
MIN_DEPARTURE_AGE = 18


def age_on(born: dt.date, on: dt.date) -> int:
    """Completed years of age on `on` (someone born on 29 February turns a year older on
    1 March in common years)."""
    years = on.year - born.year
    if (on.month, on.day) < (born.month, born.day):
        years -= 1
    return years


@dataclass(frozen=True, slots=True)
class Step:
    """What the caller asks: move to `to` on `on` with `note`."""

    to: PlacementStatus
    on: dt.date
    note: str | None


def check_step(
    current: PlacementStatus,
    step: Step,
    *,
    today: dt.date,
    not_before: dt.date,
    date_of_birth: dt.date,
) -> None:
    """Every rule a status step must meet: the path's move and note, then the dates.
    `not_before` is the later of the registration date and the previous step's date."""
    PATH.check(current, step.to, note=step.note)
    check_not_future(step.on, today, "body.on")
    check_not_before(step.on, not_before, "body.on", "previous step")
    if step.to is S.DEPARTED and age_on(date_of_birth, step.on) < MIN_DEPARTURE_AGE:
        raise RuleViolation("body.on", "out_of_range.departure_age", age=MIN_DEPARTURE_AGE)


@dataclass(frozen=True, slots=True)
class Dates:
    """The dates a step writes onto the placement."""

    departed_on: dt.date | None
    returned_on: dt.date | None
    withdrawn_on: dt.date | None


def dates_after(step: Step, before: Dates) -> Dates:
    return Dates(
        departed_on=step.on if step.to is S.DEPARTED else before.departed_on,
        returned_on=step.on if step.to is S.RETURNED else before.returned_on,
        withdrawn_on=step.on if step.to is S.WITHDRAWN else before.withdrawn_on,
    )
