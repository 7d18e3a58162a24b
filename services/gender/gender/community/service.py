"""Community models: what they are, where, since when, and how many women they count."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession

from gender.community import repository as repo
from gender.community.repository import community_models
from gender.community.schemas import ModelCreate, ModelRead, ModelUpdate
from gender.models import CommunityModel
from mtqg_shared.areas import filter_area, place_commune
from mtqg_shared.auth import Principal
from mtqg_shared.kit import ListParams, Page, WriteContext
from mtqg_shared.kit.places import new_place, set_place, with_geography
from mtqg_shared.rules import at_most, check_not_future
from mtqg_shared.types import today_vn
from mtqg_shared.writes import refuse_nulls

_FIELDS = ("kind", "name", "village", "established_on", "members", "members_female")


def present(model: CommunityModel) -> ModelRead:
    return ModelRead.model_validate(model)


def present_row(row: Row[Any]) -> ModelRead:
    return ModelRead.model_validate(with_geography(row._asdict()))


async def read(session: AsyncSession, principal: Principal, model_id: uuid.UUID) -> Row[Any]:
    return await repo.rows.read(session, principal, model_id)


async def create(ctx: WriteContext, body: ModelCreate) -> CommunityModel:
    check_not_future(body.established_on, today_vn(), "body.established_on")
    at_most(body.members_female, body.members, "body.members_female", "members")
    placed = place_commune(ctx.principal, body.commune_code, body.geography, body.established_on)
    model = CommunityModel(
        id=await community_models.new_id(ctx.session, body.id),
        created_by=ctx.principal.key,
        version=1,
        **{name: getattr(body, name) for name in _FIELDS},
    )
    set_place(model, placed)
    return await community_models.add(ctx, model)


async def update(ctx: WriteContext, model_id: uuid.UUID, body: ModelUpdate) -> CommunityModel:
    model = await community_models.take(ctx, model_id)
    refuse_nulls(body, community_models.required)
    given: dict[str, Any] = body.model_dump(exclude_unset=True)
    before = community_models.snapshot(model)
    if "established_on" in given:
        check_not_future(given["established_on"], today_vn(), "body.established_on")
    female = given.get("members_female", model.members_female)
    at_most(female, given.get("members", model.members), "body.members_female", "members")
    for name in _FIELDS:
        if name in given:
            setattr(model, name, given[name])
    if "commune_code" in given or "geography" in given:
        code, geography = new_place(model, given)
        set_place(model, place_commune(ctx.principal, code, geography, model.established_on))
    community_models.changed(ctx, model, before)
    return model


async def page(
    session: AsyncSession,
    principal: Principal,
    listing: ListParams,
    *,
    area_code: str | None,
    geography: str | None,
    kind: str | None,
) -> Page[ModelRead]:
    area = filter_area(principal, area_code, geography)
    rows, cursor = await repo.page(session, principal, listing, area=area, kind=kind)
    items = [with_geography(row) for row in rows]
    return Page[ModelRead].model_validate({"items": items, "next_cursor": cursor})
