"""The overview's shape, exactly as the contract (section 5) gives it."""

from __future__ import annotations

from pydantic import BaseModel, Field

from mtqg_shared.schemas import AreaRef


class CropLand(BaseModel):
    area_ha: float
    certified_area_ha: float
    linked_area_ha: float


class ProjectFigures(BaseModel):
    count: int
    total_cost_vnd: int
    state_support_vnd: int
    disbursed_vnd: int
    disbursed_by_year: dict[str, int]


class FacilityFigures(BaseModel):
    count: int
    jobs: int


class OcopFigures(BaseModel):
    count: int
    by_stars: dict[str, int]
    expiring_within_90_days: int


class Overview(BaseModel):
    area: AreaRef
    year: int | None
    # The year the zones are counted for: `year`, or the latest with zones in the area.
    zones_year: int | None = Field(description="The year zones_by_crop counts.")
    zones_by_crop: dict[str, CropLand]
    projects: ProjectFigures
    facilities: FacilityFigures
    ocop: OcopFigures
