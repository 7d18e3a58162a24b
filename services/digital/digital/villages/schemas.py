"""Smart village bodies and answers, and their steps."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

from pydantic import ConfigDict, Field

from digital.domain.vocabulary import VillageStatus
from mtqg_shared.fields import STORABLE, Day, Note, Village, bounded
from mtqg_shared.schemas import CommuneCode, Geography, PlacedRead, RecordRead, StrictInput

DecisionNumber = Annotated[str, bounded(1, 64), STORABLE]


class VillageCreate(StrictInput):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "commune_code": "02923",
                    "geography": "2025-01",
                    "village": "Đông Căm",
                    "started_on": "2023-03-01",
                }
            ]
        }
    )

    id: uuid.UUID | None = None
    commune_code: CommuneCode
    geography: Geography | None = None
    village: Village
    started_on: Day


class VillageUpdate(StrictInput):
    """Any of these; giving `commune_code` or `geography` moves the village. The status
    moves only by a step."""

    commune_code: CommuneCode | None = None
    geography: Geography | None = None
    village: Village | None = None
    started_on: Day | None = None


class VillageRead(RecordRead, PlacedRead):
    geography: Geography
    village: str
    started_on: dt.date
    status: VillageStatus
    recognised_on: dt.date | None = Field(description="The day of the step to recognised.")
    decision_number: str | None = Field(description="The decision recognising it.")


class TransitionCreate(StrictInput):
    to: VillageStatus
    on: Day | None = Field(default=None, description="Default today.")
    decision_number: DecisionNumber | None = Field(
        default=None, description="Required on the step to recognised."
    )
    note: Note | None = None


class TransitionRead(RecordRead):
    model_config = ConfigDict(serialize_by_alias=True, populate_by_name=True)

    village_id: uuid.UUID
    seq: int = Field(description="The step's number in the village's path, from 1.")
    from_: VillageStatus = Field(alias="from")
    to: VillageStatus
    on: dt.date
    decision_number: str | None
    note: str | None
    actor: str
