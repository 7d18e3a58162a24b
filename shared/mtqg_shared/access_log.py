"""The access log of a service's sensitive records (see `mtqg_shared.kit.sensitive`): every
read of them, who read which records and when, for the admins of their areas."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field, create_model
from sqlalchemy import JSON, Column, Index, Integer, MetaData, String, Table, Text, select

from mtqg_shared.audit import newest_log_rows, next_log_cursor
from mtqg_shared.auth import Admin
from mtqg_shared.db import ReadSession
from mtqg_shared.kit.sensitive import Sensitive
from mtqg_shared.types import UtcDateTime


def access_log_table(metadata: MetaData) -> Table:
    """The service's access log, in its own schema beside `audit_log`."""
    return Table(
        "access_log",
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("at", UtcDateTime, nullable=False),
        Column("reader", String(160), nullable=False),
        Column("action", String(64), nullable=False),
        Column("entity_type", String(64), nullable=False),
        # [[id, [commune, ...]], ...]: each record read with the communes it lay in.
        Column("records", JSON, nullable=False),
        Column("request_id", String(128)),
        # The communes of the records read, " a b c ", so that area-bound admins read only
        # the reads of what they may see.
        Column("communes", Text, nullable=False, server_default=" "),
        Index(None, "entity_type", "id"),
    )


class AccessPage(BaseModel):
    next_cursor: str | None


def access_entry_model(ids: str) -> type[BaseModel]:
    """`{"at", "reader", "action", <ids>, "request_id"}`, `<ids>` as the resource names them."""
    fields: dict[str, Any] = {
        "at": (dt.datetime, ...),
        "reader": (str, Field(description="Who read: `person:<username>`.")),
        "action": (
            str,
            Field(
                description="`read` (one record), `list` (a page), `audit`, `changes` (the "
                "change feed)."
            ),
        ),
        ids: (list[uuid.UUID], Field(description="The records the reader was shown.")),
        "request_id": (str | None, ...),
    }
    return create_model("AccessEntry", **fields)


def access_log_router(prefix: str, sensitive: Sensitive) -> APIRouter:
    """`GET <prefix>/access-log`: admins read the reads of the records in their areas, newest
    first, keyset paged; of a read that also showed records elsewhere, only their own."""
    table = sensitive.log
    entry: Any = access_entry_model(sensitive.ids)
    page: Any = create_model("AccessLogPage", __base__=AccessPage, items=(list[entry], ...))
    router = APIRouter(prefix=prefix, tags=["access-log"])

    @router.get(
        "/access-log", response_model=page, summary="Read who read the sensitive records (admins)"
    )
    async def read_access_log(
        principal: Admin,
        session: ReadSession,
        limit: Annotated[int, Query(ge=1, le=200)] = 50,
        cursor: Annotated[str | None, Query(max_length=32)] = None,
    ) -> Any:
        rows = await newest_log_rows(session, select(table), table, principal, limit, cursor)
        mine = principal.communes
        items = [
            entry(
                at=r.at,
                reader=r.reader,
                action=r.action,
                request_id=r.request_id,
                **{
                    sensitive.ids: [
                        id_
                        for id_, places in r.records
                        if mine is None or any(p in mine for p in places)
                    ]
                },
            )
            for r in rows[:limit]
        ]
        return page(items=items, next_cursor=next_log_cursor(rows, limit))

    return router
