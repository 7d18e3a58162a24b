"""Arithmetic of the overview report: turning SQL aggregates into the contract's shape."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from production.domain.land import M2_PER_HA
from production.domain.ocop import STARS


def zones_by_crop(rows: Iterable[tuple[str, int, int, int]]) -> dict[str, dict[str, float]]:
    """(crop, area m², certified m², linked m²) sums -> hectares by crop; only crops with data."""
    return {
        crop: {
            "area_ha": area / M2_PER_HA,
            "certified_area_ha": certified / M2_PER_HA,
            "linked_area_ha": linked / M2_PER_HA,
        }
        for crop, area, certified, linked in sorted(rows)
    }


def by_stars(counts: Mapping[int, int]) -> dict[str, int]:
    """Every star rating, zeros included."""
    return {str(stars): int(counts.get(stars, 0)) for stars in STARS}


def disbursed_by_year(rows: Iterable[tuple[int, int]]) -> dict[str, int]:
    """(year, sum) -> {"YYYY": sum}; only years with entries, in order."""
    return {f"{int(year):04d}": int(total) for year, total in sorted(rows)}


def disbursed_in(by_year: Mapping[str, int], year: int | None) -> int:
    """That year's disbursements, or all of them without a year."""
    if year is None:
        return sum(by_year.values())
    return by_year.get(f"{year:04d}", 0)
