"""Commune labour profiles: the figures a commune reports each year, and the rates drawn
from them."""

from __future__ import annotations

from dataclasses import dataclass

from mtqg_shared.rules import RuleViolation


@dataclass(frozen=True, slots=True)
class ProfileFigures:
    population: int
    households: int
    working_age: int
    employed_elsewhere: int
    poor_households: int
    near_poor_households: int


def rate(part: int, whole: int) -> float:
    """A fraction (0.404, not 40.4); 0 when there is nothing to divide by."""
    return part / whole if whole else 0.0


def inconsistencies(figures: ProfileFigures) -> list[tuple[str, RuleViolation]]:
    """(field, rule broken) for every figure that cannot be true given the others."""
    problems: list[RuleViolation] = []
    if figures.households > figures.population:
        problems.append(RuleViolation("body.households", "over_cap.field", other="population"))
    if figures.working_age > figures.population:
        problems.append(RuleViolation("body.working_age", "over_cap.field", other="population"))
    if figures.employed_elsewhere > figures.working_age:
        problems.append(
            RuleViolation("body.employed_elsewhere", "over_cap.field", other="working_age")
        )
    if figures.poor_households + figures.near_poor_households > figures.households:
        problems.append(RuleViolation("body.near_poor_households", "over_cap.households"))
    return [(problem.field, problem) for problem in problems]


@dataclass(frozen=True, slots=True)
class ProfileRates:
    working_age_rate: float
    employed_elsewhere_rate: float
    poor_rate: float
    near_poor_rate: float


def rates_of(figures: ProfileFigures) -> ProfileRates:
    return ProfileRates(
        working_age_rate=rate(figures.working_age, figures.population),
        employed_elsewhere_rate=rate(figures.employed_elsewhere, figures.working_age),
        poor_rate=rate(figures.poor_households, figures.households),
        near_poor_rate=rate(figures.near_poor_households, figures.households),
    )
