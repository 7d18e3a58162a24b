"""Activities as a resource: every query about them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, true
from sqlalchemy.ext.asyncio import AsyncSession

from gender.models import LANGUAGE_COLUMNS, TOPIC_COLUMNS, Activity
from gender.web import PREFIX
from mtqg_shared.admin_units import Area
from mtqg_shared.auth import Principal
from mtqg_shared.kit import InCommune, ListParams, Resource
from mtqg_shared.kit.rows import AreaConditions, Equal, Params, Rows

activities = Resource(
    Activity,
    "activity",
    area=InCommune(Activity.commune_code, Activity.legacy_commune_code),
    audited=(
        "kind",
        "held_on",
        "commune_code",
        "legacy_commune_code",
        "legacy_district_code",
        "geography",
        "model_id",
        "topics",
        "languages",
        "participants",
        "participants_female",
        "online_reach",
    ),
    required=(
        "kind",
        "held_on",
        "commune_code",
        "topics",
        "languages",
        "participants",
        "participants_female",
    ),
    dated="held_on",
    counted=(
        "kind",
        "commune_code",
        "legacy_commune_code",
        "participants",
        "participants_female",
        "online_reach",
    ),
    prefix=PREFIX,
    path="activities",
)

rows = Rows(activities, tuple(Activity.__table__.c))
_activity = Activity.__table__.c
_area = AreaConditions.in_commune(_activity.commune_code, _activity.legacy_commune_code)
_filters = Equal(_activity.kind, _activity.model_id)
# One condition per topic and per language, built once: the activity has it.
_HAS: dict[str, ColumnElement[bool]] = {
    f"{name}:{value}": _activity[column] == true()
    for name, columns in (("topic", TOPIC_COLUMNS), ("language", LANGUAGE_COLUMNS))
    for value, column in columns.items()
}


async def page(
    session: AsyncSession,
    principal: Principal,
    listing: ListParams,
    *,
    area: Area | None,
    kind: str | None,
    model_id: Any,
    topic: str | None,
    language: str | None,
) -> tuple[list[dict[str, Any]], str | None]:
    params: Params = {}
    conditions = _area.where(principal, area, params)
    _filters.add(conditions, params, kind=kind, model_id=model_id)
    if topic is not None:
        conditions.append(_HAS[f"topic:{topic}"])
    if language is not None:
        conditions.append(_HAS[f"language:{language}"])
    return await rows.page(session, listing, conditions, params)
