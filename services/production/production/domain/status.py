"""The linkage project's status path.

proposed -> approved -> in_progress -> completed; proposed -> rejected; approved and
in_progress may be suspended, and a suspended project goes back to the status it left.

The moves, the approval steps and the steps that need a note are one `StatusPath` (the
kit's: a refused move is worded as in every service); what a suspension remembers is the
project's own rule, kept here.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from mtqg_shared.kit.status import StatusPath


class ProjectStatus(StrEnum):
    PROPOSED = "proposed"
    APPROVED = "approved"
    IN_PROGRESS = "in_progress"
    SUSPENDED = "suspended"
    COMPLETED = "completed"
    REJECTED = "rejected"


S = ProjectStatus

# Reports count projects from approval on.
COUNTED: frozenset[ProjectStatus] = frozenset({S.APPROVED, S.IN_PROGRESS, S.SUSPENDED, S.COMPLETED})
# Money flows only to a project that is approved and not suspended.
DISBURSABLE: frozenset[ProjectStatus] = frozenset({S.APPROVED, S.IN_PROGRESS, S.COMPLETED})
# Households join a project that is still going on.
TAKES_PARTICIPANTS: frozenset[ProjectStatus] = frozenset(
    {S.PROPOSED, S.APPROVED, S.IN_PROGRESS, S.SUSPENDED}
)
# What may be changed by PATCH only before approval: the money and the place decided on.
EDITABLE_BEFORE_APPROVAL = ("total_cost_vnd", "state_support_vnd", "commune_codes", "geography")

PROJECT_PATH: StatusPath[ProjectStatus] = StatusPath(
    "project",
    {
        S.PROPOSED: {S.APPROVED, S.REJECTED},
        S.APPROVED: {S.IN_PROGRESS, S.SUSPENDED},
        S.IN_PROGRESS: {S.COMPLETED, S.SUSPENDED},
        # A suspended project goes back where it came from: see `next_statuses`.
        S.SUSPENDED: set(),
        S.COMPLETED: set(),
        S.REJECTED: set(),
    },
    # Steps that only approvers (people) may take.
    approval={S.APPROVED, S.REJECTED},
    # Steps that say why in a note: a refusal, a halt.
    note_required={S.REJECTED, S.SUSPENDED},
)


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
    if status is S.SUSPENDED:
        return frozenset({suspended_from}) if suspended_from is not None else frozenset()
    return PROJECT_PATH.allowed(status)


def move(
    status: ProjectStatus, to: ProjectStatus, suspended_from: ProjectStatus | None = None
) -> Move:
    """Check a status change (StateConflict, worded by the path, when it is not allowed) and
    say what the project remembers. A step's note is checked with the whole request, by
    `PROJECT_PATH.check(..., note=...)`."""
    allowed = next_statuses(status, suspended_from)
    if to not in allowed:
        PROJECT_PATH.check(status, to, allowed=allowed)
    return Move(
        from_status=status,
        to_status=to,
        suspended_from=status if to is S.SUSPENDED else None,
    )
