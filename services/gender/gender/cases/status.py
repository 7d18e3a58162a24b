"""What a protection case is and how it moves, as plain rules.

reported -> verified -> supported -> closed, or verified -> closed (nothing to support); the
step to closed says its outcome, and only that step does.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from mtqg_shared.kit.status import StatusPath
from mtqg_shared.rules import RuleViolation, check_not_before, check_not_future


class CaseKind(StrEnum):
    domestic_violence = "domestic_violence"
    child_marriage = "child_marriage"
    human_trafficking = "human_trafficking"
    abuse = "abuse"
    other = "other"


class VictimSex(StrEnum):
    female = "female"
    male = "male"


class CaseStatus(StrEnum):
    REPORTED = "reported"
    VERIFIED = "verified"
    SUPPORTED = "supported"
    CLOSED = "closed"


class CaseOutcome(StrEnum):
    prevented = "prevented"
    supported = "supported"
    referred = "referred"
    unfounded = "unfounded"


S = CaseStatus

PATH: StatusPath[CaseStatus] = StatusPath(
    "protection case",
    {
        S.REPORTED: {S.VERIFIED},
        S.VERIFIED: {S.SUPPORTED, S.CLOSED},
        S.SUPPORTED: {S.CLOSED},
        S.CLOSED: set(),
    },
)


def check_step(
    current: CaseStatus,
    to: CaseStatus,
    on: dt.date,
    outcome: CaseOutcome | None,
    *,
    today: dt.date,
    not_before: dt.date,
) -> None:
    """The path's move, the outcome (given to close, and only then), then the dates."""
    PATH.check(current, to)
    if to is S.CLOSED and outcome is None:
        raise RuleViolation("body.outcome", "required.outcome")
    if to is not S.CLOSED and outcome is not None:
        raise RuleViolation("body.outcome", "unknown_field.outcome")
    check_not_future(on, today, "body.on")
    check_not_before(on, not_before, "body.on", "previous_step")
