"""Community model bodies and answers."""

from __future__ import annotations

import datetime as dt
import uuid

from pydantic import ConfigDict

from gender.domain.vocabulary import ModelKind
from mtqg_shared.fields import Count, Day, Members, Name, Village
from mtqg_shared.schemas import CommuneCode, Geography, PlacedRead, RecordRead, StrictInput


class ModelCreate(StrictInput):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "kind": "communication_team",
                    "name": "Đội truyền thông phòng, chống tảo hôn bản Lao Chải",
                    "commune_code": "03037",
                    "village": "Lao Chải",
                    "established_on": "2024-03-08",
                    "members": 12,
                    "members_female": 9,
                }
            ]
        }
    )

    id: uuid.UUID | None = None
    kind: ModelKind
    name: Name
    commune_code: CommuneCode
    geography: Geography | None = None
    village: Village | None = None
    established_on: Day
    members: Members
    members_female: Count


class ModelUpdate(StrictInput):
    """Any of these; giving `commune_code` or `geography` moves the model."""

    kind: ModelKind | None = None
    name: Name | None = None
    commune_code: CommuneCode | None = None
    geography: Geography | None = None
    village: Village | None = None
    established_on: Day | None = None
    members: Members | None = None
    members_female: Count | None = None


class ModelRead(RecordRead, PlacedRead):
    kind: ModelKind
    name: str
    geography: Geography
    village: str | None
    established_on: dt.date
    members: int
    members_female: int
