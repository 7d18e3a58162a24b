"""The life of a placement, from registration to return, as plain rules.

registered -> training -> documents -> departed -> working -> returned; before departure a
placement may be withdrawn; from working the worker may break the contract; from departed,
working or broke_contract the worker returns. Nothing else moves.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from mtqg_shared.rules import RuleViolation, StateConflict


class PlacementStatus(StrEnum):
    registered = "registered"
    training = "training"
    documents = "documents"
    departed = "departed"
    working = "working"
    broke_contract = "broke_contract"
    returned = "returned"
    withdrawn = "withdrawn"


S = PlacementStatus

MOVES: dict[PlacementStatus, frozenset[PlacementStatus]] = {
    S.registered: frozenset({S.training, S.withdrawn}),
    S.training: frozenset({S.documents, S.withdrawn}),
    S.documents: frozenset({S.departed, S.withdrawn}),
    S.departed: frozenset({S.working, S.returned}),
    S.working: frozenset({S.broke_contract, S.returned}),
    S.broke_contract: frozenset({S.returned}),
    S.returned: frozenset(),
    S.withdrawn: frozenset(),
}

# How the overview groups statuses.
IN_PREPARATION = frozenset({S.registered, S.training, S.documents})
ABROAD = frozenset({S.departed, S.working, S.broke_contract})
CLOSED = frozenset({S.returned, S.withdrawn})
# A worker has at most one placement that is not closed.
ACTIVE = frozenset(PlacementStatus) - CLOSED
# Remittances come only from placements that have left the country.
HAS_DEPARTED = ABROAD | {S.returned}
# A step that ends a placement early needs its reason written down.
NEEDS_NOTE = frozenset({S.withdrawn})

MIN_WORKER_AGE = 15
MIN_DEPARTURE_AGE = 18


def check_move(current: PlacementStatus, to: PlacementStatus) -> None:
    if to not in MOVES[current]:
        raise StateConflict(f"A placement that is {current.value} cannot move to {to.value}.")


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
    """Every rule a status step must meet. `not_before` is the later of the registration
    date and the previous step's date."""
    check_move(current, step.to)
    if step.on > today:
        raise RuleViolation("body.on", "A step cannot be dated in the future.")
    if step.on < not_before:
        raise RuleViolation(
            "body.on",
            f"A step cannot be dated before {not_before.isoformat()} "
            "(the registration or the previous step).",
        )
    if step.to in NEEDS_NOTE and not (step.note and step.note.strip()):
        raise RuleViolation("body.note", f"Moving to {step.to.value} needs a note saying why.")
    if step.to is S.departed and age_on(date_of_birth, step.on) < MIN_DEPARTURE_AGE:
        raise RuleViolation(
            "body.on", f"The worker must be {MIN_DEPARTURE_AGE} or older on the departure date."
        )


@dataclass(frozen=True, slots=True)
class Dates:
    """The dates a step writes onto the placement."""

    departed_on: dt.date | None
    returned_on: dt.date | None
    withdrawn_on: dt.date | None


def dates_after(step: Step, before: Dates) -> Dates:
    return Dates(
        departed_on=step.on if step.to is S.departed else before.departed_on,
        returned_on=step.on if step.to is S.returned else before.returned_on,
        withdrawn_on=step.on if step.to is S.withdrawn else before.withdrawn_on,
    )
