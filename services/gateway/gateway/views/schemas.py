"""What the cross-programme views answer (API.md section 6).

The services' parts are passed on as the services answered them; the merged OpenAPI document
points these members at the services' own schemas. The overview has one member for each
service in the registry that names an overview part.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, Field, create_model

from mtqg_shared.registry import SERVICE_NAMES, SERVICES, spoken_list
from mtqg_shared.schemas import AreaRef

if TYPE_CHECKING:
    ServiceName = str
else:  # every service in the registry
    ServiceName = Literal[SERVICE_NAMES]

# The services in the overview, and those of them whose figures stand on a day, not a year.
OVERVIEW_SERVICES = tuple(s for s in SERVICES if s.overview is not None)
_AS_OF = tuple(s.name for s in OVERVIEW_SERVICES if s.overview and s.overview.by == "as_of")

_UNAVAILABLE = Field(
    description="Services that failed or missed the deadline; their members are null."
)
_FORBIDDEN = Field(
    description=(
        "Services whose data the caller may not read (a client without the service's read "
        "scope); they are not asked and their members are null."
    )
)


def _overview_members() -> dict[str, Any]:
    return {
        s.name: (dict[str, Any] | None, Field(description=s.overview.description(s.prefix)))
        for s in OVERVIEW_SERVICES
        if s.overview is not None
    }


ProgrammeOverview: type[BaseModel] = create_model(
    "ProgrammeOverview",
    __module__=__name__,
    area=(AreaRef, ...),
    year=(int | None, Field(description="The year asked for, or null.")),
    as_of=(
        dt.date,
        Field(
            description=(
                f"The day the {spoken_list(_AS_OF)} figures stand on: the end of `year`, or today."
            )
        ),
    ),
    **_overview_members(),
    unavailable=(list[ServiceName], _UNAVAILABLE),
    forbidden=(list[ServiceName], _FORBIDDEN),
)


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
