"""/api/v1/gender/activities"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from gender.activities import service
from gender.activities.repository import activities
from gender.activities.schemas import ActivityCreate, ActivityRead, ActivityUpdate
from gender.domain.vocabulary import ActivityKind, Language, Topic
from gender.web import CHANGE, CREATE, READ
from mtqg_shared.auth import Reader
from mtqg_shared.fields import AreaFilter, GeographyFilter
from mtqg_shared.kit import (
    Change,
    Listing,
    Page,
    ReadSession,
    Write,
    answer,
    created,
    record,
    saved,
)

router = APIRouter(prefix=activities.collection, tags=["activities"])


@router.post(
    "",
    status_code=201,
    response_model=ActivityRead,
    responses=CREATE,
    summary="Record an activity (a session, a training, a contest, a campaign online)",
)
async def create_activity(body: ActivityCreate, ctx: Write) -> Response:
    activity = await service.create(ctx, body)
    return await created(ctx, service.present(activity), location=activities.location(activity.id))


@router.get("", response_model=Page[ActivityRead], responses=READ, summary="List activities")
async def list_activities(
    principal: Reader,
    session: ReadSession,
    listing: Listing,
    area_code: AreaFilter = None,
    geography: GeographyFilter = None,
    kind: Annotated[ActivityKind | None, Query()] = None,
    model_id: Annotated[uuid.UUID | None, Query()] = None,
    topic: Annotated[Topic | None, Query(description="Activities on this topic.")] = None,
    language: Annotated[Language | None, Query(description="Activities in this language.")] = None,
) -> Response:
    page = await service.page(
        session,
        principal,
        listing,
        area_code=area_code,
        geography=geography,
        kind=kind,
        model_id=model_id,
        topic=topic,
        language=language,
    )
    return answer(page)


@router.get(
    "/{activity_id}", response_model=ActivityRead, responses=READ, summary="Read an activity"
)
async def read_activity(
    activity_id: uuid.UUID, principal: Reader, session: ReadSession
) -> Response:
    row = await service.read(session, principal, activity_id)
    return record(service.present_row(row), row.version)


@router.patch(
    "/{activity_id}",
    response_model=ActivityRead,
    responses=CHANGE,
    summary="Change or move an activity",
)
async def update_activity(activity_id: uuid.UUID, body: ActivityUpdate, ctx: Change) -> Response:
    activity = await service.update(ctx, activity_id, body)
    return await saved(ctx, service.present(activity), version=activity.version)
