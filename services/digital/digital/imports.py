"""What the digital service imports from a spreadsheet (kit.importing, API.md section 10).

Every row goes through the resource's own create (and, for `on_existing=update`, its own
PATCH, or the profile's PUT), so an imported record meets the rules a `POST` does.

Natural keys: an asset by its kind, commune, village and installation day (an inventory sheet
sent again updates the status of what it lists); a team or a smart village by its village in
its commune; a seller by its name in its commune; a commune profile by its commune and year,
as its PUT. Spending entries are never edited, nor a village's steps (`transitions`: a row
names its village by commune and village, then the step its route takes): none.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import create_model

from digital import money
from digital.assets import service as asset_service
from digital.assets.repository import assets
from digital.assets.schemas import AssetCreate, AssetUpdate
from digital.models import Asset, Seller, SmartVillage, SmartVillageStep, Team
from digital.profiles.repository import book as profile_book
from digital.profiles.schemas import ProfilePut
from digital.sellers import service as seller_service
from digital.sellers.repository import sellers
from digital.sellers.schemas import SellerCreate, SellerUpdate
from digital.spending.repository import book as spending_book
from digital.spending.schemas import SpendingCreate
from digital.teams import service as team_service
from digital.teams.repository import teams
from digital.teams.schemas import TeamCreate, TeamUpdate
from digital.villages import service as village_service
from digital.villages.repository import villages
from digital.villages.schemas import TransitionCreate, VillageCreate, VillageUpdate
from mtqg_shared.fields import Village
from mtqg_shared.kit.importing import Importable
from mtqg_shared.kit.placed import existing_placed, existing_placed_many
from mtqg_shared.messages import word
from mtqg_shared.rules import RuleViolation
from mtqg_shared.schemas import CommuneCode, StrictInput
from mtqg_shared.writes import WriteContext

# Gia Phú (02923, Bảo Thắng before 2025-07): the province's first smart-village commune.
ASSETS = Importable(
    name="assets",
    resource=assets,
    create=AssetCreate,
    add=asset_service.create,
    natural_key=("kind", "commune_code", "village", "installed_on"),
    existing_many=existing_placed_many(Asset),
    update=AssetUpdate,
    change=asset_service.update,
    example={
        "kind": "camera",
        "commune_code": "02923",
        "geography": "2025-01",
        "village": "Đông Căm",
        "installed_on": dt.date(2023, 9, 15),
        "count": 5,
        "connected_to_ioc": True,
        "status": "active",
    },
)

TEAMS = Importable(
    name="teams",
    resource=teams,
    create=TeamCreate,
    add=team_service.create,
    natural_key=("commune_code", "village"),
    existing_many=existing_placed_many(Team),
    update=TeamUpdate,
    change=team_service.update,
    example={
        "commune_code": "02923",
        "geography": "2025-01",
        "village": "Đông Căm",
        "established_on": dt.date(2023, 5, 10),
        "members": 5,
    },
)

PROFILES = profile_book.importable(
    ProfilePut,
    example={
        "commune_code": "02923",
        "year": 2024,
        "officials": 25,
        "officials_it_certified": 22,
        "online_dossier_rate": 0.85,
        "households": 1450,
        "households_fibre": 1210,
        "adults_with_smartphone": 3100,
    },
)

VILLAGES = Importable(
    name="smart-villages",
    resource=villages,
    create=VillageCreate,
    add=village_service.create,
    natural_key=("commune_code", "village"),
    existing_many=existing_placed_many(SmartVillage),
    update=VillageUpdate,
    change=village_service.update,
    example={
        "commune_code": "02923",
        "geography": "2025-01",
        "village": "Đông Căm",
        "started_on": dt.date(2023, 3, 1),
    },
)


class VillageNamed(StrictInput):
    """The village a step is for, as a sheet names it: by its village in its commune."""

    commune_code: CommuneCode
    village: Village


# The step's route names its village by id; a row by the village's natural key, then the step.
VillageStepRow = create_model("VillageStepRow", __base__=(TransitionCreate, VillageNamed))
_village_named = existing_placed(SmartVillage)


async def _move_village(ctx: WriteContext, row: Any) -> SmartVillageStep:
    named = {"commune_code": row.commune_code, "village": row.village}
    found = await _village_named(ctx.session, named)
    if found is None:
        raise RuleViolation("body.village", "not_found", what=word("smart village"))
    step = row.model_dump(include=set(TransitionCreate.model_fields), exclude_unset=True)
    return await village_service.move(ctx, found.id, TransitionCreate(**step))


VILLAGE_STEPS = Importable(
    name="transitions",
    resource=villages,
    create=VillageStepRow,
    add=_move_village,
    natural_key=(),
    example={
        "commune_code": "02923",
        "village": "Đông Căm",
        "to": "recognised",
        "on": dt.date(2024, 12, 20),
        "decision_number": "3521/QĐ-UBND",
    },
)

SELLERS = Importable(
    name="sellers",
    resource=sellers,
    create=SellerCreate,
    add=seller_service.create,
    natural_key=("name", "commune_code"),
    existing_many=existing_placed_many(Seller),
    update=SellerUpdate,
    change=seller_service.update,
    example={
        "name": "Hợp tác xã nông nghiệp Gia Phú",
        "kind": "cooperative",
        "commune_code": "02923",
        "geography": "2025-01",
        "since": dt.date(2023, 6, 1),
        "platforms": ["postmart.vn", "voso.vn", "Facebook"],
        "ocop_products_online": 11,
    },
)

SPENDING = spending_book.importable(
    SpendingCreate,
    example={
        "commune_code": "02923",
        "geography": "2025-01",
        "on": dt.date(2024, 6, 20),
        "amount_vnd": 150_000_000,
        "source": "local_budget",
        "purpose": "Lắp đặt camera giám sát kết nối IOC",
        "project_code": "263.CDS",
        "capital_type": "investment",
    },
)

# Capital plans: the kit's (kit.capital), the same columns in every service.
CAPITAL_PLANS = money.plans.importable()

IMPORTS: tuple[Importable, ...] = (
    ASSETS,
    TEAMS,
    PROFILES,
    VILLAGES,
    VILLAGE_STEPS,
    SELLERS,
    SPENDING,
    CAPITAL_PLANS,
)
