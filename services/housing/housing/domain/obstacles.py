"""Obstacles: reported open, resolved once with a resolution, never reopened."""

from __future__ import annotations

import datetime as dt

from housing.domain.vocabulary import ObstacleStatus
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
        raise StateConflict("This obstacle is already resolved.")
    if not (resolution and resolution.strip()):
        raise RuleViolation("body.resolution", "a resolution is required to resolve an obstacle")
    on = resolved_on or today
    check_not_future(on, today, "body.resolved_on")
    check_not_before(on, reported_on, "body.resolved_on", "the date it was reported")
    return on


def check_reopen(status: ObstacleStatus) -> None:
    if status is ObstacleStatus.RESOLVED:
        raise StateConflict("A resolved obstacle is not reopened; report a new one.")
