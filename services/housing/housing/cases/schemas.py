"""Bodies and answers of /cases and their steps."""

from __future__ import annotations

import datetime as dt
import uuid

from pydantic import BaseModel, ConfigDict, Field

from housing.domain.vocabulary import BeneficiaryGroup, CaseStatus, SupportType
from housing.web import OptionalName
from mtqg_shared.fields import Day, HouseholdCode, Name, Note
from mtqg_shared.pagination import Page
from mtqg_shared.schemas import CommuneCode, Geography, PlacedRead, RecordRead, StrictInput


class CaseCreate(StrictInput):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "household_code": "SMC-0001",
                    "head_of_household": "Giàng Seo Páo",
                    "commune_code": "02800",
                    "geography": "2025-01",
                    "village": "Sín Chải",
                    "beneficiary_group": "poor",
                    "support_type": "new_build",
                    "registered_on": "2024-03-01",
                }
            ]
        }
    )

    id: uuid.UUID | None = Field(default=None, description="Made by the client (offline).")
    household_code: HouseholdCode
    head_of_household: Name
    commune_code: CommuneCode
    geography: Geography | None = None
    village: OptionalName | None = None
    beneficiary_group: BeneficiaryGroup
    support_type: SupportType
    registered_on: Day | None = Field(
        default=None, description="Default today; never in the future."
    )
    notes: Note | None = None


class CaseUpdate(StrictInput):
    head_of_household: Name | None = None
    village: OptionalName | None = None
    notes: Note | None = None
    beneficiary_group: BeneficiaryGroup | None = Field(
        default=None, description="Only before the case is approved."
    )
    support_type: SupportType | None = Field(
        default=None, description="Only before the case is approved."
    )


class FundingBySource(BaseModel):
    central_budget: int
    local_budget: int
    mobilised: int
    household: int
    loan: int


class CaseRead(RecordRead, PlacedRead):
    household_code: str
    head_of_household: str
    village: str | None
    geography: Geography = Field(description="The geography commune_code was given in.")
    beneficiary_group: BeneficiaryGroup
    support_type: SupportType
    registered_on: dt.date
    notes: str | None
    status: CaseStatus
    funding_vnd: FundingBySource
    total_funding_vnd: int
    state_budget_vnd: int = Field(description="Central plus local budget.")
    norm_vnd: int | None = Field(
        description="The support norm in force on registered_on for the group and type."
    )
    completed_on: dt.date | None
    handed_over_on: dt.date | None


CasePage = Page[CaseRead]


class TransitionCreate(StrictInput):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"to": "surveyed", "on": "2024-03-05", "note": "house inspected"}]
        }
    )

    id: uuid.UUID | None = Field(default=None, description="Made by the client (offline).")
    to: CaseStatus
    on: Day | None = Field(default=None, description="Default today.")
    note: Note | None = Field(default=None, description="Required to cancel.")


class TransitionRead(RecordRead):
    model_config = ConfigDict(serialize_by_alias=True, populate_by_name=True)

    case_id: uuid.UUID
    seq: int = Field(description="The step's number in the case's path, from 1.")
    from_: CaseStatus | None = Field(alias="from")
    to: CaseStatus
    on: dt.date
    note: str | None
    actor: str
