"""The routes of a service's spending (kit.spending): record or reverse, list, read.

Without `from __future__ import annotations`: the link filter's name (`activity_id`,
`asset_id`) is the book's, so the list's parameters are annotated when the routes are made.
"""

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response
from pydantic import BaseModel

from mtqg_shared.auth import Reader
from mtqg_shared.db import ReadSession
from mtqg_shared.fields import AreaFilter, GeographyFilter
from mtqg_shared.kit.http import CREATE, READ, answer, created, record
from mtqg_shared.kit.money import CapitalType, ProjectCode
from mtqg_shared.kit.spending import SpendingBook, SpendingSource
from mtqg_shared.pagination import Listing, Page
from mtqg_shared.writes import Write


def spending_router(book: SpendingBook[Any, Any], create_body: type[BaseModel]) -> APIRouter:
    """`POST` (an entry or a reversal), the list (filtered by source, project, capital type
    and the linked record) and the read of `book`'s entries."""
    read_model: Any = book.read_model
    router = APIRouter(prefix=book.resource.collection, tags=["spending"])

    async def record_spending(body: Any, ctx: Write) -> Response:
        entry = await book.record(ctx, body)
        location = book.resource.location(entry.id)
        return await created(ctx, book.present(entry, None), location=location)

    # The body's model is the service's: FastAPI reads it from the signature.
    record_spending.__annotations__["body"] = create_body

    async def list_spending(
        principal: Reader,
        session: ReadSession,
        listing: Listing,
        area_code: AreaFilter = None,
        geography: GeographyFilter = None,
        source: Annotated[SpendingSource | None, Query()] = None,
        project_code: Annotated[ProjectCode | None, Query()] = None,
        capital_type: Annotated[CapitalType | None, Query()] = None,
        linked: Annotated[uuid.UUID | None, Query(alias=book.link)] = None,
    ) -> Response:
        page = await book.page(
            session,
            principal,
            listing,
            area_code=area_code,
            geography=geography,
            source=source,
            project_code=project_code,
            capital_type=capital_type,
            **{book.link: linked},
        )
        return answer(page)

    async def read_spending(
        entry_id: uuid.UUID, principal: Reader, session: ReadSession
    ) -> Response:
        row = await book.read(session, principal, entry_id)
        return record(book.present_row(row), row.version)

    router.add_api_route(
        "",
        record_spending,
        methods=["POST"],
        status_code=201,
        response_model=read_model,
        responses=CREATE,
        summary="Record money spent, or reverse an entry",
    )
    router.add_api_route(
        "",
        list_spending,
        methods=["GET"],
        response_model=Page[read_model],
        responses=READ,
        summary="List spending entries",
    )
    router.add_api_route(
        "/{entry_id}",
        read_spending,
        methods=["GET"],
        response_model=read_model,
        responses=READ,
        summary="Read a spending entry",
    )
    return router
