"""The overview's shape, exactly as the contract (section 12) gives it."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from mtqg_shared.schemas import AreaRef


class ModelFigures(BaseModel):
    count: int
    members: int
    members_female: int


class ActivityFigures(BaseModel):
    count: int
    participants: int
    participants_female: int
    by_topic: dict[str, int] = Field(description="Activities on each topic (every topic).")
    by_language: dict[str, int] = Field(description="Activities in each language (all three).")


class MaterialFigures(BaseModel):
    count: int
    by_language: dict[str, int] = Field(
        description="Materials with a version in each language (all three)."
    )


class CaseFigures(BaseModel):
    by_kind: dict[str, int] = Field(description="Cases reported, by kind (every kind).")
    child_marriages_prevented: int


class Overview(BaseModel):
    area: AreaRef
    year: int | None
    as_of: dt.date = Field(description="The day the figures stand on.")
    models: dict[str, ModelFigures] = Field(description="By kind (every kind).")
    activities: ActivityFigures
    materials: MaterialFigures
    cases: CaseFigures = Field(description="Counts only, for every reader.")
    spent_vnd: int = Field(description="Net of every source, reversals included.")
