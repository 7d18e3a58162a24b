"""Materials: one leaflet, poster, broadcast, video or post, in up to three languages."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession

from gender.materials import repository as repo
from gender.materials.repository import materials
from gender.materials.schemas import MaterialCreate, MaterialRead, MaterialUpdate, Version
from gender.models import LANGUAGE_COLUMNS, Material, flags
from mtqg_shared.areas import filter_area, place_commune
from mtqg_shared.auth import Principal
from mtqg_shared.kit import ListParams, Page, WriteContext
from mtqg_shared.kit.places import new_place, set_place, with_geography
from mtqg_shared.rules import RuleViolation, check_not_future, once_each
from mtqg_shared.types import today_vn
from mtqg_shared.writes import refuse_nulls

_FIELDS = ("topic", "format", "published_on")


def present(material: Material) -> MaterialRead:
    return MaterialRead.model_validate(material)


def present_row(row: Row[Any]) -> MaterialRead:
    return MaterialRead.model_validate(with_geography(row._asdict()))


async def read(session: AsyncSession, principal: Principal, material_id: uuid.UUID) -> Row[Any]:
    return await repo.rows.read(session, principal, material_id)


def _set_versions(material: Material, versions: list[Version]) -> None:
    """Each language at most once (422 on the repeat); kept as given, with the language
    columns the overview counts."""
    languages = [str(v.language) for v in versions]
    try:
        once_each(languages, "body.versions")
    except RuleViolation as repeat:
        raise RuleViolation(f"{repeat.field}.language", "listed_twice") from None
    material.versions = [v.model_dump(mode="json") for v in versions]
    for column, value in flags(LANGUAGE_COLUMNS, languages).items():
        setattr(material, column, value)


async def create(ctx: WriteContext, body: MaterialCreate) -> Material:
    check_not_future(body.published_on, today_vn(), "body.published_on")
    placed = place_commune(ctx.principal, body.commune_code, body.geography, body.published_on)
    material = Material(
        id=await materials.new_id(ctx.session, body.id),
        created_by=ctx.principal.key,
        version=1,
        **{name: getattr(body, name) for name in _FIELDS},
    )
    _set_versions(material, body.versions)
    set_place(material, placed)
    return await materials.add(ctx, material)


async def update(ctx: WriteContext, material_id: uuid.UUID, body: MaterialUpdate) -> Material:
    material = await materials.take(ctx, material_id)
    refuse_nulls(body, materials.required)
    given: dict[str, Any] = body.model_dump(exclude_unset=True)
    before = materials.snapshot(material)
    if "published_on" in given:
        check_not_future(given["published_on"], today_vn(), "body.published_on")
    for name in _FIELDS:
        if name in given:
            setattr(material, name, given[name])
    if body.versions is not None:
        _set_versions(material, body.versions)
    if "commune_code" in given or "geography" in given:
        code, geography = new_place(material, given)
        set_place(material, place_commune(ctx.principal, code, geography, material.published_on))
    materials.changed(ctx, material, before)
    return material


async def page(
    session: AsyncSession,
    principal: Principal,
    listing: ListParams,
    *,
    area_code: str | None,
    geography: str | None,
    **filters: Any,
) -> Page[MaterialRead]:
    area = filter_area(principal, area_code, geography)
    rows, cursor = await repo.page(session, principal, listing, area=area, **filters)
    items = [with_geography(row) for row in rows]
    return Page[MaterialRead].model_validate({"items": items, "next_cursor": cursor})
