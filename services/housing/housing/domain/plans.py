"""Plans with dated milestones: what a plan may promise, and whether it is on track.

A milestone's `completed_target` is cumulative: the number of houses completed by its date.
`met` stays unknown (None) until the date has passed; a plan is on track when every milestone
already due was met.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from mtqg_shared.rules import RuleViolation


@dataclass(frozen=True, slots=True)
class Milestone:
    due_on: dt.date
    completed_target: int


@dataclass(frozen=True, slots=True)
class MilestoneProgress:
    due_on: dt.date
    completed_target: int
    completed_actual: int
    met: bool | None


@dataclass(frozen=True, slots=True)
class Progress:
    target: int
    completed: int
    completion_rate: float
    milestones: tuple[MilestoneProgress, ...]
    on_track: bool


def check_plan(
    target_new_build: int,
    target_repair: int,
    deadline: dt.date,
    milestones: Sequence[Milestone],
    *,
    prefix: str = "body",
) -> list[Milestone]:
    """Refuse milestones that cannot belong to the plan; answer them in date order."""
    target = target_new_build + target_repair
    seen: set[dt.date] = set()
    for index, milestone in enumerate(milestones):
        field = f"{prefix}.milestones.{index}"
        if milestone.due_on in seen:
            raise RuleViolation(f"{field}.due_on", "listed_twice.milestone_date")
        seen.add(milestone.due_on)
        if milestone.due_on > deadline:
            raise RuleViolation(f"{field}.due_on", "out_of_range.after_deadline")
        if milestone.completed_target > target:
            raise RuleViolation(f"{field}.completed_target", "over_cap.plan_target", target=target)
    ordered = sorted(milestones, key=lambda m: m.due_on)
    for earlier, later in pairwise(ordered):
        if later.completed_target < earlier.completed_target:
            index = list(milestones).index(later)
            raise RuleViolation(
                f"{prefix}.milestones.{index}.completed_target", "out_of_range.cumulative_target"
            )
    return ordered


def rate(completed: int, out_of: int) -> float:
    return completed / out_of if out_of > 0 else 0.0


def evaluate(
    target: int,
    completed: int,
    milestones: Sequence[Milestone],
    completed_by: Sequence[int],
    today: dt.date,
) -> Progress:
    """`completed_by[i]` is the number of houses completed on or before milestone i's date."""
    rows = tuple(
        MilestoneProgress(
            due_on=m.due_on,
            completed_target=m.completed_target,
            completed_actual=actual,
            # "Passed" means the due date is over: on the day itself there is still time.
            met=(actual >= m.completed_target) if m.due_on < today else None,
        )
        for m, actual in zip(milestones, completed_by, strict=True)
    )
    return Progress(
        target=target,
        completed=completed,
        completion_rate=rate(completed, target),
        milestones=rows,
        on_track=all(row.met is not False for row in rows),
    )
