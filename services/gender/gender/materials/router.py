"""/api/v1/gender/materials"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from gender.domain.vocabulary import Language, MaterialFormat, Topic
from gender.materials import service
from gender.materials.repository import materials
from gender.materials.schemas import MaterialCreate, MaterialRead, MaterialUpdate
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

router = APIRouter(prefix=materials.collection, tags=["materials"])


@router.post(
    "",
    status_code=201,
    response_model=MaterialRead,
    responses=CREATE,
    summary="Record a communication material with its language versions",
)
async def create_material(body: MaterialCreate, ctx: Write) -> Response:
    material = await service.create(ctx, body)
    return await created(ctx, service.present(material), location=materials.location(material.id))


@router.get("", response_model=Page[MaterialRead], responses=READ, summary="List materials")
async def list_materials(
    principal: Reader,
    session: ReadSession,
    listing: Listing,
    area_code: AreaFilter = None,
    geography: GeographyFilter = None,
    topic: Annotated[Topic | None, Query()] = None,
    format: Annotated[MaterialFormat | None, Query()] = None,
    language: Annotated[
        Language | None, Query(description="Materials with a version in it.")
    ] = None,
) -> Response:
    page = await service.page(
        session,
        principal,
        listing,
        area_code=area_code,
        geography=geography,
        topic=topic,
        format=format,
        language=language,
    )
    return answer(page)


@router.get(
    "/{material_id}", response_model=MaterialRead, responses=READ, summary="Read a material"
)
async def read_material(
    material_id: uuid.UUID, principal: Reader, session: ReadSession
) -> Response:
    row = await service.read(session, principal, material_id)
    return record(service.present_row(row), row.version)


@router.patch(
    "/{material_id}",
    response_model=MaterialRead,
    responses=CHANGE,
    summary="Change, move or re-version a material",
)
async def update_material(material_id: uuid.UUID, body: MaterialUpdate, ctx: Change) -> Response:
    material = await service.update(ctx, material_id, body)
    return await saved(ctx, service.present(material), version=material.version)
