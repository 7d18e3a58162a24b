"""Processing facilities as a resource: every query about them."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from mtqg_shared.admin_units import Area
from mtqg_shared.auth import Principal
from mtqg_shared.kit import InCommune, ListParams, Resource
from mtqg_shared.kit.rows import AreaConditions, Equal, Params, Rows
from production.models import Facility
from production.web import PREFIX

facilities = Resource(
    Facility,
    "facility",
    area=InCommune(Facility.commune_code, Facility.legacy_commune_code),
    audited=(
        "name",
        "commune_code",
        "legacy_commune_code",
        "legacy_district_code",
        "geography",
        "kind",
        "products",
        "jobs",
        "established_on",
    ),
    required=("name", "commune_code", "kind", "products", "jobs"),
    dated="established_on",
    counted=("commune_code", "legacy_commune_code", "kind", "jobs"),
    prefix=PREFIX,
    path="facilities",
)


# Reads: every column of the table (the answer shows them all, and its geography).
rows = Rows(facilities, tuple(Facility.__table__.c))
_facility = Facility.__table__.c
_area = AreaConditions.in_commune(_facility.commune_code, _facility.legacy_commune_code)
_filters = Equal(_facility.kind)


async def page(
    session: AsyncSession,
    principal: Principal,
    listing: ListParams,
    *,
    area: Area | None,
    kind: str | None,
) -> tuple[list[dict[str, Any]], str | None]:
    params: Params = {}
    conditions = _area.where(principal, area, params)
    _filters.add(conditions, params, kind=kind)
    return await rows.page(session, listing, conditions, params)
