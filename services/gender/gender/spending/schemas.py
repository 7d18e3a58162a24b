"""Bodies and answers of /spending (the kit's, with the activity the money went to)."""

from __future__ import annotations

import uuid

from pydantic import ConfigDict, Field

from mtqg_shared.kit.money import ProjectCode, project_field
from mtqg_shared.kit.spending import SpendingCreateBase, SpendingReadBase
from mtqg_shared.pagination import Page


class SpendingCreate(SpendingCreateBase):
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

    activity_id: uuid.UUID | None = Field(
        default=None, description="The activity the money was spent on; not with `reverses`."
    )
    project_code: ProjectCode | None = project_field("gender")


class SpendingRead(SpendingReadBase):
    activity_id: uuid.UUID | None


SpendingPage = Page[SpendingRead]
