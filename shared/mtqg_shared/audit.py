"""The audit log admins read: every write, who made it, what changed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema
from sqlalchemy import Select, Table, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from mtqg_shared.auth import Admin, Principal
from mtqg_shared.db import read_session, writing_session
from mtqg_shared.errors import Problem, field_error
from mtqg_shared.kit.sensitive import Sensitive, write_log
from mtqg_shared.messages import msg
from mtqg_shared.writes import request_id_of

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
    changes: dict[str, AuditChange] | None = Field(
        description=(
            "Each field that changed, with its value before and after: [old, new]; a password "
            'or a client secret only says "set", "changed" or "rotated". null: withheld, '
            "the values of a sensitive record (a protection case) are shown only to holders "
            "of the role that reads it."
        )
    )
    request_id: str | None


class AuditPage(BaseModel):
    items: list[AuditEntry]
    next_cursor: str | None


async def newest_log_rows(
    session: AsyncSession,
    stmt: Select[Any],
    table: Table,
    principal: Principal,
    limit: int,
    cursor: str | None,
) -> list[Any]:
    """A page of a log table (the audit trail, the access log): the rows filed under one of
    the caller's communes, newest first by id, after `cursor` (the last id of the page
    before); one row more than `limit`, which says whether a next page exists."""
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
    return list((await session.execute(stmt)).all())


def next_log_cursor(rows: list[Any], limit: int) -> str | None:
    return str(rows[limit - 1].id) if len(rows) > limit else None


def audit_router(prefix: str, sensitive: Mapping[str, Sensitive] | None = None) -> APIRouter:
    """`GET <prefix>/audit`. `sensitive`: the entity types whose records only holders of a
    role read (kit.sensitive): their entries show `changes` to holders alone, and showing them
    is written to the access log before the answer leaves."""
    router = APIRouter(prefix=prefix, tags=["audit"])
    guarded = dict(sensitive or {})
    # Showing a sensitive record's values is a read to log: in the trail's own transaction.
    opened = Depends(writing_session if guarded else read_session)

    @router.get("/audit", response_model=AuditPage, summary="Read the audit log (admins)")
    async def read_audit(
        request: Request,
        principal: Admin,
        session: AsyncSession = opened,
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
        rows = await newest_log_rows(session, stmt, table, principal, limit, cursor)
        shown: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
        items = []
        for r in rows[:limit]:
            rule = guarded.get(r.entity_type)
            withheld = rule is not None and not rule.admits(principal)
            if rule is not None and not withheld:
                shown.setdefault(r.entity_type, []).append((r.entity_id, tuple(r.communes.split())))
            items.append(
                AuditEntry(
                    at=r.at,
                    actor=r.actor,
                    action=r.action,
                    entity_type=r.entity_type,
                    entity_id=r.entity_id,
                    changes=None if withheld else r.changes,
                    request_id=r.request_id,
                )
            )
        if shown:
            await _log_shown(session, request_id_of(request), principal, guarded, shown)
        return AuditPage(items=items, next_cursor=next_log_cursor(rows, limit))

    return router


async def _log_shown(
    session: AsyncSession,
    request_id: str | None,
    principal: Principal,
    guarded: Mapping[str, Sensitive],
    shown: Mapping[str, list[tuple[str, tuple[str, ...]]]],
) -> None:
    """The values of sensitive records shown in the trail are a read of them: logged in the
    trail's transaction, committed before the answer."""
    rows: dict[str, tuple[Sensitive, list[dict[str, Any]]]] = {}
    for entity_type, read in shown.items():
        rule = guarded[entity_type]
        row = rule.log_row(principal, request_id, "audit", entity_type, read)
        rows.setdefault(rule.log.name, (rule, []))[1].append(row)
    for rule, logged in rows.values():
        await write_log(session, rule, *logged)
