"""Protection case bodies and answers: no field names the victim or holds an identity number
(such a field is refused as any unknown field)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

from pydantic import ConfigDict, Field

from gender.cases.status import CaseKind, CaseOutcome, CaseStatus, VictimSex
from gender.schemas import Body
from mtqg_shared.fields import STORABLE, Day, Note, bounded
from mtqg_shared.schemas import CommuneCode, Geography, PlacedRead, RecordRead, StrictInput

Age = Annotated[int, Field(strict=True, ge=0, le=120)]
Ethnicity = Annotated[str, bounded(1, 64), STORABLE]


class CaseCreate(StrictInput):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "kind": "child_marriage",
                    "commune_code": "03037",
                    "reported_on": "2025-10-02",
                    "victim_sex": "female",
                    "victim_age": 15,
                    "victim_ethnicity": "Mông",
                    "summary": "Gia đình chuẩn bị cưới cho con gái chưa đủ tuổi kết hôn.",
                }
            ]
        }
    )

    id: uuid.UUID | None = None
    kind: CaseKind
    commune_code: CommuneCode
    geography: Geography | None = None
    reported_on: Day
    victim_sex: VictimSex
    victim_age: Age
    victim_ethnicity: Ethnicity | None = None
    summary: Body


class CaseUpdate(StrictInput):
    """Any of these; giving `commune_code` or `geography` moves the case. The status moves
    only by a step."""

    kind: CaseKind | None = None
    commune_code: CommuneCode | None = None
    geography: Geography | None = None
    reported_on: Day | None = None
    victim_sex: VictimSex | None = None
    victim_age: Age | None = None
    victim_ethnicity: Ethnicity | None = None
    summary: Body | None = None


class CaseRead(RecordRead, PlacedRead):
    kind: CaseKind
    geography: Geography
    reported_on: dt.date
    victim_sex: VictimSex
    victim_age: int
    victim_ethnicity: str | None
    summary: str
    status: CaseStatus
    outcome: CaseOutcome | None = Field(description="Set by the step to closed.")


class TransitionCreate(StrictInput):
    to: CaseStatus
    on: Day | None = Field(default=None, description="Default today.")
    outcome: CaseOutcome | None = Field(
        default=None, description="Required on the step to closed, refused on any other."
    )
    note: Note | None = None


class TransitionRead(RecordRead):
    model_config = ConfigDict(serialize_by_alias=True, populate_by_name=True)

    case_id: uuid.UUID
    seq: int = Field(description="The step's number in the case's path, from 1.")
    from_: CaseStatus = Field(alias="from")
    to: CaseStatus
    on: dt.date
    outcome: CaseOutcome | None
    note: str | None
    actor: str
