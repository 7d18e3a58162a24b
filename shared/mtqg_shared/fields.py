"""Input types and documented parameters that every programme service reads the same way.

Text is stripped, bounded and storable: PostgreSQL text cannot hold NUL and a lone surrogate
cannot be encoded, so both are refused here (422) rather than failing in the database (500);
other control characters are refused too (nobody types them; tab and line breaks are kept).
Dates are written `YYYY-MM-DD` and lie within a sane range, so date arithmetic cannot
overflow. The `Idempotency-Key` and `If-Match` headers are declared so that clients see them
documented; the shared write context and `check_if_match` read and enforce them.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from fastapi import Header, Query
from pydantic import AfterValidator, BeforeValidator, Field, StringConstraints, WithJsonSchema

from mtqg_shared.messages.pydantic import invalid
from mtqg_shared.schemas import Geography

NO_CONTROL = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
FIRST_DAY = dt.date(1900, 1, 1)
LAST_DAY = dt.date(2200, 12, 31)


def storable(value: str) -> str:
    """The text itself, when a database can store it; else a ValueError (a 422, its code
    `invalid_format`)."""
    if _CONTROL.search(value):
        raise invalid("invalid_format.control_characters")
    if not value.isascii():  # only a lone surrogate fails to encode
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise invalid("invalid_format.unicode") from exc
    return value


def is_storable(value: str) -> bool:
    """What `storable` accepts, answered without an exception (a sheet's every cell)."""
    if _CONTROL.search(value):
        return False
    if value.isascii():
        return True
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


_CONTROL_BYTE = re.compile(_CONTROL.pattern.encode())


def is_storable_utf8(data: bytes) -> bool:
    """Whether every text in `data` (UTF-8, as `bytes.decode` strictly reads it, so no lone
    surrogate) is what `storable` accepts: one look at the whole file, not one per cell (a
    control character is one byte of its own in UTF-8, never part of another character)."""
    return _CONTROL_BYTE.search(data) is None


STORABLE = AfterValidator(storable)


def bounded(min_length: int, max_length: int) -> StringConstraints:
    """Stripped text of a length; the pattern documents (and enforces) no control characters."""
    return StringConstraints(
        strip_whitespace=True, min_length=min_length, max_length=max_length, pattern=NO_CONTROL
    )


Name = Annotated[str, bounded(1, 200), STORABLE]
Note = Annotated[str, bounded(0, 4000), STORABLE]
# The household's code as the programmes record it; the join key of the household view.
HouseholdCode = Annotated[str, bounded(1, 32), STORABLE]
Village = Annotated[str, bounded(1, 200), STORABLE]
# Head counts: people, members, items (0 or more; Members 1 or more).
Count = Annotated[int, Field(strict=True, ge=0, le=10_000_000)]
Members = Annotated[int, Field(strict=True, ge=1, le=10_000_000)]


def _iso_day(value: object) -> object:
    # FastAPI validates bodies as Python objects, where pydantic's lax mode would also take a
    # number of seconds or a timestamp for a date; the contract says YYYY-MM-DD, so only that.
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and _DAY.fullmatch(value):
        return value
    raise invalid("invalid_format.day")


# JSON Schema has no bounds for dates: the document says them in words (pydantic would
# otherwise write its own `ge`/`le` keywords, which no OpenAPI tool knows); the runtime check
# is the Field's.
Day = Annotated[
    dt.date,
    BeforeValidator(_iso_day),
    Field(ge=FIRST_DAY, le=LAST_DAY),
    WithJsonSchema(
        {
            "type": "string",
            "format": "date",
            "description": f"A day from {FIRST_DAY.isoformat()} to {LAST_DAY.isoformat()}.",
        }
    ),
]

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=255,
        description="Replays the first answer for the same key and body within 24 h.",
    ),
]
IfMatch = Annotated[
    str | None,
    Header(alias="If-Match", description='The ETag of the version read, e.g. "3".'),
]

# An optional area filter of a list or report; see `areas.filter_area`.
AreaFilter = Annotated[
    str | None,
    Query(
        pattern=r"^([0-9]{2}|[0-9]{3}|[0-9]{5})$",
        description="15 (province), 10 (old Lào Cai), a 3-digit old district or a commune.",
    ),
]
GeographyFilter = Annotated[Geography | None, Query(description="How to read a commune area_code.")]
