"""Bodies and answers of /cases/{id}/funding."""

from __future__ import annotations

import datetime as dt
import uuid

from pydantic import ConfigDict, Field

from housing.domain.vocabulary import FundingSource
from mtqg_shared.fields import Day, Note
from mtqg_shared.kit.money import CapitalType, ProjectCode, capital_field, project_field
from mtqg_shared.pagination import Page
from mtqg_shared.schemas import PositiveVnd, RecordRead, StrictInput


class FundingCreate(StrictInput):
    """Either money received (`source`, `amount_vnd`) or the correction of an entry
    (`reverses`), never both."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"source": "central_budget", "amount_vnd": 28000000, "on": "2024-04-02"},
                {"reverses": "6b0002f2-d833-42f1-b2f8-ada4bd1fcbb2", "on": "2024-04-03"},
            ]
        }
    )

    id: uuid.UUID | None = Field(default=None, description="Made by the client (offline).")
    source: FundingSource | None = Field(default=None, description="A reversal keeps its entry's.")
    amount_vnd: PositiveVnd | None = Field(default=None, description="Not with `reverses`.")
    project_code: ProjectCode | None = project_field("housing")
    capital_type: CapitalType | None = capital_field()
    reverses: uuid.UUID | None = Field(
        default=None, description="The entry this one cancels (records its negative)."
    )
    on: Day
    note: Note | None = None


class FundingRead(RecordRead):
    case_id: uuid.UUID
    source: FundingSource
    amount_vnd: int = Field(description="Negative for a reversing entry.")
    project_code: str
    capital_type: CapitalType
    on: dt.date
    note: str | None
    reverses: uuid.UUID | None
    reversed_by: uuid.UUID | None


FundingPage = Page[FundingRead]
