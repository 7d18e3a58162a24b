"""/api/v1/digital/assets"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from digital.assets import service
from digital.assets.repository import assets
from digital.assets.schemas import AssetCreate, AssetRead, AssetUpdate
from digital.domain.vocabulary import AssetKind, AssetStatus
from digital.web import CHANGE, CREATE, READ
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

router = APIRouter(prefix=assets.collection, tags=["assets"])


@router.post(
    "",
    status_code=201,
    response_model=AssetRead,
    responses=CREATE,
    summary="Record digital infrastructure (one or more alike items)",
)
async def create_asset(body: AssetCreate, ctx: Write) -> Response:
    asset = await service.create(ctx, body)
    return await created(ctx, service.present(asset), location=assets.location(asset.id))


@router.get("", response_model=Page[AssetRead], responses=READ, summary="List digital assets")
async def list_assets(
    principal: Reader,
    session: ReadSession,
    listing: Listing,
    area_code: AreaFilter = None,
    geography: GeographyFilter = None,
    kind: Annotated[AssetKind | None, Query()] = None,
    status: Annotated[AssetStatus | None, Query()] = None,
) -> Response:
    page = await service.page(
        session,
        principal,
        listing,
        area_code=area_code,
        geography=geography,
        kind=kind,
        status=status,
    )
    return answer(page)


@router.get("/{asset_id}", response_model=AssetRead, responses=READ, summary="Read an asset")
async def read_asset(asset_id: uuid.UUID, principal: Reader, session: ReadSession) -> Response:
    row = await service.read(session, principal, asset_id)
    return record(service.present_row(row), row.version)


@router.patch(
    "/{asset_id}",
    response_model=AssetRead,
    responses=CHANGE,
    summary="Change or move an asset, or set its status",
)
async def update_asset(asset_id: uuid.UUID, body: AssetUpdate, ctx: Change) -> Response:
    asset = await service.update(ctx, asset_id, body)
    return await saved(ctx, service.present(asset), version=asset.version)
