"""Bodies and answers of /spending (the kit's, with the asset the money went to)."""

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
                    "commune_code": "02923",
                    "geography": "2025-01",
                    "on": "2024-06-20",
                    "amount_vnd": 150000000,
                    "source": "local_budget",
                    "purpose": "Lắp đặt camera giám sát kết nối IOC",
                    "capital_type": "investment",
                },
                {"reverses": "6b0002f2-d833-42f1-b2f8-ada4bd1fcbb2", "on": "2024-07-02"},
            ]
        }
    )

    asset_id: uuid.UUID | None = Field(
        default=None, description="The asset the money was spent on; not with `reverses`."
    )
    project_code: ProjectCode | None = project_field("digital")


class SpendingRead(SpendingReadBase):
    asset_id: uuid.UUID | None


SpendingPage = Page[SpendingRead]
