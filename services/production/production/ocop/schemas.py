"""OCOP product bodies and answers."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

from pydantic import ConfigDict, Field

from mtqg_shared.fields import Day, Name
from mtqg_shared.schemas import CommuneCode, Geography, PlacedRead, RecordRead, StrictInput
from production.schemas import ShortText

Stars = Annotated[int, Field(strict=True, ge=1, le=5)]
Score = Annotated[int, Field(strict=True, ge=0, le=100)]


class OcopCreate(StrictInput):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "name": "Tinh dầu quế Bảo Yên",
                    "producer": "HTX Quế Bảo Yên",
                    "commune_code": "02947",
                    "category": "thảo dược",
                    "stars": 4,
                    "score": 78,
                    "certified_on": "2025-09-15",
                }
            ]
        }
    )

    id: uuid.UUID | None = None
    name: Name
    producer: Name
    commune_code: CommuneCode
    geography: Geography | None = None
    category: ShortText
    stars: Stars
    score: Score | None = None
    certified_on: Day
    expires_on: Day | None = Field(
        default=None, description="Defaults to 36 months after certified_on."
    )


class OcopUpdate(StrictInput):
    """Any of these. A new `certified_on` without `expires_on` starts a new default term."""

    name: Name | None = None
    producer: Name | None = None
    commune_code: CommuneCode | None = None
    geography: Geography | None = None
    category: ShortText | None = None
    stars: Stars | None = None
    score: Score | None = None
    certified_on: Day | None = None
    expires_on: Day | None = None


class OcopRead(RecordRead, PlacedRead):
    name: str
    producer: str
    geography: Geography
    category: str
    stars: int
    score: int | None
    certified_on: dt.date
    expires_on: dt.date
