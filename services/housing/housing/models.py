"""Tables of the housing service (schema `housing` on PostgreSQL)."""

from __future__ import annotations

from sqlalchemy.orm import DeclarativeBase

from mtqg_shared.db import new_metadata
from mtqg_shared.writes import common_tables


class Base(DeclarativeBase):
    metadata = new_metadata()


metadata = Base.metadata
audit_log, idempotency_keys = common_tables(metadata)
