"""Column types and the columns every record carries."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import BigInteger, DateTime, Integer, String, TypeDecorator, Uuid
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Mapped, mapped_column

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

# Money: BIGINT on PostgreSQL; SQLite's INTEGER is 64-bit already and keeps autoincrement.
Money = BigInteger().with_variant(Integer(), "sqlite")


# New ids: random (version 4) UUIDs as `uuid.uuid4` makes them, from the same source
# (`os.urandom`), but read 256 at a time and built without `UUID.__init__`'s checks (as
# CPython's own `UUID._from_int` does from 3.14 on): a bulk import makes two per case, and
# `uuid4` took 3.2 us a call there (0.64 s of an import of 100,000 cases); this 0.6 us.
_ID_BATCH = 256
_VERSION_BITS = ~((0xF000 << 64) | (0xC000 << 48))
_VERSION_4 = (4 << 76) | (0x8000 << 48)
_made: list[int] = []
os.register_at_fork(after_in_child=_made.clear)  # a forked worker never repeats its parent's


def new_id(
    *,
    _new: Any = object.__new__,
    _set: Any = object.__setattr__,
    _uuid: type[uuid.UUID] = uuid.UUID,
    _unknown: uuid.SafeUUID = uuid.SafeUUID.unknown,
) -> uuid.UUID:
    """A new random id (a version 4 UUID). The arguments are not for callers: names bound
    once, read faster than globals."""
    try:
        value = _made.pop()
    except IndexError:  # none left: a fresh batch, this call's id taken from it before it is shared
        raw = os.urandom(16 * _ID_BATCH)
        fresh = [
            int.from_bytes(raw[i : i + 16]) & _VERSION_BITS | _VERSION_4
            for i in range(0, len(raw), 16)
        ]
        value = fresh.pop()
        _made.extend(fresh)
    made: uuid.UUID = _new(_uuid)
    _set(made, "int", value)
    _set(made, "is_safe", _unknown)
    return made


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def today_vn() -> dt.date:
    """'Today' in the contract is the date in Asia/Ho_Chi_Minh."""
    return dt.datetime.now(VN_TZ).date()


class UtcDateTime(TypeDecorator[dt.datetime]):
    """Timestamps stored in UTC and always read back timezone-aware (SQLite keeps none)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given for a UTC column")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        assert isinstance(value, dt.datetime)
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


def _row_time(context: Any) -> dt.datetime:
    """A new row's created_at and updated_at are one clock read: whichever the database layer
    fills first reads the clock (unless given), the other takes the same value."""
    row = context.get_current_parameters()
    for name in ("created_at", "updated_at"):
        given = row.get(name)
        if isinstance(given, dt.datetime):
            return given
    return utcnow()


class RecordMixin:
    """id, created_at, updated_at, created_by and an optimistic-locking version. A new record
    that is given no timestamps gets the same one in both."""

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=_row_time, nullable=False)
    updated_at: Mapped[dt.datetime] = mapped_column(
        UtcDateTime, default=_row_time, onupdate=utcnow, nullable=False
    )
    created_by: Mapped[str] = mapped_column(String(128), nullable=False)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)


class PlacedMixin:
    """A record in one commune: the current (2025-07) commune and, when it was given in the
    2025-01 geography, the old commune and district."""

    commune_code: Mapped[str] = mapped_column(String(5), nullable=False, index=True)
    legacy_commune_code: Mapped[str | None] = mapped_column(String(5), index=True)
    legacy_district_code: Mapped[str | None] = mapped_column(String(3), index=True)
