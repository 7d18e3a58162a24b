"""Activities: what was held, where, on which topics, in which languages, for how many."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession

from gender.activities import repository as repo
from gender.activities.repository import activities
from gender.activities.schemas import ActivityCreate, ActivityRead, ActivityUpdate
from gender.community.repository import community_models
from gender.models import LANGUAGE_COLUMNS, TOPIC_COLUMNS, Activity, flags
from mtqg_shared.areas import filter_area, place_commune
from mtqg_shared.auth import Principal
from mtqg_shared.kit import ListParams, Page, WriteContext
from mtqg_shared.kit.places import new_place, set_place, with_geography
from mtqg_shared.messages import word
from mtqg_shared.rules import RuleViolation, at_most, check_not_future, once_each
from mtqg_shared.types import today_vn
from mtqg_shared.writes import refuse_nulls

_FIELDS = ("kind", "held_on", "model_id", "participants", "participants_female", "online_reach")


def present(activity: Activity) -> ActivityRead:
    return ActivityRead.model_validate(activity)


def _values(values: dict[str, Any]) -> dict[str, Any]:
    values["topics"] = [t for t, column in TOPIC_COLUMNS.items() if values.pop(column)]
    values["languages"] = [lang for lang, column in LANGUAGE_COLUMNS.items() if values.pop(column)]
    return with_geography(values)


def present_row(row: Row[Any]) -> ActivityRead:
    return ActivityRead.model_validate(_values(row._asdict()))


async def read(session: AsyncSession, principal: Principal, activity_id: uuid.UUID) -> Row[Any]:
    return await repo.rows.read(session, principal, activity_id)


async def _check_model(ctx: WriteContext, model_id: uuid.UUID | None) -> None:
    """The model that held an activity is one the caller may read (422 otherwise)."""
    if model_id is None:
        return
    model = await community_models.find(ctx.session, model_id)
    if model is None or not community_models.area.may_read(ctx.principal, model):
        raise RuleViolation("body.model_id", "not_found", what=word("community model"))


def _set_lists(activity: Activity, given: dict[str, Any]) -> None:
    if "topics" in given:
        topics = [str(t) for t in once_each(given["topics"], "body.topics")]
        for column, value in flags(TOPIC_COLUMNS, topics).items():
            setattr(activity, column, value)
    if "languages" in given:
        languages = [str(lang) for lang in once_each(given["languages"], "body.languages")]
        for column, value in flags(LANGUAGE_COLUMNS, languages).items():
            setattr(activity, column, value)


async def create(ctx: WriteContext, body: ActivityCreate) -> Activity:
    check_not_future(body.held_on, today_vn(), "body.held_on")
    at_most(body.participants_female, body.participants, "body.participants_female", "participants")
    placed = place_commune(ctx.principal, body.commune_code, body.geography, body.held_on)
    await _check_model(ctx, body.model_id)
    activity = Activity(
        id=await activities.new_id(ctx.session, body.id),
        created_by=ctx.principal.key,
        version=1,
        **{name: getattr(body, name) for name in _FIELDS},
    )
    _set_lists(activity, {"topics": body.topics, "languages": body.languages})
    set_place(activity, placed)
    return await activities.add(ctx, activity)


async def update(ctx: WriteContext, activity_id: uuid.UUID, body: ActivityUpdate) -> Activity:
    activity = await activities.take(ctx, activity_id)
    refuse_nulls(body, activities.required)
    given: dict[str, Any] = body.model_dump(exclude_unset=True)
    before = activities.snapshot(activity)
    if "held_on" in given:
        check_not_future(given["held_on"], today_vn(), "body.held_on")
    at_most(
        given.get("participants_female", activity.participants_female),
        given.get("participants", activity.participants),
        "body.participants_female",
        "participants",
    )
    if given.get("model_id") is not None:
        await _check_model(ctx, given["model_id"])
    for name in _FIELDS:
        if name in given:
            setattr(activity, name, given[name])
    _set_lists(activity, given)
    if "commune_code" in given or "geography" in given:
        code, geography = new_place(activity, given)
        set_place(activity, place_commune(ctx.principal, code, geography, activity.held_on))
    activities.changed(ctx, activity, before)
    return activity


async def page(
    session: AsyncSession,
    principal: Principal,
    listing: ListParams,
    *,
    area_code: str | None,
    geography: str | None,
    **filters: Any,
) -> Page[ActivityRead]:
    area = filter_area(principal, area_code, geography)
    rows, cursor = await repo.page(session, principal, listing, area=area, **filters)
    items = [_values(row) for row in rows]
    return Page[ActivityRead].model_validate({"items": items, "next_cursor": cursor})
