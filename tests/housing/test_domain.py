"""The housing rules without HTTP or a database."""

from __future__ import annotations

import datetime as dt

import pytest

from housing.domain import funding, obstacles, plans, report, status
from housing.domain.norms import DEFAULT_NORMS, Norm, norm_in_force
from housing.domain.vocabulary import CaseStatus as S
from housing.domain.vocabulary import ObstacleStatus
from mtqg_shared.rules import RuleViolation, StateConflict

D = dt.date
TODAY = D(2025, 3, 10)


def step(current: S, to: S, on: dt.date = TODAY, note: str | None = None) -> status.StepDates:
    return status.check_step(
        current, to, on, note, previous_on=D(2025, 1, 5), registered_on=D(2025, 1, 1), today=TODAY
    )


@pytest.mark.parametrize(
    ("current", "to"),
    [
        (S.REGISTERED, S.SURVEYED),
        (S.SURVEYED, S.APPROVED),
        (S.APPROVED, S.IN_PROGRESS),
        (S.IN_PROGRESS, S.COMPLETED),
        (S.COMPLETED, S.HANDED_OVER),
    ],
)
def test_the_path_goes_one_step_forward(current: S, to: S) -> None:
    assert to in status.allowed_moves(current)
    step(current, to)


def test_every_other_move_is_a_state_conflict() -> None:
    allowed = {
        (S.REGISTERED, S.SURVEYED),
        (S.SURVEYED, S.APPROVED),
        (S.APPROVED, S.IN_PROGRESS),
        (S.IN_PROGRESS, S.COMPLETED),
        (S.COMPLETED, S.HANDED_OVER),
    } | {(s, S.CANCELLED) for s in (S.REGISTERED, S.SURVEYED, S.APPROVED, S.IN_PROGRESS)}
    for current in S:
        for to in S:
            if (current, to) in allowed:
                continue
            with pytest.raises(StateConflict) as caught:
                step(current, to, note="why")
            assert caught.value.kind == "invalid-state"


def test_closed_cases_move_nowhere() -> None:
    assert status.allowed_moves(S.HANDED_OVER) == frozenset()
    assert status.allowed_moves(S.CANCELLED) == frozenset()
    assert frozenset(S) - {S.HANDED_OVER, S.CANCELLED} == status.OPEN


def test_cancelling_needs_a_note() -> None:
    with pytest.raises(RuleViolation) as caught:
        step(S.APPROVED, S.CANCELLED)
    assert caught.value.field == "body.note"
    with pytest.raises(RuleViolation):
        step(S.APPROVED, S.CANCELLED, note="   ")
    step(S.APPROVED, S.CANCELLED, note="moved away")


def test_completed_cases_cannot_be_cancelled() -> None:
    with pytest.raises(StateConflict):
        step(S.COMPLETED, S.CANCELLED, note="too late")


def test_step_dates_never_go_backwards_nor_into_the_future() -> None:
    with pytest.raises(RuleViolation, match="future"):
        step(S.REGISTERED, S.SURVEYED, on=TODAY + dt.timedelta(days=1))
    with pytest.raises(RuleViolation, match="previous step"):
        step(S.REGISTERED, S.SURVEYED, on=D(2025, 1, 4))
    with pytest.raises(RuleViolation, match="registration"):
        status.check_step(
            S.REGISTERED,
            S.SURVEYED,
            D(2024, 12, 31),
            None,
            previous_on=D(2024, 12, 1),
            registered_on=D(2025, 1, 1),
            today=TODAY,
        )
    # The same day as the previous step, and today itself, are fine.
    step(S.REGISTERED, S.SURVEYED, on=D(2025, 1, 5))
    step(S.REGISTERED, S.SURVEYED, on=TODAY)


def test_steps_set_their_dates() -> None:
    assert step(S.IN_PROGRESS, S.COMPLETED, on=D(2025, 2, 1)).completed_on == D(2025, 2, 1)
    assert step(S.COMPLETED, S.HANDED_OVER, on=D(2025, 2, 2)).handed_over_on == D(2025, 2, 2)
    assert step(S.REGISTERED, S.SURVEYED) == status.StepDates()


def test_only_approvers_approve() -> None:
    assert status.needs_approver(S.APPROVED)
    assert not any(status.needs_approver(s) for s in S if s is not S.APPROVED)


def test_classification_is_fixed_once_approved() -> None:
    status.check_classification_change(S.REGISTERED)
    status.check_classification_change(S.SURVEYED)
    for fixed in (S.APPROVED, S.IN_PROGRESS, S.COMPLETED, S.HANDED_OVER, S.CANCELLED):
        with pytest.raises(StateConflict):
            status.check_classification_change(fixed)


def test_funding_totals_list_every_source() -> None:
    totals = funding.by_source([("central_budget", 5), ("local_budget", 7), ("central_budget", -2)])
    assert totals == {
        "central_budget": 3,
        "local_budget": 7,
        "mobilised": 0,
        "household": 0,
        "loan": 0,
    }
    assert funding.state_budget(totals) == 10
    assert funding.total(totals) == 10


def test_a_reversal_is_not_dated_in_the_future() -> None:
    funding.check_reversal_day(TODAY, today=TODAY)
    with pytest.raises(RuleViolation, match="future"):
        funding.check_reversal_day(TODAY + dt.timedelta(days=1), today=TODAY)


def test_new_entries() -> None:
    funding.check_new_entry(S.HANDED_OVER, TODAY, registered_on=D(2025, 1, 1), today=TODAY)
    with pytest.raises(StateConflict):
        funding.check_new_entry(S.CANCELLED, TODAY, registered_on=D(2025, 1, 1), today=TODAY)
    with pytest.raises(RuleViolation, match="registration"):
        funding.check_new_entry(
            S.APPROVED, D(2024, 12, 31), registered_on=D(2025, 1, 1), today=TODAY
        )
    with pytest.raises(RuleViolation, match="future"):
        funding.check_new_entry(
            S.APPROVED, TODAY + dt.timedelta(days=1), registered_on=D(2025, 1, 1), today=TODAY
        )


def test_shipped_norms_are_the_contracts() -> None:
    def amount(group: str, kind: str) -> int | None:
        return norm_in_force(DEFAULT_NORMS, group, kind, D(2025, 1, 1))

    assert (amount("meritorious", "new_build"), amount("meritorious", "repair")) == (
        60_000_000,
        30_000_000,
    )
    for group in ("poor", "near_poor"):
        assert (amount(group, "new_build"), amount(group, "repair")) == (40_000_000, 20_000_000)
    for group in ("disaster", "other"):
        assert (amount(group, "new_build"), amount(group, "repair")) == (60_000_000, 30_000_000)


def test_the_norm_in_force_is_the_latest_valid_on_the_date() -> None:
    norms = [
        Norm("poor", "new_build", D(2020, 1, 1), 40),
        Norm("poor", "new_build", D(2025, 1, 1), 50),
        Norm("poor", "new_build", D(2026, 1, 1), 70),
        Norm("poor", "repair", D(2025, 6, 1), 99),
    ]
    assert norm_in_force(norms, "poor", "new_build", D(2019, 12, 31)) is None
    assert norm_in_force(norms, "poor", "new_build", D(2024, 12, 31)) == 40
    assert norm_in_force(norms, "poor", "new_build", D(2025, 1, 1)) == 50
    assert norm_in_force(norms, "poor", "new_build", D(2030, 1, 1)) == 70
    assert norm_in_force(norms, "poor", "repair", D(2025, 5, 31)) is None


def ms(*pairs: tuple[dt.date, int]) -> list[plans.Milestone]:
    return [plans.Milestone(due, target) for due, target in pairs]


def test_plan_milestones_are_checked_and_ordered() -> None:
    ordered = plans.check_plan(
        80, 20, D(2024, 12, 31), ms((D(2024, 9, 30), 60), (D(2024, 6, 30), 30))
    )
    assert [m.due_on for m in ordered] == [D(2024, 6, 30), D(2024, 9, 30)]
    bad = [
        (ms((D(2025, 1, 1), 10)), "body.milestones.0.due_on"),
        (ms((D(2024, 6, 1), 10), (D(2024, 6, 1), 20)), "body.milestones.1.due_on"),
        (ms((D(2024, 6, 1), 101)), "body.milestones.0.completed_target"),
        (ms((D(2024, 6, 1), 50), (D(2024, 5, 1), 60)), "body.milestones.0.completed_target"),
    ]
    for milestones, field in bad:
        with pytest.raises(RuleViolation) as caught:
            plans.check_plan(80, 20, D(2024, 12, 31), milestones)
        assert caught.value.field == field


def test_plan_progress_judges_only_milestones_already_due() -> None:
    milestones = ms((D(2025, 1, 31), 10), (D(2025, 3, 10), 20), (D(2025, 6, 30), 40))
    result = plans.evaluate(50, 25, milestones, [12, 18, 25], TODAY)
    assert [m.met for m in result.milestones] == [True, None, None]
    assert result.on_track is True
    assert result.completion_rate == 25 / 50
    behind = plans.evaluate(50, 25, milestones, [9, 18, 25], TODAY)
    assert behind.milestones[0].met is False
    assert behind.on_track is False
    assert plans.evaluate(0, 0, [], [], TODAY).completion_rate == 0.0


def test_report_rows_add_up_and_rate_completion() -> None:
    a = report.ReportRow(code="02809", name="A")
    a.add_counts({"registered": 2, "completed": 3, "handed_over": 1, "cancelled": 2}, 5, 3)
    a.add_funding({"central_budget": 100, "local_budget": 50, "household": 7})
    b = report.ReportRow(code="02824", name="B")
    b.add_counts({"cancelled": 1}, 1, 0)
    total = report.totals("084", "Si Ma Cai", [a, b])
    assert a.cases == 8 and a.completed == 4
    assert a.completion_rate == 4 / (8 - 2)
    assert b.completion_rate == 0.0  # every case cancelled
    assert total.cases == 9 and total.completed == 4
    assert total.completion_rate == 4 / (9 - 3)
    assert total.state_budget_vnd == 150
    assert total.total_funding_vnd == 157
    shaped = total.as_dict()
    assert set(shaped["by_status"]) == {s.value for s in S}
    assert set(shaped["funding_vnd"]) == {
        "central_budget",
        "local_budget",
        "mobilised",
        "household",
        "loan",
    }


def test_obstacles_resolve_once_with_a_resolution() -> None:
    on = obstacles.resolve(
        ObstacleStatus.OPEN, "road repaired", None, reported_on=D(2025, 1, 1), today=TODAY
    )
    assert on == TODAY
    with pytest.raises(RuleViolation) as caught:
        obstacles.resolve(ObstacleStatus.OPEN, " ", None, reported_on=D(2025, 1, 1), today=TODAY)
    assert caught.value.field == "body.resolution"
    with pytest.raises(StateConflict):
        obstacles.resolve(
            ObstacleStatus.RESOLVED, "again", None, reported_on=D(2025, 1, 1), today=TODAY
        )
    with pytest.raises(RuleViolation, match="reported"):
        obstacles.resolve(
            ObstacleStatus.OPEN, "x", D(2024, 12, 1), reported_on=D(2025, 1, 1), today=TODAY
        )
    with pytest.raises(StateConflict):
        obstacles.check_reopen(ObstacleStatus.RESOLVED)
    obstacles.check_reopen(ObstacleStatus.OPEN)
