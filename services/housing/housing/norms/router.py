"""/api/v1/housing/norms."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from housing.domain.vocabulary import BeneficiaryGroup, SupportType
from housing.norms import service
from housing.norms.schemas import NormPage, NormPut, NormRead
from housing.web import PREFIX
from mtqg_shared.auth import Admin, Reader
from mtqg_shared.db import ReadSession
from mtqg_shared.fields import IfMatch
from mtqg_shared.openapi import problems
from mtqg_shared.pagination import Listing
from mtqg_shared.writes import Write

router = APIRouter(prefix=f"{PREFIX}/norms", tags=["norms"])


@router.get("", response_model=NormPage, summary="List the support norms", responses=problems(403))
async def list_norms(
    principal: Reader,
    session: ReadSession,
    listing: Listing,
    beneficiary_group: BeneficiaryGroup | None = None,
    support_type: SupportType | None = None,
) -> NormPage:
    items, cursor = await service.page(session, listing, beneficiary_group, support_type)
    return NormPage(items=items, next_cursor=cursor)


@router.put(
    "/{beneficiary_group}/{support_type}",
    response_model=NormRead,
    summary="Set the norm of a group and support type from a date (admins of the province)",
    responses={
        201: {"description": "A norm from a new date", "model": NormRead},
        **problems(403, 409, 412),
    },
)
async def put_norm(
    beneficiary_group: BeneficiaryGroup,
    support_type: SupportType,
    body: NormPut,
    request: Request,
    principal: Admin,
    ctx: Write,
    _if_match: IfMatch = None,
) -> Response:
    return await service.put(ctx, principal, request, beneficiary_group, support_type, body)
