"""Obstacles: reported open, resolved once with a resolution, never reopened."""

from __future__ import annotations

import datetime as dt

from housing.domain.vocabulary import ObstacleStatus
from mtqg_shared.messages import msg
from mtqg_shared.rules import RuleViolation, StateConflict, check_not_before, check_not_future


def check_reported_on(reported_on: dt.date, today: dt.date) -> None:
    check_not_future(reported_on, today, "body.reported_on")


def resolve(
    status: ObstacleStatus,
    resolution: str | None,
    resolved_on: dt.date | None,
    *,
    reported_on: dt.date,
    today: dt.date,
) -> dt.date:
    """Check a resolution; answer the date it takes (today unless given)."""
    if status is ObstacleStatus.RESOLVED:
        raise StateConflict(msg("obstacle_resolved"))
    if not (resolution and resolution.strip()):
        raise RuleViolation("body.resolution", "required.resolution")
    on = resolved_on or today
    check_not_future(on, today, "body.resolved_on")
    check_not_before(on, reported_on, "body.resolved_on", "reported date")
    return on


def check_reopen(status: ObstacleStatus) -> None:
    if status is ObstacleStatus.RESOLVED:
        raise StateConflict(msg("obstacle_not_reopened"))
