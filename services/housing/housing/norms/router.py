"""/api/v1/housing/norms."""

from __future__ import annotations

import uuid

from fastapi import APIRouter
from fastapi.responses import Response

from housing.domain.vocabulary import BeneficiaryGroup, SupportType
from housing.norms import repository as repo
from housing.norms import service
from housing.norms.repository import norms
from housing.norms.schemas import NormPage, NormPut, NormRead
from mtqg_shared.auth import Admin, Reader
from mtqg_shared.kit import Change, Listing, ReadSession, answer, created, record, saved
from mtqg_shared.openapi import problems

router = APIRouter(prefix=norms.collection, tags=["norms"])


@router.get("", response_model=NormPage, summary="List the support norms", responses=problems())
async def list_norms(
    principal: Reader,
    session: ReadSession,
    listing: Listing,
    beneficiary_group: BeneficiaryGroup | None = None,
    support_type: SupportType | None = None,
) -> Response:
    rows, cursor = await repo.page(session, listing, beneficiary_group, support_type)
    return answer(service.page(rows, cursor))


@router.get(
    "/{norm_id}",
    response_model=NormRead,
    summary="Read one support norm",
    responses=problems(404),
)
async def read_norm(norm_id: uuid.UUID, _principal: Reader, session: ReadSession) -> Response:
    row = await repo.one(session, norm_id)
    return record(service.present_row(row), row["version"])


@router.put(
    "/{beneficiary_group}/{support_type}",
    response_model=NormRead,
    summary="Set the norm of a group and support type from a date (admins of the province)",
    # If-Match is optional: a PUT replaces by key (a stale one is still 412).
    responses={
        201: {"description": "A norm from a new date", "model": NormRead},
        **problems(409, 412),
    },
)
async def put_norm(
    beneficiary_group: BeneficiaryGroup,
    support_type: SupportType,
    body: NormPut,
    _admin: Admin,
    ctx: Change,
) -> Response:
    norm, new = await service.put(ctx, beneficiary_group, support_type, body)
    read = service.present(norm, await repo.next_start(ctx.session, norm))
    if new:
        location = f"{norms.collection}/{beneficiary_group.value}/{support_type.value}"
        return await created(ctx, read, location=location, version=norm.version)
    return await saved(ctx, read, version=norm.version)
