"""Placement bodies and answers, and their status steps."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Literal

from pydantic import ConfigDict, Field, StringConstraints

from labour.domain.status import PlacementStatus
from mtqg_shared.fields import Day, Name, Note
from mtqg_shared.schemas import PlacedRead, RecordRead, StrictInput, Vnd

Scheme = Literal["eps", "titp", "ssw", "contract", "seasonal", "other"]
Country = Annotated[
    str,
    StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z]{2}$"),
    Field(description="ISO 3166-1 alpha-2, e.g. TW, KR, JP."),
]
ContractMonths = Annotated[int, Field(ge=1, le=120, strict=True)]


class PlacementCreate(StrictInput):
    id: uuid.UUID | None = Field(default=None, description="Made by the client (offline).")
    worker_id: uuid.UUID
    destination_country: Country
    scheme: Scheme
    partner_id: uuid.UUID | None = None
    employer: Name | None = None
    sector: Name | None = None
    contract_months: ContractMonths | None = None
    monthly_salary_vnd: Vnd | None = None
    registered_on: Day | None = Field(
        default=None, description="Default today; never in the future."
    )
    notes: Note | None = None


class PlacementUpdate(StrictInput):
    destination_country: Country | None = Field(
        default=None, description="Only before the worker departs."
    )
    scheme: Scheme | None = Field(default=None, description="Only before the worker departs.")
    partner_id: uuid.UUID | None = None
    employer: Name | None = None
    sector: Name | None = None
    contract_months: ContractMonths | None = None
    monthly_salary_vnd: Vnd | None = None
    notes: Note | None = None


class PlacementRead(PlacedRead, RecordRead):
    """commune_code and the legacy codes are the worker's: a placement lies where its worker
    lives."""

    worker_id: uuid.UUID
    destination_country: str
    scheme: Scheme
    partner_id: uuid.UUID | None
    employer: str | None
    sector: str | None
    contract_months: int | None
    monthly_salary_vnd: int | None
    registered_on: dt.date
    status: PlacementStatus
    departed_on: dt.date | None
    returned_on: dt.date | None
    withdrawn_on: dt.date | None
    remittances_vnd: int = Field(description="The sum of the placement's remittances.")
    notes: str | None


class TransitionCreate(StrictInput):
    to: PlacementStatus
    on: Day | None = Field(default=None, description="Default today.")
    note: Note | None = Field(default=None, description="Required to withdraw.")


class TransitionRead(RecordRead):
    model_config = ConfigDict(serialize_by_alias=True, populate_by_name=True)

    placement_id: uuid.UUID
    seq: int = Field(description="The step's number in the placement's path, from 1.")
    from_: PlacementStatus | None = Field(alias="from")
    to: PlacementStatus
    on: dt.date
    note: str | None
    actor: str
