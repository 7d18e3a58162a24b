"""Commune profiles as a resource (the kit's `YearlyProfiles`): every query about them. A
profile is named by its commune (as given, in its geography) and its year."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from labour.common import PREFIX
from labour.domain.profiles import ProfileFigures, inconsistencies, rates_of
from labour.models import CommuneProfile
from labour.profiles.schemas import ProfileRead
from mtqg_shared.kit.profiles import YearlyProfiles
from mtqg_shared.rules import RuleViolation

FIGURES = (
    "population",
    "households",
    "working_age",
    "employed_elsewhere",
    "poor_households",
    "near_poor_households",
)


def _rates(figures: dict[str, Any] | Any) -> dict[str, float]:
    return asdict(rates_of(ProfileFigures(**figures)))


def _check(figures: dict[str, Any] | Any) -> list[RuleViolation]:
    return [rule for _, rule in inconsistencies(ProfileFigures(**figures))]


book = YearlyProfiles(
    CommuneProfile, ProfileRead, figures=FIGURES, rates=_rates, check=_check, prefix=PREFIX
)
profiles = book.resource
