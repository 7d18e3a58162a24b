"""The programme rules of every money entry (kit.money), without HTTP: a service's default
project, its own projects only, the capital type, and what a reversal copies."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from mtqg_shared.errors import Problem
from mtqg_shared.kit.money import CapitalType, ProgrammeTags
from mtqg_shared.rules import RuleViolation

ENTRY = SimpleNamespace(
    source="central_budget",
    project_code="263.OCOP",
    capital_type="investment",
    on=dt.date(2025, 3, 10),
    amount_vnd=5_000_000,
)


def body(**fields: object) -> SimpleNamespace:
    return SimpleNamespace(**({"on": dt.date(2025, 3, 10)} | fields))


@pytest.mark.parametrize(
    ("service", "default"),
    [
        ("housing", "90.DA5"),
        ("labour", "90.DA4"),
        ("production", "1719.DA3"),
        ("gender", "1719.DA8"),
        ("digital", "263.CDS"),
    ],
)
def test_a_new_entry_takes_its_services_project_and_recurrent_capital(
    service: str, default: str
) -> None:
    tags = ProgrammeTags(service)
    assert tags.new(body()) == {"project_code": default, "capital_type": "recurrent"}
    given = body(project_code=default, capital_type=CapitalType.investment)
    assert tags.new(given) == {"project_code": default, "capital_type": "investment"}


def test_production_records_ocop_money_too_and_no_one_records_anothers() -> None:
    assert ProgrammeTags("production").new(body(project_code="263.OCOP"))["project_code"] == (
        "263.OCOP"
    )
    for service, foreign in (("housing", "90.DA4"), ("digital", "263.OCOP"), ("labour", "90")):
        with pytest.raises(RuleViolation) as refused:
            ProgrammeTags(service).new(body(project_code=foreign))
        assert refused.value.field == "body.project_code"


def test_a_reversal_copies_its_entry_and_refuses_another_value() -> None:
    copied = {"source": "central_budget", "project_code": "263.OCOP", "capital_type": "investment"}
    assert ProgrammeTags.reversal(body(), ENTRY) == copied
    same = body(source="central_budget", project_code="263.OCOP", capital_type="investment")
    assert ProgrammeTags.reversal(same, ENTRY) == copied
    with pytest.raises(Problem) as refused:
        ProgrammeTags.reversal(
            body(project_code="1719.DA3", capital_type=CapitalType.recurrent), ENTRY
        )
    fields = [error.field for error in refused.value.errors or []]  # type: ignore[union-attr]
    assert fields == ["body.project_code", "body.capital_type"]


def test_a_reversal_is_dated_on_or_after_its_entry() -> None:
    ProgrammeTags.reversal(body(on=dt.date(2025, 3, 10)), ENTRY)
    with pytest.raises(RuleViolation) as refused:
        ProgrammeTags.reversal(body(on=dt.date(2025, 3, 9)), ENTRY)
    assert refused.value.field == "body.on"
