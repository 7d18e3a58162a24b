"""What the cross-programme views answer (API.md section 6).

The services' parts are passed on as the services answered them; the merged OpenAPI document
points these members at the services' own schemas.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, Field

from mtqg_shared.schemas import AreaRef

ServiceName = Literal["housing", "labour", "production"]

_UNAVAILABLE = Field(
    description="Services that failed or missed the deadline; their members are null."
)
_FORBIDDEN = Field(
    description=(
        "Services whose data the caller may not read (a client without the service's read "
        "scope); they are not asked and their members are null."
    )
)


class ProgrammeOverview(BaseModel):
    area: AreaRef
    year: int | None = Field(description="The year asked for, or null.")
    as_of: dt.date = Field(
        description="The day the housing figures stand on: the end of `year`, or today."
    )
    housing: dict[str, Any] | None = Field(
        description=(
            "The totals row of GET /api/v1/housing/reports/progress for the area as of `as_of`."
        )
    )
    labour: dict[str, Any] | None = Field(
        description="GET /api/v1/labour/reports/overview for the area and year."
    )
    production: dict[str, Any] | None = Field(
        description="GET /api/v1/production/reports/overview for the area and year."
    )
    unavailable: list[ServiceName] = _UNAVAILABLE
    forbidden: list[ServiceName] = _FORBIDDEN


class HouseholdHousing(BaseModel):
    cases: list[dict[str, Any]] = Field(description="The household's housing support cases.")


class HouseholdLabour(BaseModel):
    workers: list[dict[str, Any]] = Field(description="Members of the household registered.")
    placements: list[dict[str, Any]] = Field(description="Those workers' placements abroad.")
    remittances_vnd: int = Field(description="Sum of the placements' remittances_vnd.")


class HouseholdProduction(BaseModel):
    projects: list[dict[str, Any]] = Field(
        description="Linkage projects the household takes part in."
    )


class HouseholdView(BaseModel):
    household_code: str
    housing: HouseholdHousing | None
    labour: HouseholdLabour | None
    production: HouseholdProduction | None
    unavailable: list[ServiceName] = _UNAVAILABLE
    forbidden: list[ServiceName] = _FORBIDDEN
