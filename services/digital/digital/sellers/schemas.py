"""Seller bodies and answers."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

from pydantic import ConfigDict, Field

from digital.domain.vocabulary import SellerKind
from mtqg_shared.fields import STORABLE, Count, Day, Name, bounded
from mtqg_shared.schemas import CommuneCode, Geography, PlacedRead, RecordRead, StrictInput

Platform = Annotated[str, bounded(1, 100), STORABLE]


Platforms = Annotated[
    list[Platform],
    Field(
        min_length=1,
        max_length=20,
        description="Where it sells (a marketplace, a social network, its own site), each once.",
    ),
]


class SellerCreate(StrictInput):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "name": "Hợp tác xã nông nghiệp Gia Phú",
                    "kind": "cooperative",
                    "commune_code": "02923",
                    "geography": "2025-01",
                    "since": "2023-06-01",
                    "platforms": ["postmart.vn", "voso.vn", "Facebook"],
                    "ocop_products_online": 11,
                }
            ]
        }
    )

    id: uuid.UUID | None = None
    name: Name
    kind: SellerKind
    commune_code: CommuneCode
    geography: Geography | None = None
    since: Day = Field(description="The day it first sold online.")
    platforms: Platforms
    ocop_products_online: Count


class SellerUpdate(StrictInput):
    """Any of these; giving `commune_code` or `geography` moves the seller."""

    name: Name | None = None
    kind: SellerKind | None = None
    commune_code: CommuneCode | None = None
    geography: Geography | None = None
    since: Day | None = None
    platforms: Platforms | None = None
    ocop_products_online: Count | None = None


class SellerRead(RecordRead, PlacedRead):
    name: str
    kind: SellerKind
    geography: Geography
    since: dt.date
    platforms: list[str]
    ocop_products_online: int
