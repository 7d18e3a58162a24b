"""Processing facility bodies and answers."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

from pydantic import ConfigDict, Field

from mtqg_shared.fields import Day, Name
from mtqg_shared.schemas import CommuneCode, Geography, PlacedRead, RecordRead, StrictInput
from production.domain.vocabulary import FacilityKind
from production.schemas import Count

Products = Annotated[list[Name], Field(max_length=50)]


class FacilityCreate(StrictInput):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "name": "Cơ sở chế biến tinh dầu quế",
                    "commune_code": "02953",
                    "kind": "cooperative",
                    "products": ["tinh dầu quế", "quế thanh"],
                    "jobs": 25,
                    "established_on": "2025-08-01",
                }
            ]
        }
    )

    id: uuid.UUID | None = None
    name: Name
    commune_code: CommuneCode
    geography: Geography | None = None
    kind: FacilityKind
    products: Products
    jobs: Count
    established_on: Day | None = None


class FacilityUpdate(StrictInput):
    """Any of these; giving `commune_code` or `geography` moves the facility."""

    name: Name | None = None
    commune_code: CommuneCode | None = None
    geography: Geography | None = None
    kind: FacilityKind | None = None
    products: Products | None = None
    jobs: Count | None = None
    established_on: Day | None = None


class FacilityRead(RecordRead, PlacedRead):
    name: str
    geography: Geography
    kind: FacilityKind
    products: list[str]
    jobs: int
    established_on: dt.date | None
