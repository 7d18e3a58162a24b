"""A smart village's path, as plain rules: building -> recognised, by an approver; the step to
recognised names the decision recognising it and its `on` is the day of recognition."""

from __future__ import annotations

import datetime as dt

from digital.domain.vocabulary import VillageStatus
from mtqg_shared.kit.status import StatusPath
from mtqg_shared.rules import RuleViolation, check_not_before, check_not_future

S = VillageStatus

PATH: StatusPath[VillageStatus] = StatusPath(
    "smart village",
    {S.BUILDING: {S.RECOGNISED}, S.RECOGNISED: set()},
    approval={S.RECOGNISED},
)


def check_step(
    current: VillageStatus,
    to: VillageStatus,
    on: dt.date,
    decision_number: str | None,
    *,
    today: dt.date,
    started_on: dt.date,
) -> None:
    """The path's move, the decision (given to recognise, and only then), then the dates."""
    PATH.check(current, to)
    if to is S.RECOGNISED and decision_number is None:
        raise RuleViolation("body.decision_number", "required.decision_number")
    check_not_future(on, today, "body.on")
    check_not_before(on, started_on, "body.on", "start date")
