"""The linkage project's status path.

proposed -> approved -> in_progress -> completed; proposed -> rejected; approved and
in_progress may be suspended, and a suspended project goes back to the status it left.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from mtqg_shared.rules import RuleViolation, StateConflict


class ProjectStatus(StrEnum):
    proposed = "proposed"
    approved = "approved"
    in_progress = "in_progress"
    suspended = "suspended"
    completed = "completed"
    rejected = "rejected"


S = ProjectStatus

# Reports count projects from approval on.
COUNTED: frozenset[ProjectStatus] = frozenset({S.approved, S.in_progress, S.suspended, S.completed})
# Money flows only to a project that is approved and not suspended.
DISBURSABLE: frozenset[ProjectStatus] = frozenset({S.approved, S.in_progress, S.completed})
# Steps that only approvers (people) may take.
APPROVAL_STEPS: frozenset[ProjectStatus] = frozenset({S.approved, S.rejected})
# Households join a project that is still going on.
TAKES_PARTICIPANTS: frozenset[ProjectStatus] = frozenset(
    {S.proposed, S.approved, S.in_progress, S.suspended}
)
# Steps that say why in a note: a refusal, a halt.
NOTE_REQUIRED: frozenset[ProjectStatus] = frozenset({S.rejected, S.suspended})
# What may be changed by PATCH only before approval: the money and the place decided on.
EDITABLE_BEFORE_APPROVAL = ("total_cost_vnd", "state_support_vnd", "commune_codes", "geography")

_FORWARD: dict[ProjectStatus, frozenset[ProjectStatus]] = {
    S.proposed: frozenset({S.approved, S.rejected}),
    S.approved: frozenset({S.in_progress, S.suspended}),
    S.in_progress: frozenset({S.completed, S.suspended}),
    S.suspended: frozenset(),  # decided by where it was suspended from
    S.completed: frozenset(),
    S.rejected: frozenset(),
}


@dataclass(frozen=True, slots=True)
class Move:
    """A status change and what the project remembers about it afterwards."""

    from_status: ProjectStatus
    to_status: ProjectStatus
    suspended_from: ProjectStatus | None


def next_statuses(
    status: ProjectStatus, suspended_from: ProjectStatus | None = None
) -> frozenset[ProjectStatus]:
    """Where a project in `status` may go next."""
    if status is S.suspended:
        return frozenset({suspended_from}) if suspended_from is not None else frozenset()
    return _FORWARD[status]


def move(
    status: ProjectStatus, to: ProjectStatus, suspended_from: ProjectStatus | None = None
) -> Move:
    """Check a status change; StateConflict when the path does not allow it."""
    allowed = next_statuses(status, suspended_from)
    if to not in allowed:
        if allowed:
            options = ", ".join(sorted(allowed))
            raise StateConflict(f"A {status} project can go to {options}, not to {to}.")
        raise StateConflict(f"A {status} project cannot change status.")
    return Move(
        from_status=status,
        to_status=to,
        suspended_from=status if to is S.suspended else None,
    )


def needs_approver(to: ProjectStatus) -> bool:
    return to in APPROVAL_STEPS


def check_note(to: ProjectStatus, note: str | None) -> None:
    if to in NOTE_REQUIRED and not (note and note.strip()):
        raise RuleViolation("body.note", f"a note saying why is required to move to {to}.")
