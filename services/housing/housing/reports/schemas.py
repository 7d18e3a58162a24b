"""The answer of /reports/progress, shaped exactly as API.md section 3 says."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

from housing.cases.schemas import FundingBySource
from mtqg_shared.schemas import AreaRef

GroupBy = Literal["commune", "legacy_district", "legacy_commune"]


class StatusCounts(BaseModel):
    registered: int
    surveyed: int
    approved: int
    in_progress: int
    completed: int
    handed_over: int
    cancelled: int


class ProgressRow(BaseModel):
    code: str | None = Field(
        description="The group's unit; null for cases given in the 2025-07 geography when "
        "grouping by a legacy unit."
    )
    name: str
    cases: int
    by_status: StatusCounts
    new_build: int
    repair: int
    completed: int = Field(description="completed plus handed_over.")
    completion_rate: float = Field(description="completed / (cases - cancelled); 0 if none.")
    funding_vnd: FundingBySource
    total_funding_vnd: int
    state_budget_vnd: int


class ProgressReport(BaseModel):
    as_of: dt.date
    area: AreaRef
    totals: ProgressRow
    rows: list[ProgressRow]
