"""The labour rules without HTTP or a database."""

from __future__ import annotations

import datetime as dt

import pytest

from labour.domain import remittances, status
from labour.domain.countries import COUNTRY_CODES, normalise_country
from labour.domain.overview import (
    CountryRow,
    average_vnd,
    placement_figures,
    profile_summary,
    year_bounds,
)
from labour.domain.profiles import ProfileFigures, inconsistencies, rate, rates_of
from labour.domain.status import PlacementStatus as S
from labour.domain.workers import (
    fold_name,
    is_national_id,
    mask_national_id,
    may_see_national_id,
    old_enough,
)
from mtqg_shared.rules import RuleViolation, StateConflict

TODAY = dt.date(2025, 3, 7)
BORN = dt.date(2000, 5, 1)


def step(to: S, on: dt.date = dt.date(2025, 1, 10), note: str | None = None) -> status.Step:
    return status.Step(to=to, on=on, note=note)


@pytest.mark.parametrize(
    ("current", "to"),
    [
        (S.REGISTERED, S.TRAINING),
        (S.TRAINING, S.DOCUMENTS),
        (S.DOCUMENTS, S.DEPARTED),
        (S.DEPARTED, S.WORKING),
        (S.WORKING, S.RETURNED),
        (S.REGISTERED, S.WITHDRAWN),
        (S.TRAINING, S.WITHDRAWN),
        (S.DOCUMENTS, S.WITHDRAWN),
        (S.WORKING, S.BROKE_CONTRACT),
        (S.DEPARTED, S.RETURNED),
        (S.BROKE_CONTRACT, S.RETURNED),
    ],
)
def test_allowed_moves(current: S, to: S) -> None:
    assert to in status.PATH.allowed(current)
    status.PATH.check(current, to, note="Why")


@pytest.mark.parametrize(
    ("current", "to"),
    [
        (S.REGISTERED, S.DOCUMENTS),  # no skipping
        (S.REGISTERED, S.DEPARTED),
        (S.TRAINING, S.REGISTERED),  # no going back
        (S.DEPARTED, S.WITHDRAWN),  # withdrawal only before departure
        (S.WORKING, S.WITHDRAWN),
        (S.DEPARTED, S.BROKE_CONTRACT),  # a contract is broken at work
        (S.RETURNED, S.WORKING),  # closed stays closed
        (S.WITHDRAWN, S.TRAINING),
        (S.BROKE_CONTRACT, S.WORKING),
        (S.REGISTERED, S.REGISTERED),
    ],
)
def test_other_moves_are_state_conflicts(current: S, to: S) -> None:
    with pytest.raises(StateConflict) as raised:
        status.PATH.check(current, to)
    assert raised.value.kind == "invalid-state"


def test_every_status_is_grouped_once_for_reports() -> None:
    groups = [status.IN_PREPARATION, status.ABROAD, status.CLOSED]
    assert set().union(*groups) == set(S)
    assert sum(len(g) for g in groups) == len(S)
    assert frozenset({S.RETURNED, S.WITHDRAWN}) == status.CLOSED


def test_step_dates() -> None:
    with pytest.raises(RuleViolation) as future:
        status.check_step(
            S.REGISTERED,
            step(S.TRAINING, TODAY + dt.timedelta(days=1)),
            today=TODAY,
            not_before=dt.date(2024, 1, 1),
            date_of_birth=BORN,
        )
    assert future.value.field == "body.on"
    with pytest.raises(RuleViolation):
        status.check_step(
            S.REGISTERED,
            step(S.TRAINING, dt.date(2023, 12, 31)),
            today=TODAY,
            not_before=dt.date(2024, 1, 1),
            date_of_birth=BORN,
        )
    # The same day as the previous step is fine.
    status.check_step(
        S.REGISTERED,
        step(S.TRAINING, dt.date(2024, 1, 1)),
        today=TODAY,
        not_before=dt.date(2024, 1, 1),
        date_of_birth=BORN,
    )


def test_state_is_checked_before_dates() -> None:
    with pytest.raises(StateConflict):
        status.check_step(
            S.RETURNED,
            step(S.WORKING, TODAY + dt.timedelta(days=5)),
            today=TODAY,
            not_before=TODAY,
            date_of_birth=BORN,
        )


def test_withdrawal_needs_a_note() -> None:
    kwargs = {"today": TODAY, "not_before": dt.date(2024, 1, 1), "date_of_birth": BORN}
    with pytest.raises(RuleViolation) as raised:
        status.check_step(S.TRAINING, step(S.WITHDRAWN, note="  "), **kwargs)
    assert raised.value.field == "body.note"
    status.check_step(S.TRAINING, step(S.WITHDRAWN, note="Failed the health check"), **kwargs)


def test_departure_needs_eighteen_years_on_the_day() -> None:
    born = dt.date(2007, 1, 11)
    kwargs = {"today": TODAY, "not_before": dt.date(2024, 1, 1)}
    with pytest.raises(RuleViolation) as raised:
        status.check_step(
            S.DOCUMENTS,
            step(S.DEPARTED, dt.date(2025, 1, 10)),
            date_of_birth=born,
            **kwargs,
        )
    assert raised.value.field == "body.on"
    status.check_step(
        S.DOCUMENTS,
        step(S.DEPARTED, dt.date(2025, 1, 11)),
        date_of_birth=born,
        **kwargs,
    )


@pytest.mark.parametrize(
    ("born", "on", "age"),
    [
        (dt.date(2000, 5, 1), dt.date(2018, 4, 30), 17),
        (dt.date(2000, 5, 1), dt.date(2018, 5, 1), 18),
        (dt.date(2004, 2, 29), dt.date(2022, 2, 28), 17),
        (dt.date(2004, 2, 29), dt.date(2022, 3, 1), 18),
    ],
)
def test_age_on(born: dt.date, on: dt.date, age: int) -> None:
    assert status.age_on(born, on) == age


def test_dates_after_a_step() -> None:
    before = status.Dates(None, None, None)
    departed = status.dates_after(step(S.DEPARTED, dt.date(2024, 2, 1)), before)
    assert departed == status.Dates(dt.date(2024, 2, 1), None, None)
    back = status.dates_after(step(S.RETURNED, dt.date(2025, 2, 1)), departed)
    assert back == status.Dates(dt.date(2024, 2, 1), dt.date(2025, 2, 1), None)


def test_national_ids() -> None:
    assert is_national_id("001098012345")
    for bad in ("00109801234", "0010980123456", "00109801234a", "", "００１０９８０１２３４５"):
        assert not is_national_id(bad)
    assert mask_national_id("001098012345") == "********2345"
    assert may_see_national_id(is_person=True, is_officer=True)
    assert not may_see_national_id(is_person=True, is_officer=False)
    assert not may_see_national_id(is_person=False, is_officer=True)


def test_worker_age() -> None:
    assert old_enough(dt.date(2010, 3, 7), TODAY)
    assert not old_enough(dt.date(2010, 3, 8), TODAY)


def test_names_fold_for_search() -> None:
    assert fold_name("VÀNG Seo Dìn") == fold_name("vàng seo dìn")
    # The same letter typed composed or decomposed folds the same.
    assert fold_name("Va\u0300ng") == fold_name("V\u00e0ng")


def test_countries() -> None:
    assert len(COUNTRY_CODES) == 249
    assert normalise_country("tw") == "TW"
    assert normalise_country("XX") is None
    assert normalise_country("UK") is None  # GB is the code


def test_remittance_months() -> None:
    window = remittances.PlacementWindow(S.WORKING, dt.date(2024, 2, 10), None)
    remittances.check_month(window, "2024-02", TODAY)
    remittances.check_month(window, "2025-03", TODAY)
    for month in ("2024-01", "2025-04"):
        with pytest.raises(RuleViolation):
            remittances.check_month(window, month, TODAY)
    back = remittances.PlacementWindow(S.RETURNED, dt.date(2024, 2, 10), dt.date(2024, 12, 20))
    remittances.check_month(back, "2024-12", TODAY)
    with pytest.raises(RuleViolation):
        remittances.check_month(back, "2025-01", TODAY)


@pytest.mark.parametrize("current", [S.REGISTERED, S.TRAINING, S.DOCUMENTS, S.WITHDRAWN])
def test_no_remittance_before_departure(current: S) -> None:
    window = remittances.PlacementWindow(current, None, None)
    with pytest.raises(StateConflict) as raised:
        remittances.check_month(window, "2024-05", TODAY)
    assert raised.value.kind == "invalid-state"


def test_months_as_stored() -> None:
    assert remittances.year_months(2024) == ("2024-01", "2024-12")
    assert remittances.month_of(dt.date(2024, 2, 29)) == "2024-02"


def test_profile_rates_and_consistency() -> None:
    seed = ProfileFigures(3400, 1000, 2040, 408, 404, 443)
    assert inconsistencies(seed) == []
    rates = rates_of(seed)
    assert (rates.working_age_rate, rates.employed_elsewhere_rate) == (0.6, 0.2)
    assert (rates.poor_rate, rates.near_poor_rate) == (0.404, 0.443)
    assert rate(5, 0) == 0.0
    broken = ProfileFigures(100, 200, 150, 160, 150, 100)
    fields = {f for f, _ in inconsistencies(broken)}
    assert fields == {
        "body.households",
        "body.working_age",
        "body.employed_elsewhere",
        "body.near_poor_households",
    }


def test_area_rates_come_from_summed_figures() -> None:
    big = ProfileFigures(10_000, 2_000, 6_000, 600, 200, 300)
    small = ProfileFigures(100, 20, 60, 30, 10, 5)
    total = ProfileFigures(
        *(
            a + b
            for a, b in zip(
                (
                    big.population,
                    big.households,
                    big.working_age,
                    big.employed_elsewhere,
                    big.poor_households,
                    big.near_poor_households,
                ),
                (
                    small.population,
                    small.households,
                    small.working_age,
                    small.employed_elsewhere,
                    small.poor_households,
                    small.near_poor_households,
                ),
                strict=True,
            )
        )
    )
    summary = profile_summary(total)
    assert summary.working_age == 6060
    assert summary.employed_elsewhere_rate == 630 / 6060
    assert summary.poor_rate == 210 / 2020


def test_average_salary_rounds_half_up_to_whole_vnd() -> None:
    assert average_vnd(0, 0) is None
    assert average_vnd(30_000_000 + 35_000_001, 2) == 32_500_001  # 32,500,000.5 -> up
    assert average_vnd(10, 3) == 3
    assert average_vnd(11, 3) == 4


def test_placement_figures_sum_over_countries() -> None:
    rows = [
        CountryRow("TW", 10, 7, 350_000_000, 10, 0, 10, 0),
        CountryRow("KR", 2, 1, 80_000_000, 2, 0, 2, 0),
        CountryRow("JP", 0, 0, 0, 0, 4, 0, 0),
    ]
    figures = placement_figures(rows)
    assert figures.departures == 12
    assert figures.by_country == {"KR": 2, "TW": 10}  # only countries with departures
    assert figures.departures_from_poor_or_near_poor == 8
    assert figures.in_preparation == 4
    assert figures.abroad == 12
    assert figures.avg_monthly_salary_vnd == 35_833_333  # 430,000,000 / 12 = 35,833,333.3
    assert year_bounds(2024) == (dt.date(2024, 1, 1), dt.date(2024, 12, 31))
