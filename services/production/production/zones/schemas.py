"""Zone bodies and answers."""

from __future__ import annotations

import uuid

from pydantic import ConfigDict

from mtqg_shared.fields import Name
from mtqg_shared.schemas import Geography, RecordRead, StrictInput
from production.domain.vocabulary import Certification, Crop
from production.schemas import Hectares, Year, ZoneAreaCode


class ZoneCreate(StrictInput):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "name": "Vùng quế hữu cơ Bảo Yên",
                    "crop": "cinnamon",
                    "area_code": "087",
                    "year": 2024,
                    "area_ha": 24400,
                    "certified_area_ha": 500,
                    "certification": "organic_eu",
                }
            ]
        }
    )

    id: uuid.UUID | None = None
    name: Name
    crop: Crop
    area_code: ZoneAreaCode
    geography: Geography | None = None
    year: Year
    area_ha: Hectares
    certified_area_ha: Hectares | None = None
    certification: Certification | None = None
    linked_area_ha: Hectares | None = None


class ZoneUpdate(StrictInput):
    """Any of these; giving `area_code` or `geography` moves the zone."""

    name: Name | None = None
    crop: Crop | None = None
    area_code: ZoneAreaCode | None = None
    geography: Geography | None = None
    year: Year | None = None
    area_ha: Hectares | None = None
    certified_area_ha: Hectares | None = None
    certification: Certification | None = None
    linked_area_ha: Hectares | None = None


class ZoneRead(RecordRead):
    name: str
    crop: Crop
    area_code: str
    geography: Geography
    # The current communes the zone covers (a legacy district covers several).
    commune_codes: list[str]
    legacy_commune_code: str | None
    legacy_district_code: str | None
    year: int
    area_ha: float
    certified_area_ha: float | None
    certification: Certification | None
    linked_area_ha: float | None
