"""Commune digital profiles: the figures that cannot be true together, and the rate drawn
from them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mtqg_shared.kit.profiles import rate
from mtqg_shared.rules import RuleViolation

FIGURES = (
    "officials",
    "officials_it_certified",
    "online_dossier_rate",
    "households",
    "households_fibre",
    "adults_with_smartphone",
)


def rates(figures: Mapping[str, Any]) -> dict[str, float]:
    return {"it_certified_rate": rate(figures["officials_it_certified"], figures["officials"])}


def inconsistencies(figures: Mapping[str, Any]) -> list[RuleViolation]:
    """Every rule the figures break together: certified officials are officials, households
    on fibre are households."""
    problems: list[RuleViolation] = []
    if figures["officials_it_certified"] > figures["officials"]:
        problems.append(
            RuleViolation("body.officials_it_certified", "over_cap.field", other="officials")
        )
    fibre, households = figures["households_fibre"], figures["households"]
    if fibre is not None and households is not None and fibre > households:
        problems.append(
            RuleViolation("body.households_fibre", "over_cap.field", other="households")
        )
    return problems
