"""Linkage project bodies and answers, with their status steps, money and households."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

from pydantic import ConfigDict, Field

from mtqg_shared.fields import Day, Name, Note
from mtqg_shared.kit.money import CapitalType, capital_field, project_field
from mtqg_shared.kit.money import ProjectCode as ProgrammeProject
from mtqg_shared.schemas import CommuneCode, Geography, PositiveVnd, RecordRead, StrictInput, Vnd
from production.domain.status import ProjectStatus
from production.domain.vocabulary import (
    Crop,
    DisbursementSource,
    HouseholdPoverty,
    LeadEntityType,
)
from production.schemas import Count, HouseholdCode
from production.schemas import ProjectCode as Code

Communes = Annotated[list[CommuneCode], Field(min_length=1, max_length=100)]


class ProjectCreate(StrictInput):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "code": "BY-LK-2024-01",
                    "name": "Liên kết sản xuất quế hữu cơ",
                    "lead_entity": "HTX Nông nghiệp Nghĩa Đô",
                    "lead_entity_type": "cooperative",
                    "product": "quế vỏ",
                    "crop": "cinnamon",
                    "commune_codes": ["02953", "02956"],
                    "geography": "2025-01",
                    "start_on": "2024-03-01",
                    "total_cost_vnd": 5_000_000_000,
                    "state_support_vnd": 3_000_000_000,
                    "households": 120,
                    "poor_households": 30,
                    "near_poor_households": 24,
                    "proposed_on": "2024-02-01",
                }
            ]
        }
    )

    id: uuid.UUID | None = None
    code: Code | None = None
    name: Name
    lead_entity: Name
    lead_entity_type: LeadEntityType
    product: Name
    crop: Crop | None = None
    commune_codes: Communes
    geography: Geography | None = None
    start_on: Day
    end_on: Day | None = None
    total_cost_vnd: Vnd
    state_support_vnd: Vnd
    households: Count
    poor_households: Count
    near_poor_households: Count
    proposed_on: Day | None = None


class ProjectUpdate(StrictInput):
    """Any of these. Money and communes change only while the project is proposed."""

    code: Code | None = None
    name: Name | None = None
    lead_entity: Name | None = None
    lead_entity_type: LeadEntityType | None = None
    product: Name | None = None
    crop: Crop | None = None
    commune_codes: Communes | None = None
    geography: Geography | None = None
    start_on: Day | None = None
    end_on: Day | None = None
    total_cost_vnd: Vnd | None = None
    state_support_vnd: Vnd | None = None
    households: Count | None = None
    poor_households: Count | None = None
    near_poor_households: Count | None = None


class ProjectRead(RecordRead):
    code: str | None
    name: str
    lead_entity: str
    lead_entity_type: LeadEntityType
    product: str
    crop: Crop | None
    commune_codes: list[str]
    legacy_commune_codes: list[str] | None
    legacy_district_codes: list[str] | None
    geography: Geography
    start_on: dt.date
    end_on: dt.date | None
    total_cost_vnd: int
    state_support_vnd: int
    disbursed_vnd: int
    households: int
    poor_households: int
    near_poor_households: int
    proposed_on: dt.date
    status: ProjectStatus
    # Where a suspended project goes back to.
    suspended_from: ProjectStatus | None
    approved_on: dt.date | None
    completed_on: dt.date | None


class TransitionCreate(StrictInput):
    to: ProjectStatus
    on: Day | None = None
    note: Note | None = None


class TransitionRead(RecordRead):
    # Answered as "from" and "to", the words of the request (as housing's case steps).
    model_config = ConfigDict(serialize_by_alias=True, populate_by_name=True)

    project_id: uuid.UUID
    from_: ProjectStatus | None = Field(alias="from")
    to: ProjectStatus
    on: dt.date
    note: str | None
    actor: str


class DisbursementCreate(StrictInput):
    """A disbursement (`amount_vnd`, `source`, `on`) or the reversal of one (`reverses`, `on`)."""

    id: uuid.UUID | None = None
    amount_vnd: PositiveVnd | None = None
    source: DisbursementSource | None = None
    project_code: ProgrammeProject | None = project_field("production")
    capital_type: CapitalType | None = capital_field()
    reverses: uuid.UUID | None = None
    on: Day
    note: Note | None = None


class DisbursementRead(RecordRead):
    project_id: uuid.UUID
    on: dt.date
    source: DisbursementSource
    # Negative for a reversal.
    amount_vnd: int
    project_code: str
    capital_type: CapitalType
    reverses: uuid.UUID | None
    reversed_by: uuid.UUID | None
    note: str | None


class ParticipantCreate(StrictInput):
    id: uuid.UUID | None = None
    household_code: HouseholdCode
    household_poverty: HouseholdPoverty


class ParticipantRead(RecordRead):
    project_id: uuid.UUID
    household_code: str
    household_poverty: HouseholdPoverty
