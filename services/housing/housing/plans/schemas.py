"""Bodies and answers of /plans."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from mtqg_shared.fields import Day, Name
from mtqg_shared.schemas import AreaCode, AreaRef, Geography, RecordRead, StrictInput

Houses = Annotated[int, Field(ge=0, le=1_000_000, strict=True)]


class MilestoneIn(StrictInput):
    due_on: Day
    completed_target: Houses = Field(description="Houses completed by due_on (cumulative).")


class PlanCreate(StrictInput):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "area_code": "084",
                    "title": "Remove every temporary house in Si Ma Cai",
                    "target_new_build": 380,
                    "target_repair": 248,
                    "deadline": "2024-12-31",
                    "milestones": [
                        {"due_on": "2024-06-30", "completed_target": 200},
                        {"due_on": "2024-12-31", "completed_target": 628},
                    ],
                }
            ]
        }
    )

    id: uuid.UUID | None = Field(default=None, description="Made by the client (offline).")
    area_code: AreaCode
    geography: Geography | None = None
    title: Name
    target_new_build: Houses
    target_repair: Houses
    deadline: Day
    milestones: list[MilestoneIn] = Field(default_factory=list, max_length=100)


class PlanUpdate(StrictInput):
    title: Name | None = None
    target_new_build: Houses | None = None
    target_repair: Houses | None = None
    deadline: Day | None = None
    milestones: list[MilestoneIn] | None = Field(
        default=None, max_length=100, description="Replaces every milestone."
    )


class MilestoneRead(BaseModel):
    due_on: dt.date
    completed_target: int


class PlanRead(RecordRead):
    area_code: str
    geography: Geography
    area: AreaRef
    title: str
    target_new_build: int
    target_repair: int
    deadline: dt.date
    milestones: list[MilestoneRead]


class MilestoneProgressRead(BaseModel):
    due_on: dt.date
    completed_target: int
    completed_actual: int
    met: bool | None = Field(description="null until due_on has passed.")


class PlanProgressRead(BaseModel):
    plan_id: uuid.UUID
    as_of: dt.date
    target: int
    completed: int
    completion_rate: float
    milestones: list[MilestoneProgressRead]
    on_track: bool
