"""Bodies and answers of /spending."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

from pydantic import ConfigDict, Field, StringConstraints

from gender.domain.vocabulary import CapitalType, SpendingSource
from mtqg_shared.fields import Day, Name, Note
from mtqg_shared.pagination import Page
from mtqg_shared.programmes import default_project, projects_of
from mtqg_shared.schemas import (
    CommuneCode,
    Geography,
    PlacedRead,
    PositiveVnd,
    RecordRead,
    StrictInput,
)

ProjectCode = Annotated[
    str,
    StringConstraints(min_length=1, max_length=32, pattern=r"^[0-9A-Za-z._-]+$"),
    Field(
        description=(
            f"A project of this service: {', '.join(projects_of('gender'))} "
            f"(default {default_project('gender')})."
        )
    ),
]


class SpendingCreate(StrictInput):
    """Either money spent (`commune_code`, `amount_vnd`, `source`, `purpose`, ...) or the
    correction of an entry (`reverses`, `on`, `note`), never both."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "commune_code": "03006",
                    "on": "2025-09-30",
                    "amount_vnd": 45000000,
                    "source": "central_budget",
                    "purpose": "In tờ rơi phòng, chống tảo hôn bằng ba thứ tiếng",
                },
                {"reverses": "6b0002f2-d833-42f1-b2f8-ada4bd1fcbb2", "on": "2025-10-02"},
            ]
        }
    )

    id: uuid.UUID | None = Field(default=None, description="Made by the client (offline).")
    commune_code: CommuneCode | None = Field(default=None, description="Not with `reverses`.")
    geography: Geography | None = Field(default=None, description="Not with `reverses`.")
    on: Day
    amount_vnd: PositiveVnd | None = Field(default=None, description="Not with `reverses`.")
    source: SpendingSource | None = Field(default=None, description="Not with `reverses`.")
    purpose: Name | None = Field(default=None, description="Not with `reverses`.")
    activity_id: uuid.UUID | None = Field(
        default=None, description="The activity the money was spent on; not with `reverses`."
    )
    project_code: ProjectCode | None = Field(default=None, description="Not with `reverses`.")
    capital_type: CapitalType | None = Field(
        default=None, description="Default recurrent; not with `reverses`."
    )
    reverses: uuid.UUID | None = Field(
        default=None, description="The entry this one cancels (records its negative)."
    )
    note: Note | None = None


class SpendingRead(RecordRead, PlacedRead):
    geography: Geography
    on: dt.date
    amount_vnd: int = Field(description="Negative for a reversing entry.")
    source: SpendingSource
    purpose: str | None
    activity_id: uuid.UUID | None
    project_code: str
    capital_type: CapitalType
    note: str | None
    reverses: uuid.UUID | None
    reversed_by: uuid.UUID | None


SpendingPage = Page[SpendingRead]
