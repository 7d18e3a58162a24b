"""The status path of a case, as a state machine.

registered -> surveyed -> approved -> in_progress -> completed -> handed_over; any status
before completed may be cancelled (with a note). Only approvers approve. A step's date never
lies in the future nor before the previous step or the registration.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from housing.domain.vocabulary import CaseStatus
from mtqg_shared.kit.status import StatusPath
from mtqg_shared.messages import msg
from mtqg_shared.rules import StateConflict, check_not_before, check_not_future

S = CaseStatus

NEXT: dict[CaseStatus, CaseStatus] = {
    S.REGISTERED: S.SURVEYED,
    S.SURVEYED: S.APPROVED,
    S.APPROVED: S.IN_PROGRESS,
    S.IN_PROGRESS: S.COMPLETED,
    S.COMPLETED: S.HANDED_OVER,
}
CANCELLABLE = frozenset({S.REGISTERED, S.SURVEYED, S.APPROVED, S.IN_PROGRESS})
# Open cases block a second case for the same household (models.OPEN_CASE says it in SQL).
CLOSED = frozenset({S.HANDED_OVER, S.CANCELLED})
OPEN = frozenset(CaseStatus) - CLOSED
# The report's "completed" counts both.
COMPLETED = frozenset({S.COMPLETED, S.HANDED_OVER})
# The group and the support type decide the norm; once approved they are fixed.
CLASSIFICATION_EDITABLE = frozenset({S.REGISTERED, S.SURVEYED})

# One step forward, or cancelled (with a note) before completion; only approvers approve.
PATH: StatusPath[CaseStatus] = StatusPath(
    "case",
    {
        status: ([NEXT[status]] if status in NEXT else [])
        + ([S.CANCELLED] if status in CANCELLABLE else [])
        for status in CaseStatus
    },
    approval={S.APPROVED},
    note_required={S.CANCELLED},
)


def allowed_moves(current: CaseStatus) -> frozenset[CaseStatus]:
    return PATH.allowed(current)


def needs_approver(to: CaseStatus) -> bool:
    return to in PATH.approval


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
    PATH.check(current, to, note=note)
    check_not_future(on, today, "body.on")
    check_not_before(on, registered_on, "body.on", "registration date")
    check_not_before(on, previous_on, "body.on", "previous step")
    if to is S.COMPLETED:
        return StepDates(completed_on=on)
    if to is S.HANDED_OVER:
        return StepDates(handed_over_on=on)
    return StepDates()


def check_classification_change(current: CaseStatus) -> None:
    """The beneficiary group and support type change only before approval."""
    if current not in CLASSIFICATION_EDITABLE:
        raise StateConflict(msg("case_classification_fixed", status=current))
