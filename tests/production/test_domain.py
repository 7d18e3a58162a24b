"""The production rules without HTTP or a database."""

from __future__ import annotations

import datetime as dt

import pytest

from mtqg_shared.rules import RuleViolation, StateConflict
from production.domain import dates, funding, land, ocop, overview
from production.domain.status import (
    COUNTED,
    DISBURSABLE,
    PROJECT_PATH,
    ProjectStatus,
    move,
    next_statuses,
)

S = ProjectStatus

# --- status path ---------------------------------------------------------------------------

ALLOWED = {
    (S.PROPOSED, S.APPROVED),
    (S.PROPOSED, S.REJECTED),
    (S.APPROVED, S.IN_PROGRESS),
    (S.APPROVED, S.SUSPENDED),
    (S.IN_PROGRESS, S.COMPLETED),
    (S.IN_PROGRESS, S.SUSPENDED),
}


@pytest.mark.parametrize("current", [s for s in S if s is not S.SUSPENDED])
@pytest.mark.parametrize("target", list(S))
def test_only_the_contract_moves_are_allowed(current: S, target: S) -> None:
    if (current, target) in ALLOWED:
        assert move(current, target).to_status is target
    else:
        with pytest.raises(StateConflict):
            move(current, target)


@pytest.mark.parametrize("left", [S.APPROVED, S.IN_PROGRESS])
def test_suspended_goes_back_only_to_where_it_left(left: S) -> None:
    halted = move(left, S.SUSPENDED)
    assert halted.suspended_from is left
    assert next_statuses(S.SUSPENDED, left) == {left}
    back = move(S.SUSPENDED, left, halted.suspended_from)
    assert back.to_status is left
    assert back.suspended_from is None
    for other in set(S) - {left}:
        with pytest.raises(StateConflict):
            move(S.SUSPENDED, other, left)


def test_only_approval_and_rejection_need_an_approver() -> None:
    assert {s for s in S if s in PROJECT_PATH.approval} == {S.APPROVED, S.REJECTED}


def test_money_flows_only_to_counted_projects_and_the_path_never_leaves_them() -> None:
    # The overview sums disbursements without joining projects: that is only right if a
    # project that may receive money can never reach a status the reports do not count.
    assert DISBURSABLE <= COUNTED
    states: set[tuple[S, S | None]] = set()
    frontier: list[tuple[S, S | None]] = [(s, None) for s in DISBURSABLE]
    while frontier:
        state = frontier.pop()
        if state in states:
            continue
        states.add(state)
        status, left = state
        for target in next_statuses(status, left):
            frontier.append((target, move(status, target, left).suspended_from))
    assert {status for status, _ in states} == COUNTED


@pytest.mark.parametrize("to", [S.REJECTED, S.SUSPENDED])
def test_refusals_and_halts_need_a_note(to: S) -> None:
    start = S.PROPOSED if to is S.REJECTED else S.APPROVED
    with pytest.raises(RuleViolation) as caught:
        PROJECT_PATH.check(start, to, note="  ")
    assert caught.value.field == "body.note"
    PROJECT_PATH.check(start, to, note="no co-financing")
    PROJECT_PATH.check(S.PROPOSED, S.APPROVED, note=None)


# --- dates ---------------------------------------------------------------------------------

TODAY = dt.date(2026, 3, 10)


def test_step_dates() -> None:
    ok = {"today": TODAY, "own_date": dt.date(2026, 1, 1), "own_label": "proposal date"}
    dates.check_step_date(TODAY, previous=dt.date(2026, 2, 1), **ok)  # type: ignore[arg-type]
    for on, previous in (
        (TODAY + dt.timedelta(days=1), None),  # the future
        (dt.date(2025, 12, 31), None),  # before the record's own date
        (dt.date(2026, 1, 31), dt.date(2026, 2, 1)),  # before the previous step
    ):
        with pytest.raises(RuleViolation) as caught:
            dates.check_step_date(on, previous=previous, **ok)  # type: ignore[arg-type]
        assert caught.value.field == "body.on"


def test_a_period_ends_after_it_starts() -> None:
    dates.check_period(dt.date(2024, 1, 1), dt.date(2024, 1, 1))
    dates.check_period(dt.date(2024, 1, 1), None)
    with pytest.raises(RuleViolation):
        dates.check_period(dt.date(2024, 1, 2), dt.date(2024, 1, 1))


# --- money ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "share", "cap"),
    [
        (10, 0.7, 7),
        (3, 0.7, 2),  # 2.1 -> 2: never more than the share
        (41_428_571_429, 0.7, 29_000_000_000),
        (10**15, 0.7, 7 * 10**14),  # exact where a float would drift
        (999_999_999_999_999, 0.7, 699_999_999_999_999),
        (100, 1.0, 100),
        (0, 0.7, 0),
    ],
)
def test_state_support_cap_is_exact(total: int, share: float, cap: int) -> None:
    assert funding.max_state_support(total, share) == cap
    funding.check_state_support(total, cap, share)
    with pytest.raises(RuleViolation) as caught:
        funding.check_state_support(total, cap + 1, share)
    assert caught.value.field == "body.state_support_vnd"


def test_disbursements_stay_within_the_approved_support() -> None:
    funding.check_disbursement(300, 700, 1000)  # exactly up to the support
    with pytest.raises(RuleViolation) as caught:
        funding.check_disbursement(301, 700, 1000)
    assert caught.value.field == "body.amount_vnd"
    assert caught.value.code == "over_cap"
    assert "300 VND remain" in str(caught.value.message)
    with pytest.raises(RuleViolation):
        funding.check_support_covers_disbursed(699, 700)
    funding.check_support_covers_disbursed(700, 700)


def test_poor_and_near_poor_households_are_among_the_households() -> None:
    funding.check_households(10, 6, 4)
    with pytest.raises(RuleViolation) as caught:
        funding.check_households(10, 6, 5)
    assert caught.value.field == "body.poor_households"


# --- land ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ha", "m2"),
    [(24400, 244_000_000), (0.1, 1000), (284.0001, 2_840_001), (0, 0), (1e-4, 1)],
)
def test_hectares_are_kept_to_the_square_metre(ha: float, m2: int) -> None:
    assert land.ha_to_m2(ha) == m2
    assert land.m2_to_ha(m2) == pytest.approx(ha)


def test_finer_than_a_square_metre_is_refused() -> None:
    with pytest.raises(ValueError, match="decimals"):
        land.ha_to_m2(0.00001)
    with pytest.raises(ValueError, match="decimals"):
        land.ha_to_m2(1.23456)


def test_certified_and_linked_land_lie_inside_the_zone() -> None:
    land.check_zone_land(100, 100, 100, "organic_eu")
    land.check_zone_land(100, None, None, None)
    for certified, linked, certification, field in (
        (101, None, "vietgap", "body.certified_area_ha"),
        (None, 101, None, "body.linked_area_ha"),
        (50, None, None, "body.certification"),
    ):
        with pytest.raises(RuleViolation) as caught:
            land.check_zone_land(100, certified, linked, certification)
        assert caught.value.field == field


# --- OCOP ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stars", "inside", "outside"),
    [(5, (90, 100), (89,)), (4, (70, 89), (69, 90)), (3, (50, 69), (49, 70)),
     (2, (30, 49), (29, 50)), (1, (0, 29), (30,))],
)  # fmt: skip
def test_scores_fall_in_their_stars_band(
    stars: int, inside: tuple[int, ...], outside: tuple[int, ...]
) -> None:
    for score in inside:
        ocop.check_score(stars, score)
    ocop.check_score(stars, None)
    for score in outside:
        with pytest.raises(RuleViolation) as caught:
            ocop.check_score(stars, score)
        assert caught.value.field == "body.score"


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2024, 5, 20), 36, dt.date(2027, 5, 20)),
        (dt.date(2024, 2, 29), 36, dt.date(2027, 2, 28)),  # no 29 February in 2027
        (dt.date(2024, 2, 29), 48, dt.date(2028, 2, 29)),
        (dt.date(2023, 1, 31), 1, dt.date(2023, 2, 28)),
        (dt.date(2023, 12, 15), 1, dt.date(2024, 1, 15)),
    ],
)
def test_certificates_run_whole_months(day: dt.date, months: int, expected: dt.date) -> None:
    assert ocop.add_months(day, months) == expected


def test_expiry_follows_certification_and_the_warning_window_is_90_days() -> None:
    assert ocop.default_expiry(dt.date(2022, 7, 1), 36) == dt.date(2025, 7, 1)
    with pytest.raises(RuleViolation):
        ocop.check_expiry(dt.date(2024, 1, 1), dt.date(2024, 1, 1))
    assert ocop.expiry_window(TODAY) == (TODAY, TODAY + dt.timedelta(days=90))


# --- overview arithmetic ------------------------------------------------------------------


def test_overview_maps() -> None:
    assert overview.by_stars({4: 7, 3: 37}) == {"1": 0, "2": 0, "3": 37, "4": 7, "5": 0}
    crops = overview.zones_by_crop([("tea", 2_840_000, 0, 0), ("banana", 3_100_000, 0, 1_600_000)])
    assert list(crops) == ["banana", "tea"]
    assert crops["banana"] == {"area_ha": 310.0, "certified_area_ha": 0.0, "linked_area_ha": 160.0}
    by_year = overview.disbursed_by_year([(2024, 12), (2021, 3)])
    assert by_year == {"2021": 3, "2024": 12}
    assert list(by_year) == ["2021", "2024"]
    assert overview.disbursed_in(by_year, None) == 15
    assert overview.disbursed_in(by_year, 2024) == 12
    assert overview.disbursed_in(by_year, 2023) == 0
