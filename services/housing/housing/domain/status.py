"""The status path of a case, as a state machine.

registered -> surveyed -> approved -> in_progress -> completed -> handed_over; any status
before completed may be cancelled (with a note). Only approvers approve. A step's date never
lies in the future nor before the previous step or the registration.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from housing.domain.rules import check_not_before, check_not_future
from housing.domain.vocabulary import CaseStatus
from mtqg_shared.rules import RuleViolation, StateConflict

S = CaseStatus

NEXT: dict[CaseStatus, CaseStatus] = {
    S.REGISTERED: S.SURVEYED,
    S.SURVEYED: S.APPROVED,
    S.APPROVED: S.IN_PROGRESS,
    S.IN_PROGRESS: S.COMPLETED,
    S.COMPLETED: S.HANDED_OVER,
}
CANCELLABLE = frozenset({S.REGISTERED, S.SURVEYED, S.APPROVED, S.IN_PROGRESS})
# Open cases block a second case for the same household.
CLOSED = frozenset({S.HANDED_OVER, S.CANCELLED})
OPEN = frozenset(CaseStatus) - CLOSED
# The report's "completed" counts both.
COMPLETED = frozenset({S.COMPLETED, S.HANDED_OVER})
# The group and the support type decide the norm; once approved they are fixed.
CLASSIFICATION_EDITABLE = frozenset({S.REGISTERED, S.SURVEYED})


def allowed_moves(current: CaseStatus) -> frozenset[CaseStatus]:
    moves = set()
    if current in NEXT:
        moves.add(NEXT[current])
    if current in CANCELLABLE:
        moves.add(S.CANCELLED)
    return frozenset(moves)


def needs_approver(to: CaseStatus) -> bool:
    return to is S.APPROVED


@dataclass(frozen=True, slots=True)
class StepDates:
    """What a step sets on the case besides its status."""

    completed_on: dt.date | None = None
    handed_over_on: dt.date | None = None


def check_step(
    current: CaseStatus,
    to: CaseStatus,
    on: dt.date,
    note: str | None,
    *,
    previous_on: dt.date,
    registered_on: dt.date,
    today: dt.date,
) -> StepDates:
    """Refuse a move the path does not allow (StateConflict) or a bad date or missing note
    (RuleViolation); otherwise say which dates the step sets."""
    if to not in allowed_moves(current):
        allowed = ", ".join(sorted(allowed_moves(current))) or "none"
        raise StateConflict(f"A {current} case cannot move to {to} (allowed: {allowed}).")
    if to is S.CANCELLED and not (note and note.strip()):
        raise RuleViolation("body.note", "a note is required to cancel a case")
    check_not_future(on, today, "body.on")
    check_not_before(on, registered_on, "body.on", "the registration date")
    check_not_before(on, previous_on, "body.on", "the previous step")
    if to is S.COMPLETED:
        return StepDates(completed_on=on)
    if to is S.HANDED_OVER:
        return StepDates(handed_over_on=on)
    return StepDates()


def check_classification_change(current: CaseStatus) -> None:
    """The beneficiary group and support type change only before approval."""
    if current not in CLASSIFICATION_EDITABLE:
        raise StateConflict(
            f"The beneficiary group and support type are fixed once a case is {current}."
        )
