"""What the gender service imports from a spreadsheet (kit.importing, API.md section 10).

Every row goes through the resource's own create (and, for `on_existing=update`, its own
PATCH), so an imported model, activity, material, case or entry meets the rules a `POST` does.

Natural keys: a community model is named by its `name` in its commune. Activities, materials
and protection cases have no field that names one record (two sessions on one topic on one day
are two records; a case names nobody, by design), and spending entries are never edited, so
those have none: each row is a new record.

Protection cases stay sensitive: `Resource.add` refuses (403) a caller without the
`protection` role, as the single create does.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import Field, create_model

from gender import money
from gender.activities import service as activity_service
from gender.activities.repository import activities
from gender.activities.schemas import ActivityCreate
from gender.cases import service as case_service
from gender.cases.repository import cases
from gender.cases.schemas import CaseCreate
from gender.community import service as model_service
from gender.community.repository import community_models
from gender.community.schemas import ModelCreate, ModelUpdate
from gender.domain.vocabulary import Language
from gender.materials import service as material_service
from gender.materials.repository import materials
from gender.materials.schemas import MaterialCreate, Version
from gender.models import CommunityModel, Material
from gender.schemas import Body, Title, Url
from gender.spending.repository import book
from gender.spending.schemas import SpendingCreate
from mtqg_shared.kit.importing import Importable
from mtqg_shared.kit.placed import existing_placed_many
from mtqg_shared.rules import RuleViolation
from mtqg_shared.writes import WriteContext

# Sa Pa (03006) and Tả Van (03037): the Women's Union's Project 8 models and sessions.
MODELS = Importable(
    name="models",
    resource=community_models,
    create=ModelCreate,
    add=model_service.create,
    natural_key=("name", "commune_code"),
    existing_many=existing_placed_many(CommunityModel),
    update=ModelUpdate,
    change=model_service.update,
    example={
        "kind": "communication_team",
        "name": "Đội truyền thông phòng, chống tảo hôn bản Lao Chải",
        "commune_code": "03037",
        "village": "Lao Chải",
        "established_on": dt.date(2024, 3, 8),
        "members": 12,
        "members_female": 9,
    },
)

ACTIVITIES = Importable(
    name="activities",
    resource=activities,
    create=ActivityCreate,
    add=activity_service.create,
    natural_key=(),
    example={
        "kind": "communication",
        "held_on": dt.date(2025, 9, 12),
        "commune_code": "03037",
        "topics": ["domestic_violence", "child_marriage"],
        "languages": ["vi", "hmn"],
        "participants": 85,
        "participants_female": 60,
    },
)

# A material's versions are one title, text and link per language: as a sheet's row, three
# columns per language (`title_vi`, `text_vi`, `url_vi`, `title_dao`, ...), each typed as the
# version's field, a language's columns left empty for a language it lacks.
_VERSION = {"title": Title, "text": Body, "url": Url}
MaterialRow = create_model(
    "MaterialRow",
    __base__=MaterialCreate,
    versions=(None, Field(default=None, description="Given by the language columns.")),
    **{  # type: ignore[call-overload]
        f"{name}_{language.value}": (kind | None, None)
        for language in Language
        for name, kind in _VERSION.items()
    },
)
_COLUMNS = {f"{name}_{language.value}" for language in Language for name in _VERSION}


def material_of(row: Any) -> MaterialCreate:
    """The create body a row says: a version for each language with a column filled."""
    versions = []
    for language in Language:
        given = {name: getattr(row, f"{name}_{language.value}") for name in _VERSION}
        if all(value is None for value in given.values()):
            continue
        if given["title"] is None:
            filled = next(f"{n}_{language.value}" for n, v in given.items() if v is not None)
            raise RuleViolation(f"body.title_{language.value}", "required.with_field", other=filled)
        versions.append(Version(language=language, **given))
    if not versions:
        others = ", ".join(f"title_{language.value}" for language in list(Language)[1:])
        raise RuleViolation("body.title_vi", "required.unless_field", other=others)
    fields = row.model_dump(exclude_unset=True, exclude={"versions", *_COLUMNS})
    return MaterialCreate(**fields, versions=versions)


async def add_material(ctx: WriteContext, row: Any) -> Material:
    return await material_service.create(ctx, material_of(row))


MATERIALS = Importable(
    name="materials",
    resource=materials,
    create=MaterialRow,
    add=add_material,
    natural_key=(),
    hidden=("id", "versions"),
    example={
        "topic": "child_marriage",
        "format": "leaflet",
        "commune_code": "03006",
        "published_on": dt.date(2025, 8, 20),
        "title_vi": "Nói không với tảo hôn",
        "title_hmn": "Tsis txhob yuav poj niam thaum tseem yau",
    },
)

CASES = Importable(
    name="cases",
    resource=cases,
    create=CaseCreate,
    add=case_service.create,
    natural_key=(),
    example={
        "kind": "child_marriage",
        "commune_code": "03037",
        "reported_on": dt.date(2025, 10, 2),
        "victim_sex": "female",
        "victim_age": 15,
        "victim_ethnicity": "Mông",
        "summary": "Gia đình chuẩn bị cưới cho con gái chưa đủ tuổi kết hôn.",
    },
)

SPENDING = book.importable(
    SpendingCreate,
    example={
        "commune_code": "03006",
        "on": dt.date(2025, 9, 30),
        "amount_vnd": 45_000_000,
        "source": "central_budget",
        "purpose": "In tờ rơi phòng, chống tảo hôn bằng ba thứ tiếng",
        "project_code": "1719.DA8",
    },
)

# Capital plans: the kit's (kit.capital), the same columns in every service.
CAPITAL_PLANS = money.plans.importable()

IMPORTS: tuple[Importable, ...] = (MODELS, ACTIVITIES, MATERIALS, CASES, SPENDING, CAPITAL_PLANS)
