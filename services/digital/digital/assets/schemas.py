"""Asset bodies and answers."""

from __future__ import annotations

import datetime as dt
import uuid

from pydantic import ConfigDict, Field, StrictBool

from digital.domain.vocabulary import AssetKind, AssetStatus
from mtqg_shared.fields import Day, Members, Village
from mtqg_shared.schemas import CommuneCode, Geography, PlacedRead, RecordRead, StrictInput


class AssetCreate(StrictInput):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "kind": "camera",
                    "commune_code": "02923",
                    "geography": "2025-01",
                    "village": "Đông Căm",
                    "installed_on": "2023-09-15",
                    "count": 5,
                    "connected_to_ioc": True,
                }
            ]
        }
    )

    id: uuid.UUID | None = None
    kind: AssetKind
    commune_code: CommuneCode
    geography: Geography | None = None
    village: Village | None = None
    installed_on: Day
    count: Members = Field(default=1, description="How many alike items this record counts.")
    connected_to_ioc: StrictBool = Field(
        default=False, description="Cameras only: connected to the province's IOC."
    )
    status: AssetStatus = AssetStatus.active


class AssetUpdate(StrictInput):
    """Any of these; giving `commune_code` or `geography` moves the asset. A new `status`
    holds from `status_on` (default today): the reports read the status in force at the
    end of their year."""

    kind: AssetKind | None = None
    commune_code: CommuneCode | None = None
    geography: Geography | None = None
    village: Village | None = None
    installed_on: Day | None = None
    count: Members | None = None
    connected_to_ioc: StrictBool | None = None
    status: AssetStatus | None = None
    status_on: Day | None = Field(
        default=None, description="With `status`: the day it holds from (default today)."
    )


class AssetRead(RecordRead, PlacedRead):
    kind: AssetKind
    geography: Geography
    village: str | None
    installed_on: dt.date
    count: int
    connected_to_ioc: bool
    status: AssetStatus
    status_on: dt.date = Field(description="The day the current status began.")
