"""The audit log admins read: every write, who made it, what changed."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema
from sqlalchemy import Table, or_, select

from mtqg_shared.auth import Admin
from mtqg_shared.db import ReadSession
from mtqg_shared.errors import Problem, field_error
from mtqg_shared.messages import msg

# An audited field's value as JSON: a scalar, or the list a few fields hold (roles, areas,
# communes; a plan's milestones as objects of scalars). Not recursive, so that every client
# generator can name it.
AuditScalar = str | int | float | bool | None
AuditValue = AuditScalar | list[AuditScalar] | list[dict[str, AuditScalar]] | dict[str, AuditScalar]


class _EveryItem:
    """Documents a pair's `items` too (what `prefixItems` says of both), for the OpenAPI tools
    that read only `items`."""

    def __get_pydantic_json_schema__(
        self, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        schema = handler(core_schema)
        schema["items"] = schema["prefixItems"][0]
        return schema


class SecretChange(StrEnum):
    """What the trail says of a secret (a password, a client secret): never a value."""

    SET = "set"
    CHANGED = "changed"
    ROTATED = "rotated"


# [old, new]; of a secret only that it changed.
AuditChange = Annotated[tuple[AuditValue, AuditValue], _EveryItem()] | SecretChange


class AuditEntry(BaseModel):
    at: dt.datetime
    actor: str
    action: str
    entity_type: str
    entity_id: str
    changes: dict[str, AuditChange] = Field(
        description=(
            "Each field that changed, with its value before and after: [old, new]; a password "
            'or a client secret only says "set", "changed" or "rotated".'
        )
    )
    request_id: str | None


class AuditPage(BaseModel):
    items: list[AuditEntry]
    next_cursor: str | None


def audit_router(prefix: str) -> APIRouter:
    router = APIRouter(prefix=prefix, tags=["audit"])

    @router.get("/audit", response_model=AuditPage, summary="Read the audit log (admins)")
    async def read_audit(
        request: Request,
        principal: Admin,
        session: ReadSession,
        entity_type: Annotated[str | None, Query(max_length=64)] = None,
        entity_id: Annotated[str | None, Query(max_length=64)] = None,
        limit: Annotated[int, Query(ge=1, le=200)] = 50,
        cursor: Annotated[str | None, Query(max_length=32)] = None,
    ) -> AuditPage:
        table: Table = request.app.state.audit_table
        stmt = select(table)
        if entity_type is not None:
            stmt = stmt.where(table.c.entity_type == entity_type)
        if entity_id is not None:
            stmt = stmt.where(table.c.entity_id == entity_id)
        if principal.communes is not None:
            stmt = stmt.where(
                or_(*(table.c.communes.contains(f" {c} ") for c in sorted(principal.communes)))
            )
        if cursor is not None:
            if not cursor.isdigit():
                raise Problem(
                    422,
                    msg("cursor_unknown"),
                    errors=[field_error("query.cursor", "invalid_format.cursor")],
                )
            stmt = stmt.where(table.c.id < int(cursor))
        stmt = stmt.order_by(table.c.id.desc()).limit(limit + 1)
        rows = (await session.execute(stmt)).all()
        items = [
            AuditEntry(
                at=r.at,
                actor=r.actor,
                action=r.action,
                entity_type=r.entity_type,
                entity_id=r.entity_id,
                changes=r.changes,
                request_id=r.request_id,
            )
            for r in rows[:limit]
        ]
        next_cursor = str(rows[limit - 1].id) if len(rows) > limit else None
        return AuditPage(items=items, next_cursor=next_cursor)

    return router
