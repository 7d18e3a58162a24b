"""Worker bodies and answers."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Literal

from pydantic import StringConstraints

from labour.common import ShortText
from mtqg_shared.fields import Day, HouseholdCode, Name
from mtqg_shared.schemas import CommuneCode, Geography, PlacedRead, RecordRead, StrictInput

Gender = Literal["female", "male"]
HouseholdPoverty = Literal["poor", "near_poor", "escaped", "none", "unknown"]
NationalId = Annotated[str, StringConstraints(pattern=r"^[0-9]{12}$")]
Phone = Annotated[
    str, StringConstraints(strip_whitespace=True, pattern=r"^\+?[0-9][0-9 .-]{6,18}[0-9]$")
]


class WorkerCreate(StrictInput):
    id: uuid.UUID | None = None
    national_id: NationalId
    full_name: Name
    date_of_birth: Day
    gender: Gender
    ethnicity: ShortText | None = None
    commune_code: CommuneCode
    geography: Geography | None = None
    village: Name | None = None
    household_code: HouseholdCode | None = None
    household_poverty: HouseholdPoverty
    phone: Phone | None = None


class WorkerUpdate(StrictInput):
    """Only the fields sent change; `commune_code` (with `geography`) moves the worker, and
    their placements with them."""

    national_id: NationalId | None = None
    full_name: Name | None = None
    date_of_birth: Day | None = None
    gender: Gender | None = None
    ethnicity: ShortText | None = None
    commune_code: CommuneCode | None = None
    geography: Geography | None = None
    village: Name | None = None
    household_code: HouseholdCode | None = None
    household_poverty: HouseholdPoverty | None = None
    phone: Phone | None = None


class WorkerRead(PlacedRead, RecordRead):
    national_id: str
    full_name: str
    date_of_birth: dt.date
    gender: Gender
    ethnicity: str | None
    village: str | None
    household_code: str | None
    household_poverty: HouseholdPoverty
    phone: str | None
    remittances_vnd: int
