"""Activity bodies and answers."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

from pydantic import ConfigDict, Field

from gender.domain.vocabulary import ActivityKind, Language, Topic
from mtqg_shared.fields import Count, Day
from mtqg_shared.schemas import CommuneCode, Geography, PlacedRead, RecordRead, StrictInput

Topics = Annotated[list[Topic], Field(min_length=1, max_length=len(Topic))]
Languages = Annotated[list[Language], Field(min_length=1, max_length=len(Language))]


class ActivityCreate(StrictInput):
    """Each topic and language at most once."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "kind": "communication",
                    "held_on": "2025-09-12",
                    "commune_code": "03037",
                    "topics": ["domestic_violence", "child_marriage"],
                    "languages": ["vi", "hmn"],
                    "participants": 85,
                    "participants_female": 60,
                }
            ]
        }
    )

    id: uuid.UUID | None = None
    kind: ActivityKind
    held_on: Day
    commune_code: CommuneCode
    geography: Geography | None = None
    model_id: uuid.UUID | None = Field(default=None, description="The model that held it.")
    topics: Topics
    languages: Languages
    participants: Count
    participants_female: Count
    online_reach: Count | None = Field(
        default=None, description="People reached online (views, shares) beyond participants."
    )


class ActivityUpdate(StrictInput):
    """Any of these; giving `commune_code` or `geography` moves the activity."""

    kind: ActivityKind | None = None
    held_on: Day | None = None
    commune_code: CommuneCode | None = None
    geography: Geography | None = None
    model_id: uuid.UUID | None = None
    topics: Topics | None = None
    languages: Languages | None = None
    participants: Count | None = None
    participants_female: Count | None = None
    online_reach: Count | None = None


class ActivityRead(RecordRead, PlacedRead):
    kind: ActivityKind
    held_on: dt.date
    geography: Geography
    model_id: uuid.UUID | None
    topics: list[Topic]
    languages: list[Language]
    participants: int
    participants_female: int
    online_reach: int | None
