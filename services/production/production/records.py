"""Write helpers every resource uses the same way: client-made ids, conflicts, versions."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from mtqg_shared.errors import Problem, conflict
from mtqg_shared.types import RecordMixin, utcnow

RECORD_FIELDS = ("id", "created_at", "updated_at", "created_by", "version")


async def ensure_new_id(
    session: AsyncSession, model: type[RecordMixin], id_: uuid.UUID | None, what: str
) -> uuid.UUID:
    """The id to create a record with; 409 when a client-made id is taken, whoever holds it
    (the answer names nothing of the existing record)."""
    if id_ is None:
        return uuid.uuid4()
    taken = (await session.execute(select(model.id).where(model.id == id_))).first()
    if taken is not None:
        raise conflict(f"A {what} with this id already exists.")
    return id_


async def flush_or_conflict(session: AsyncSession, detail: str) -> None:
    """Write now, so that a uniqueness race lost to another request is a 409, not a 500."""
    try:
        await session.flush()
    except IntegrityError as exc:
        await session.rollback()
        raise conflict(detail) from exc


def bump(record: RecordMixin) -> None:
    """Every change of a record moves its version (its ETag) and its sync timestamp."""
    record.version += 1
    record.updated_at = utcnow()


def audit_fields(read: BaseModel) -> dict[str, Any]:
    """A record's own fields as the audit log records them (the bookkeeping ones left out)."""
    return read.model_dump(mode="json", exclude=set(RECORD_FIELDS))


def not_null(body: BaseModel, fields: Iterable[str]) -> None:
    """PATCH: a field that every record must have may be changed, not emptied."""
    bad = [name for name in fields if name in body.model_fields_set and getattr(body, name) is None]
    if bad:
        raise Problem(
            422,
            "These fields may not be null: " + ", ".join(bad),
            errors=[{"field": f"body.{name}", "message": "may not be null"} for name in bad],
        )
