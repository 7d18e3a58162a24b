"""Input types every resource of the service shares: strict about what reaches the database.

Text never carries control characters (PostgreSQL refuses NUL; nobody types the others), dates
are `YYYY-MM-DD` strings within a sane range (so date arithmetic cannot overflow), counts are
strict integers and hectares are numbers with at most four decimals (one square metre).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, Field, StringConstraints

from production.domain.land import ha_to_m2

_NO_CONTROL = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
FIRST_DAY = dt.date(1900, 1, 1)
LAST_DAY = dt.date(2200, 12, 31)

Name = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200, pattern=_NO_CONTROL),
]
ShortText = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=100, pattern=_NO_CONTROL),
]
Note = Annotated[str, StringConstraints(max_length=4000, pattern=_NO_CONTROL)]
HouseholdCode = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=1, max_length=32, pattern=r"^[0-9A-Za-z._/-]+$"
    ),
]
ProjectCode = HouseholdCode
CommuneCode = Annotated[str, StringConstraints(pattern=r"^[0-9]{5}$")]
# A zone lies in a commune (5 digits) or a legacy district (3 digits).
ZoneAreaCode = Annotated[str, StringConstraints(pattern=r"^([0-9]{3}|[0-9]{5})$")]
AreaCode = Annotated[str, StringConstraints(pattern=r"^([0-9]{2}|[0-9]{3}|[0-9]{5})$")]
Geography = Annotated[str, StringConstraints(pattern=r"^2025-(01|07)$")]
Count = Annotated[int, Field(strict=True, ge=0, le=10_000_000)]
Year = Annotated[int, Field(strict=True, ge=1990, le=2100)]


def _iso_day(value: object) -> object:
    # JSON has no date type: only the written form YYYY-MM-DD is a date (never a number).
    if isinstance(value, dt.datetime) or not isinstance(value, str | dt.date):
        raise ValueError("must be a date written YYYY-MM-DD")
    if isinstance(value, str) and not _DAY.fullmatch(value):
        raise ValueError("must be a date written YYYY-MM-DD")
    return value


Day = Annotated[dt.date, BeforeValidator(_iso_day), Field(ge=FIRST_DAY, le=LAST_DAY)]


def _exact_ha(value: float) -> float:
    ha_to_m2(value)  # raises ValueError when finer than one square metre
    return value


Hectares = Annotated[
    float,
    Field(strict=True, ge=0, le=100_000_000, allow_inf_nan=False),
    AfterValidator(_exact_ha),
]
