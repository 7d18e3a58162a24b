"""Plain rules of the gender service and the programme catalogue, without HTTP."""

from __future__ import annotations

import datetime as dt

import pytest

from mtqg_shared import programmes
from mtqg_shared.kit.window import Window, every_key, window
from mtqg_shared.registry import SERVICE_NAMES
from mtqg_shared.rules import RuleViolation, at_most, once_each


def test_a_year_is_cut_by_the_day_it_stands_on() -> None:
    day = dt.date(2025, 9, 30)
    assert window(2025, day) == Window(dt.date(2025, 1, 1), day)
    assert window(2024, day) == Window(dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    assert window(None, day) == Window(None, day)
    # A year after the day: nothing of it is counted yet (the window is empty).
    later = window(2026, day)
    assert later.start is not None and later.start > later.end


def test_keyed_maps_list_every_key() -> None:
    assert every_key(["vi", "dao", "hmn"], {"dao": 2}) == {"vi": 0, "dao": 2, "hmn": 0}


def test_choices_name_each_value_once() -> None:
    assert once_each(["vi", "dao"], "body.languages") == ["vi", "dao"]
    with pytest.raises(RuleViolation) as repeat:
        once_each(["vi", "dao", "vi"], "body.languages")
    assert (repeat.value.field, repeat.value.code) == ("body.languages.2", "listed_twice")


def test_a_part_never_exceeds_its_whole() -> None:
    at_most(5, 5, "body.members_female", "members")
    at_most(None, 5, "body.members_female", "members")
    with pytest.raises(RuleViolation) as over:
        at_most(6, 5, "body.members_female", "members")
    assert over.value.code == "over_cap"


def test_every_service_has_a_default_project_of_its_own() -> None:
    assert set(programmes.DEFAULT_PROJECT) == set(SERVICE_NAMES) | {"digital"}
    for service, code in programmes.DEFAULT_PROJECT.items():
        assert code in programmes.projects_of(service)
    assert programmes.default_project("gender") == "1719.DA8"
    assert programmes.projects_of("gender") == {"1719.DA8"}
    assert {"1719.DA3", "1719.DA3.TDA2", "263.OCOP"} <= programmes.projects_of("production")
    assert [p.code for p in programmes.PROGRAMMES] == ["90", "1719", "263"]
