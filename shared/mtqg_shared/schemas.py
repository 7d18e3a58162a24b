"""Base schemas: strict inputs (unknown fields are 422) and the fields every record answers."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, WithJsonSchema

from mtqg_shared.admin_units import GEOGRAPHIES

MAX_VND = 10**15

# Money: integer VND, never a float, never silently rounded.
Vnd = Annotated[int, Field(ge=0, le=MAX_VND, strict=True)]
PositiveVnd = Annotated[int, Field(gt=0, le=MAX_VND, strict=True)]
CommuneCode = Annotated[str, StringConstraints(pattern=r"^[0-9]{5}$")]
AreaCode = Annotated[str, StringConstraints(pattern=r"^([0-9]{2}|[0-9]{3}|[0-9]{5})$")]
# One of the two geographies, documented as the closed set it is (the pattern checks it).
Geography = Annotated[
    str,
    StringConstraints(pattern=r"^2025-(01|07)$"),
    WithJsonSchema({"type": "string", "enum": list(GEOGRAPHIES)}),
]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
LongText = Annotated[str, StringConstraints(max_length=4000)]


class StrictInput(BaseModel):
    """Every create and update body: unknown fields are refused."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class RecordRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    created_at: dt.datetime
    updated_at: dt.datetime
    created_by: str
    version: int


class PlacedRead(BaseModel):
    commune_code: str
    legacy_commune_code: str | None
    legacy_district_code: str | None


class AreaRef(BaseModel):
    code: str
    name: str


# A field's schema extension: an export writes the field as one JSON cell, not as a dotted
# column per nested field (a frozen report inside a record). `Field(json_schema_extra=ONE_CELL)`.
ONE_CELL: dict[str, Any] = {"x-one-cell": True}


def is_one_cell(extra: Any) -> bool:
    return isinstance(extra, dict) and extra.get("x-one-cell") is True
