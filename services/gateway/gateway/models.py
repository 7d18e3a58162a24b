"""Tables of the gateway (schema `gateway` on PostgreSQL, `gateway.db` on SQLite)."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Uuid,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from mtqg_shared.db import new_metadata
from mtqg_shared.types import RecordMixin, UtcDateTime, new_id, utcnow
from mtqg_shared.writes import common_tables


class Base(DeclarativeBase):
    metadata = new_metadata()


metadata = Base.metadata
audit_log, idempotency_keys = common_tables(metadata)


class User(RecordMixin, Base):
    """A person who signs in with a password."""

    __tablename__ = "users"

    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str | None] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    roles: Mapped[list[str]] = mapped_column(JSON)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    # Bumped whenever password, roles, areas or disabled change: refresh tokens issued under
    # an older value are refused.
    credentials_version: Mapped[int] = mapped_column(Integer, default=1)

    __table_args__ = (
        Index(None, "created_at", "id"),
        Index(None, "updated_at", "id"),
    )


class Client(RecordMixin, Base):
    """Another government system, signing in with client credentials."""

    __tablename__ = "clients"

    client_id: Mapped[str] = mapped_column(String(64), unique=True)
    # SHA-256 of a 32-byte random secret: a secret with 256 bits of entropy needs no slow hash.
    secret_hash: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    scopes: Mapped[list[str]] = mapped_column(JSON)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (
        Index(None, "created_at", "id"),
        Index(None, "updated_at", "id"),
    )


# Areas live in their own rows so that "every area of this user lies inside mine" is one
# NOT EXISTS in SQL on both databases, and lists stay keyset-paginated.
user_areas = Table(
    "user_areas",
    metadata,
    Column("user_id", Uuid, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("area_code", String(5), primary_key=True),
)
client_areas = Table(
    "client_areas",
    metadata,
    Column("client_id", Uuid, ForeignKey("clients.id", ondelete="CASCADE"), primary_key=True),
    Column("area_code", String(5), primary_key=True),
)


class RefreshToken(Base):
    """A refresh token, stored as its SHA-256. Single use: using it marks it used."""

    __tablename__ = "refresh_tokens"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # Every token rotated from one sign-in shares a family; reusing a used token kills it.
    family_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    user_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    credentials_version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, index=True)
    used_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


# Failed sign-ins, one row each, per bucket (a hash of "user:<name>" or "addr:<ip>"), so that
# every replica counts the same failures over a sliding window.
signin_failures = Table(
    "signin_failures",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("bucket", String(64), nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Index(None, "bucket", "at"),
    Index(None, "at"),
)

# Requests per caller per second (epoch second), summed over replicas; the limiter adds up
# the last 61 of them (gateway.edge.ratelimit).
rate_limits = Table(
    "rate_limits",
    metadata,
    Column("caller", String(200), primary_key=True),
    Column("second", BigInteger, primary_key=True),
    Column("count", Integer, nullable=False),
    Index(None, "second"),
)


class Webhook(RecordMixin, Base):
    """A system client's subscription to the change feeds of some services (API.md section 9).

    The secret signs deliveries, so it is kept (never shown again after the create answer or
    a rotation); after a rotation the previous one also signs until `previous_secret_until`.
    `lease_owner` / `lease_until` is the replica delivering it now: one at a time, so every
    delivery is made once and in order even with several gateway replicas."""

    __tablename__ = "webhooks"

    owner_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("clients.id", ondelete="CASCADE"), index=True
    )
    url: Mapped[str] = mapped_column(String(2048))
    services: Mapped[list[str]] = mapped_column(JSON)
    resources: Mapped[list[str] | None] = mapped_column(JSON)
    description: Mapped[str | None] = mapped_column(String(500))
    secret: Mapped[str] = mapped_column(String(100))
    previous_secret: Mapped[str | None] = mapped_column(String(100))
    previous_secret_until: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    disabled_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    # The first failure of the event held back now (None while deliveries succeed).
    failing_since: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    lease_owner: Mapped[str | None] = mapped_column(String(64))
    lease_until: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)

    __table_args__ = (
        Index(None, "created_at", "id"),
        Index(None, "updated_at", "id"),
        Index(None, "disabled", "next_attempt_at"),
    )


# Where a subscription stands in each service's feed: the cursor of the page being delivered
# and the last `seq` of it delivered (a feed cursor names a page, not a change).
webhook_positions = Table(
    "webhook_positions",
    metadata,
    Column("webhook_id", Uuid, ForeignKey("webhooks.id", ondelete="CASCADE"), primary_key=True),
    Column("service", String(32), primary_key=True),
    Column("cursor", String(1024)),
    Column("delivered_seq", BigInteger, nullable=False, default=0),
)


class WebhookDelivery(Base):
    """One attempt to deliver one event: what the receiver answered, how long it took."""

    __tablename__ = "webhook_deliveries"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    webhook_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("webhooks.id", ondelete="CASCADE")
    )
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    event_id: Mapped[str] = mapped_column(String(64))
    type: Mapped[str] = mapped_column(String(128))
    attempt: Mapped[int] = mapped_column(Integer)
    succeeded: Mapped[bool] = mapped_column(Boolean)
    status: Mapped[int | None] = mapped_column(Integer)
    duration_ms: Mapped[int] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(String(300))

    __table_args__ = (Index(None, "webhook_id", "at", "id"),)
