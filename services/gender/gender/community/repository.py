"""Community models as a resource: every query about them."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from gender.models import CommunityModel
from gender.web import PREFIX
from mtqg_shared.admin_units import Area
from mtqg_shared.auth import Principal
from mtqg_shared.kit import InCommune, ListParams, Resource
from mtqg_shared.kit.rows import AreaConditions, Equal, Params, Rows

community_models = Resource(
    CommunityModel,
    "community model",
    area=InCommune(CommunityModel.commune_code, CommunityModel.legacy_commune_code),
    audited=(
        "kind",
        "name",
        "commune_code",
        "legacy_commune_code",
        "legacy_district_code",
        "geography",
        "village",
        "established_on",
        "members",
        "members_female",
    ),
    required=("kind", "name", "commune_code", "established_on", "members", "members_female"),
    dated="established_on",
    counted=("kind", "commune_code", "legacy_commune_code", "members", "members_female"),
    prefix=PREFIX,
    path="models",
    entity="model",
)

rows = Rows(community_models, tuple(CommunityModel.__table__.c))
_model = CommunityModel.__table__.c
_area = AreaConditions.in_commune(_model.commune_code, _model.legacy_commune_code)
_filters = Equal(_model.kind)


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
