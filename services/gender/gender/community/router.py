"""/api/v1/gender/models"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from gender.community import service
from gender.community.repository import community_models
from gender.community.schemas import ModelCreate, ModelRead, ModelUpdate
from gender.domain.vocabulary import ModelKind
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

router = APIRouter(prefix=community_models.collection, tags=["models"])


@router.post(
    "",
    status_code=201,
    response_model=ModelRead,
    responses=CREATE,
    summary="Record a community model",
)
async def create_model(body: ModelCreate, ctx: Write) -> Response:
    model = await service.create(ctx, body)
    return await created(ctx, service.present(model), location=community_models.location(model.id))


@router.get("", response_model=Page[ModelRead], responses=READ, summary="List community models")
async def list_models(
    principal: Reader,
    session: ReadSession,
    listing: Listing,
    area_code: AreaFilter = None,
    geography: GeographyFilter = None,
    kind: Annotated[ModelKind | None, Query()] = None,
) -> Response:
    page = await service.page(
        session, principal, listing, area_code=area_code, geography=geography, kind=kind
    )
    return answer(page)


@router.get(
    "/{model_id}", response_model=ModelRead, responses=READ, summary="Read a community model"
)
async def read_model(model_id: uuid.UUID, principal: Reader, session: ReadSession) -> Response:
    row = await service.read(session, principal, model_id)
    return record(service.present_row(row), row.version)


@router.patch(
    "/{model_id}",
    response_model=ModelRead,
    responses=CHANGE,
    summary="Change or move a community model",
)
async def update_model(model_id: uuid.UUID, body: ModelUpdate, ctx: Change) -> Response:
    model = await service.update(ctx, model_id, body)
    return await saved(ctx, service.present(model), version=model.version)
