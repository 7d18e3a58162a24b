"""Materials as a resource: every query about them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, true
from sqlalchemy.ext.asyncio import AsyncSession

from gender.models import LANGUAGE_COLUMNS, Material
from gender.web import PREFIX
from mtqg_shared.admin_units import Area
from mtqg_shared.auth import Principal
from mtqg_shared.kit import InCommune, ListParams, Resource
from mtqg_shared.kit.rows import AreaConditions, Equal, Params, Rows

materials = Resource(
    Material,
    "material",
    area=InCommune(Material.commune_code, Material.legacy_commune_code),
    audited=(
        "topic",
        "format",
        "commune_code",
        "legacy_commune_code",
        "legacy_district_code",
        "geography",
        "published_on",
        "versions",
    ),
    required=("topic", "format", "commune_code", "published_on", "versions"),
    dated="published_on",
    counted=("topic", "format", "commune_code", "legacy_commune_code", "versions"),
    prefix=PREFIX,
    path="materials",
)

# The answer shows the versions, not the language columns kept for the overview.
_material = Material.__table__.c
rows = Rows(materials, tuple(c for c in _material if c.key not in set(LANGUAGE_COLUMNS.values())))
_area = AreaConditions.in_commune(_material.commune_code, _material.legacy_commune_code)
_filters = Equal(_material.topic, _material.format)
_IN_LANGUAGE: dict[str, ColumnElement[bool]] = {
    value: _material[column] == true() for value, column in LANGUAGE_COLUMNS.items()
}


async def page(
    session: AsyncSession,
    principal: Principal,
    listing: ListParams,
    *,
    area: Area | None,
    topic: str | None,
    format: str | None,
    language: str | None,
) -> tuple[list[dict[str, Any]], str | None]:
    params: Params = {}
    conditions = _area.where(principal, area, params)
    _filters.add(conditions, params, topic=topic, format=format)
    if language is not None:
        conditions.append(_IN_LANGUAGE[language])
    return await rows.page(session, listing, conditions, params)
