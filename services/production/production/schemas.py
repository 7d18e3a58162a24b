"""Input types of the production service beyond the common ones (`mtqg_shared.fields`):
strict about what reaches the database.

Codes are plain characters, counts are strict integers and hectares are numbers with at most
four decimals (one square metre).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field, StringConstraints

from mtqg_shared import fields
from mtqg_shared.fields import STORABLE, bounded
from mtqg_shared.messages.pydantic import invalid
from production.domain.land import HA_DECIMALS, ha_to_m2

ShortText = Annotated[str, bounded(1, 100), STORABLE]
# Household codes are the key the gateway's household view joins on: one type for every
# service (any storable text of 1-32 characters, as the contract says for housing).
HouseholdCode = fields.HouseholdCode
ProjectCode = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=1, max_length=32, pattern=r"^[0-9A-Za-z._/-]+$"
    ),
]
# A zone lies in a commune (5 digits) or a legacy district (3 digits).
ZoneAreaCode = Annotated[str, StringConstraints(pattern=r"^([0-9]{3}|[0-9]{5})$")]
Count = Annotated[int, Field(strict=True, ge=0, le=10_000_000)]
Year = Annotated[int, Field(strict=True, ge=1990, le=2100)]


def _exact_ha(value: float) -> float:
    try:
        ha_to_m2(value)
    except ValueError:  # finer than one square metre
        raise invalid("too_long.decimals", decimal_places=HA_DECIMALS) from None
    return value


Hectares = Annotated[
    float,
    Field(strict=True, ge=0, le=100_000_000, allow_inf_nan=False),
    AfterValidator(_exact_ha),
]
