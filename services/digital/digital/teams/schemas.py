"""Team bodies and answers."""

from __future__ import annotations

import datetime as dt
import uuid

from pydantic import ConfigDict

from mtqg_shared.fields import Day, Members, Village
from mtqg_shared.schemas import CommuneCode, Geography, PlacedRead, RecordRead, StrictInput


class TeamCreate(StrictInput):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "commune_code": "02923",
                    "geography": "2025-01",
                    "village": "Đông Căm",
                    "established_on": "2023-05-10",
                    "members": 5,
                }
            ]
        }
    )

    id: uuid.UUID | None = None
    commune_code: CommuneCode
    geography: Geography | None = None
    village: Village | None = None
    established_on: Day
    members: Members


class TeamUpdate(StrictInput):
    """Any of these; giving `commune_code` or `geography` moves the team."""

    commune_code: CommuneCode | None = None
    geography: Geography | None = None
    village: Village | None = None
    established_on: Day | None = None
    members: Members | None = None


class TeamRead(RecordRead, PlacedRead):
    geography: Geography
    village: str | None
    established_on: dt.date
    members: int
