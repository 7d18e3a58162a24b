"""How production records enter the audit log: their own fields, as they are read."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

RECORD_FIELDS = ("id", "created_at", "updated_at", "created_by", "version")


def audit_fields(read: BaseModel) -> dict[str, Any]:
    """A record's own fields as the audit log records them (the bookkeeping ones left out)."""
    return read.model_dump(mode="json", exclude=set(RECORD_FIELDS))
