"""Bodies and answers of /obstacles."""

from __future__ import annotations

import datetime as dt
import uuid

from pydantic import ConfigDict, Field

from housing.domain.vocabulary import ObstacleStatus, Severity
from housing.web import RequiredLongText
from mtqg_shared.fields import Day, Name
from mtqg_shared.schemas import AreaCode, AreaRef, Geography, RecordRead, StrictInput


class ObstacleCreate(StrictInput):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "area_code": "02809",
                    "title": "Landslide on the road to Lử Thẩn",
                    "description": "Building materials cannot reach three houses.",
                    "severity": "high",
                    "reported_on": "2025-08-04",
                }
            ]
        }
    )

    id: uuid.UUID | None = Field(default=None, description="Made by the client (offline).")
    area_code: AreaCode | None = Field(
        default=None, description="Required unless case_id is given (then the case's commune)."
    )
    geography: Geography | None = None
    case_id: uuid.UUID | None = None
    title: Name
    description: RequiredLongText
    severity: Severity
    reported_on: Day


class ObstacleUpdate(StrictInput):
    title: Name | None = None
    description: RequiredLongText | None = None
    severity: Severity | None = None
    status: ObstacleStatus | None = Field(
        default=None, description="`resolved` (with a resolution); never back to open."
    )
    resolution: RequiredLongText | None = Field(default=None, description="Resolves the obstacle.")
    resolved_on: Day | None = Field(default=None, description="Default today.")


class ObstacleRead(RecordRead):
    area_code: str
    geography: Geography
    area: AreaRef
    case_id: uuid.UUID | None
    title: str
    description: str
    severity: Severity
    reported_on: dt.date
    status: ObstacleStatus
    resolution: str | None
    resolved_on: dt.date | None
