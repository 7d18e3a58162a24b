"""Plain rules of the digital service, without HTTP."""

from __future__ import annotations

import datetime as dt

import pytest

from digital.domain import assets, profiles, villages
from digital.domain.vocabulary import VillageStatus
from mtqg_shared.rules import RuleViolation, StateConflict

DAY = dt.date(2025, 9, 1)


def test_only_cameras_reach_the_ioc() -> None:
    assets.check_ioc("camera", True)
    assets.check_ioc("computer", False)
    with pytest.raises(RuleViolation) as refused:
        assets.check_ioc("wifi_point", True)
    assert (refused.value.field, refused.value.code) == ("body.connected_to_ioc", "invalid")


def test_a_status_day_lies_between_the_current_status_and_today() -> None:
    assets.check_status_day(DAY, today=DAY, current_from=DAY)
    for on in (DAY - dt.timedelta(days=1), DAY + dt.timedelta(days=1)):
        with pytest.raises(RuleViolation) as refused:
            assets.check_status_day(on, today=DAY, current_from=DAY)
        assert refused.value.field == "body.status_on"
    assets.check_installed_on(DAY, today=DAY, first_change=DAY)
    with pytest.raises(RuleViolation) as late:
        assets.check_installed_on(DAY, today=DAY, first_change=DAY - dt.timedelta(days=1))
    assert late.value.code == "out_of_range"


def test_the_certified_rate_and_the_figures_that_cannot_be_true() -> None:
    figures = dict.fromkeys(profiles.FIGURES) | {"officials": 25, "officials_it_certified": 22}
    assert profiles.rates(figures) == {"it_certified_rate": 0.88}
    assert profiles.rates(figures | {"officials": 0, "officials_it_certified": 0}) == {
        "it_certified_rate": 0.0
    }
    assert profiles.inconsistencies(figures) == []
    wrong = figures | {"officials_it_certified": 26, "households": 10, "households_fibre": 11}
    assert [p.field for p in profiles.inconsistencies(wrong)] == [
        "body.officials_it_certified",
        "body.households_fibre",
    ]
    assert profiles.inconsistencies(figures | {"households_fibre": 11}) == []


def test_the_village_path() -> None:
    b, r = VillageStatus.BUILDING, VillageStatus.RECOGNISED
    villages.check_step(b, r, DAY, "1/QĐ", today=DAY, started_on=DAY)
    with pytest.raises(RuleViolation) as no_decision:
        villages.check_step(b, r, DAY, None, today=DAY, started_on=DAY)
    assert no_decision.value.field == "body.decision_number"
    with pytest.raises(StateConflict):
        villages.check_step(r, r, DAY, "1/QĐ", today=DAY, started_on=DAY)
    with pytest.raises(StateConflict):
        villages.check_step(b, b, DAY, None, today=DAY, started_on=DAY)
    with pytest.raises(RuleViolation) as early:
        villages.check_step(b, r, DAY, "1/QĐ", today=DAY, started_on=DAY + dt.timedelta(days=1))
    assert early.value.code == "before_start"
    assert villages.PATH.approval == {r}
