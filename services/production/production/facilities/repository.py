"""Processing facilities as a resource: every query about them."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from mtqg_shared.admin_units import Area
from mtqg_shared.auth import Principal
from mtqg_shared.kit import InCommune, ListParams, Resource
from mtqg_shared.kit.filters import where_given
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
    prefix=PREFIX,
    path="facilities",
)


async def page(
    session: AsyncSession,
    principal: Principal,
    listing: ListParams,
    *,
    area: Area | None,
    kind: str | None,
) -> tuple[list[Facility], str | None]:
    stmt = where_given(facilities.visible(principal, area), (Facility.kind, kind))
    return await facilities.page(session, stmt, listing)
