"""Land in hectares, kept exact: stored as whole square metres, summed as integers."""

from __future__ import annotations

from decimal import Decimal

from mtqg_shared.rules import RuleViolation

M2_PER_HA = 10_000
# One square metre: the finest area the service keeps.
HA_DECIMALS = 4


def ha_to_m2(ha: float) -> int:
    """Exact conversion; ValueError when the value is finer than one square metre."""
    exact = Decimal(repr(ha)) * M2_PER_HA
    if exact != exact.to_integral_value():
        raise ValueError(f"hectares may have at most {HA_DECIMALS} decimals (1 m²)")
    return int(exact)


def m2_to_ha(m2: int | None) -> float | None:
    return None if m2 is None else m2 / M2_PER_HA


def check_zone_land(
    area_m2: int,
    certified_m2: int | None,
    linked_m2: int | None,
    certification: str | None,
) -> None:
    """Certified and linked land lie inside the zone; certified land names its certificate."""
    if certified_m2 is not None and certified_m2 > area_m2:
        raise RuleViolation("body.certified_area_ha", "over_cap.field", other="area_ha")
    if linked_m2 is not None and linked_m2 > area_m2:
        raise RuleViolation("body.linked_area_ha", "over_cap.field", other="area_ha")
    if certified_m2 and certification is None:
        raise RuleViolation("body.certification", "required.with_field", other="certified_area_ha")
