"""What the production service imports from a spreadsheet (kit.importing, API.md section 10).

Every row goes through the resource's own service function, so a row meets exactly the rules
of its single `POST`:

- `zones`: natural key (`name`, `area_code`, `year`); update is the zone's PATCH.
- `projects`: keyed by `code` (unique when given; a row without one is always new); update
  is the project's PATCH, with its rules on what a project past `proposed` may change.
- `disbursements`: a money entry of the linkage project a row names by its code,
  `linkage_project_code` (`project_code` is the entry's programme project, as on its own
  `POST /projects/{id}/disbursements`); no natural key: entries are never edited, and a
  reversal names an entry, which is the API's, not a sheet's.
- `participants`: a household taking part in the project named by `linkage_project_code`,
  keyed by (`linkage_project_code`, `household_code`); there is no PATCH, so
  `on_existing=update` is refused.
- `facilities`: natural key (`name`, `commune_code`); update is the PATCH.
- `ocop-products`: natural key (`name`, `producer`); update is the PATCH.

Projects and OCOP products take the service's settings (the state support cap, the
certificate's validity) as their routes do, from the same `Settings`.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from functools import cache
from typing import Any

from pydantic import Field
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from mtqg_shared.kit.importing import Existing, Importable, existing_by, row_of
from mtqg_shared.messages import word
from mtqg_shared.rules import RuleViolation
from mtqg_shared.writes import WriteContext
from production import money
from production.config import Settings
from production.facilities import service as facility_service
from production.facilities.repository import facilities
from production.facilities.schemas import FacilityCreate, FacilityUpdate
from production.models import Participant, Project
from production.ocop import service as ocop_service
from production.ocop.repository import ocop_products
from production.ocop.schemas import OcopCreate, OcopUpdate
from production.projects import disbursements as disbursement_service
from production.projects import participants as participant_service
from production.projects import service as project_service
from production.projects.repository import disbursements, participants, projects
from production.projects.schemas import (
    DisbursementCreate,
    ParticipantCreate,
    ProjectCreate,
    ProjectUpdate,
)
from production.schemas import ProjectCode as Code
from production.zones import service as zone_service
from production.zones.repository import zones
from production.zones.schemas import ZoneCreate, ZoneUpdate


@cache
def _settings() -> Settings:
    """The service's settings as its app reads them (the environment)."""
    return Settings()


ZONES = Importable(
    name="zones",
    resource=zones,
    create=ZoneCreate,
    add=zone_service.create,
    natural_key=("name", "area_code", "year"),
    update=ZoneUpdate,
    change=zone_service.update,
    example={
        "name": "Vùng quế hữu cơ Bảo Yên",
        "crop": "cinnamon",
        "area_code": "087",
        "year": 2024,
        "area_ha": 24400,
        "certified_area_ha": 500,
        "certification": "organic_eu",
    },
)


async def _add_project(ctx: WriteContext, body: ProjectCreate) -> Project:
    return await project_service.create(ctx, body, _settings().max_state_support_share)


async def _change_project(ctx: WriteContext, project_id: uuid.UUID, body: ProjectUpdate) -> Any:
    return await project_service.update(ctx, project_id, body, _settings().max_state_support_share)


PROJECTS = Importable(
    name="projects",
    resource=projects,
    create=ProjectCreate,
    add=_add_project,
    natural_key=("code",),
    update=ProjectUpdate,
    change=_change_project,
    example={
        "code": "BY-LK-2025-01",
        "name": "Liên kết sản xuất quế hữu cơ",
        "lead_entity": "HTX Nông nghiệp Nghĩa Đô",
        "lead_entity_type": "cooperative",
        "product": "quế vỏ",
        "crop": "cinnamon",
        "commune_codes": ["02953"],
        "start_on": dt.date(2025, 8, 1),
        "total_cost_vnd": 5_000_000_000,
        "state_support_vnd": 3_000_000_000,
        "households": 120,
        "poor_households": 30,
        "near_poor_households": 24,
    },
)

# A row names its linkage project by the project's `code`; `project_code` is the money's
# programme project (kit.money), as on the entry's own POST.
_PROJECT_CODE = {"linkage_project_code": (Code, Field(description="The linkage project's code."))}


async def _project_id(ctx: WriteContext, code: str) -> uuid.UUID:
    found: uuid.UUID | None = await ctx.session.scalar(
        select(Project.id).where(Project.code == code)
    )
    if found is None:
        raise RuleViolation("body.linkage_project_code", "not_found", what=word("project"))
    return found


DisbursementRow = row_of(
    "DisbursementRow",
    "A disbursement as a row: its project by code, then the entry (reversals are the API's).",
    _PROJECT_CODE,
    DisbursementCreate,
    but=("id", "reverses"),
)


async def _add_disbursement(ctx: WriteContext, body: Any) -> Any:
    project_id = await _project_id(ctx, body.linkage_project_code)
    entry = DisbursementCreate.model_validate(body.model_dump(exclude={"linkage_project_code"}))
    return await disbursement_service.record(ctx, project_id, entry)


DISBURSEMENTS = Importable(
    name="disbursements",
    resource=disbursements,
    create=DisbursementRow,
    add=_add_disbursement,
    natural_key=(),
    example={
        "linkage_project_code": "BY-LK-2025-01",
        "amount_vnd": 1_200_000_000,
        "source": "central_budget",
        "project_code": "1719.DA3",
        "capital_type": "recurrent",
        "on": dt.date(2025, 9, 15),
        "note": "Đợt 1",
    },
)

ParticipantRow = row_of(
    "ParticipantRow",
    "A participating household as a row: its project by code, then the household.",
    _PROJECT_CODE,
    ParticipantCreate,
    but=("id",),
)


async def participants_of(
    session: AsyncSession, names: Sequence[str], keys: Sequence[tuple[Any, ...]]
) -> dict[tuple[Any, ...], Existing]:
    """Each household's place in the project a chunk's rows name, if it already takes part,
    in one query (the key: the project's code, the household's)."""
    return await existing_by(
        session,
        Participant,
        [Project.code, Participant.household_code],
        keys,
        join=(Project, Project.id == Participant.project_id),
    )


async def _add_participant(ctx: WriteContext, body: Any) -> Any:
    project_id = await _project_id(ctx, body.linkage_project_code)
    joined = ParticipantCreate.model_validate(body.model_dump(exclude={"linkage_project_code"}))
    return await participant_service.add(ctx, project_id, joined)


PARTICIPANTS = Importable(
    name="participants",
    resource=participants,
    create=ParticipantRow,
    add=_add_participant,
    natural_key=("linkage_project_code", "household_code"),
    existing_many=participants_of,
    example={
        "linkage_project_code": "BY-LK-2025-01",
        "household_code": "ND-0042",
        "household_poverty": "poor",
    },
)

FACILITIES = Importable(
    name="facilities",
    resource=facilities,
    create=FacilityCreate,
    add=facility_service.create,
    natural_key=("name", "commune_code"),
    update=FacilityUpdate,
    change=facility_service.update,
    example={
        "name": "Cơ sở chế biến tinh dầu quế",
        "commune_code": "02953",
        "kind": "cooperative",
        "products": ["tinh dầu quế", "quế thanh"],
        "jobs": 25,
        "established_on": dt.date(2025, 8, 1),
    },
)


async def _add_ocop(ctx: WriteContext, body: OcopCreate) -> Any:
    return await ocop_service.create(ctx, body, _settings().ocop_validity_months)


async def _change_ocop(ctx: WriteContext, product_id: uuid.UUID, body: OcopUpdate) -> Any:
    return await ocop_service.update(ctx, product_id, body, _settings().ocop_validity_months)


OCOP_PRODUCTS = Importable(
    name="ocop-products",
    resource=ocop_products,
    create=OcopCreate,
    add=_add_ocop,
    natural_key=("name", "producer"),
    update=OcopUpdate,
    change=_change_ocop,
    example={
        "name": "Tinh dầu quế Bảo Yên",
        "producer": "HTX Quế Bảo Yên",
        "commune_code": "02947",
        "category": "thảo dược",
        "stars": 4,
        "score": 78,
        "certified_on": dt.date(2025, 9, 15),
    },
)

# Capital plans: the kit's (kit.capital), the same columns in every service.
CAPITAL_PLANS = money.plans.importable()

IMPORTS: tuple[Importable, ...] = (
    ZONES,
    PROJECTS,
    DISBURSEMENTS,
    PARTICIPANTS,
    FACILITIES,
    OCOP_PRODUCTS,
    CAPITAL_PLANS,
)
