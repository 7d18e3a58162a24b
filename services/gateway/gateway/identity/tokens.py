"""The three OAuth2 grants (RFC 6749): password, client credentials, refresh token.

Errors are RFC 6749 section 5.2 codes carried inside problem+json (`error`,
`error_description`). Refresh tokens are random, stored as SHA-256, single use and rotated;
reusing a used one revokes every token descended from the same sign-in.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import uuid
from typing import Any, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.config import Settings
from gateway.identity.accounts import clients, users
from gateway.identity.keys import SigningKey, access_token
from gateway.identity.passwords import verify_password
from gateway.identity.schemas import TokenAnswer
from gateway.identity.throttle import SigninThrottle
from gateway.models import Client, RefreshToken, User
from mtqg_shared.auth import SCOPES
from mtqg_shared.db import Database
from mtqg_shared.errors import Problem
from mtqg_shared.messages import Msg, msg
from mtqg_shared.types import new_id, utcnow

NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
_WRONG_PASSWORD = msg("token.wrong_password")
_WRONG_CLIENT = msg("token.wrong_client")
# Compared against when the client id is unknown, so both paths do the same work.
_DUMMY_SECRET_HASH = hashlib.sha256(secrets.token_bytes(32)).hexdigest()


def oauth_error(
    status: int, error: str, description: Msg, headers: dict[str, str] | None = None
) -> Problem:
    return Problem(
        status,
        description,
        headers={**NO_STORE, **(headers or {})},
        error=error,
        error_description=description,
    )


def invalid_request(description: Msg) -> Problem:
    return oauth_error(400, "invalid_request", description)


def invalid_grant(description: Msg) -> Problem:
    return oauth_error(400, "invalid_grant", description)


def invalid_client(description: Msg = _WRONG_CLIENT) -> Problem:
    return oauth_error(
        401, "invalid_client", description, {"WWW-Authenticate": 'Basic realm="mtqg"'}
    )


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def new_client_secret() -> tuple[str, str]:
    """(secret shown once, its hash kept)."""
    secret = secrets.token_urlsafe(32)
    return secret, sha256_hex(secret)


class TokenService:
    def __init__(
        self, db: Database, key: SigningKey, settings: Settings, throttle: SigninThrottle
    ) -> None:
        self.db = db
        self.key = key
        self.settings = settings
        self.throttle = throttle

    def _person_token(self, user: User, areas: list[str]) -> str:
        return access_token(
            self.key,
            self.settings,
            subject=user.username,
            kind="person",
            roles=list(user.roles),
            areas=areas,
        )

    async def _new_refresh_token(
        self, session: AsyncSession, user: User, family: uuid.UUID | None = None
    ) -> str:
        token = secrets.token_urlsafe(32)
        now = utcnow()
        session.add(
            RefreshToken(
                token_hash=sha256_hex(token),
                family_id=family or new_id(),
                user_id=user.id,
                credentials_version=user.credentials_version,
                created_at=now,
                expires_at=now + dt.timedelta(days=self.settings.refresh_token_ttl_days),
            )
        )
        return token

    def client_token(self, client: Client, areas: list[str], scopes: list[str]) -> str:
        """An access token of a system client: what the client credentials grant answers, and
        what the webhook dispatcher reads the feeds with on the client's behalf."""
        return access_token(
            self.key,
            self.settings,
            subject=client.client_id,
            kind="client",
            scope=" ".join(scopes),
            areas=areas,
        )

    async def password_grant(self, username: str, password: str, address: str) -> TokenAnswer:
        name = username.strip().lower()
        if not name or not password:
            raise invalid_request(msg("token.password_fields"))
        await self.throttle.check(name, address)
        user: User | None = None
        if len(name) <= 64 and len(password) <= 1024:
            async with self.db.session(write=False) as session:
                user = await users.get(session, name)
        ok, new_hash = await verify_password(password, user.password_hash if user else None)
        if user is None or not ok:
            await self.throttle.failed(name, address)
            raise invalid_grant(_WRONG_PASSWORD)
        if user.disabled:
            raise invalid_grant(_WRONG_PASSWORD)
        await self.throttle.succeeded(name)
        async with self.db.session() as session:
            if new_hash is not None:
                await session.execute(
                    update(User).where(User.id == user.id).values(password_hash=new_hash)
                )
            refresh = await self._new_refresh_token(session, user)
            areas = (await users.areas_of(session, [user.id]))[user.id]
            await session.commit()
        return TokenAnswer(
            access_token=self._person_token(user, areas),
            expires_in=self.settings.access_token_ttl_seconds,
            refresh_token=refresh,
        )

    async def client_grant(
        self, client_id: str, secret: str, scope: str | None, address: str
    ) -> TokenAnswer:
        if not client_id or not secret:
            raise invalid_client(msg("token.client_fields"))
        await self.throttle.check(f"client:{client_id}", address)
        client = None
        areas: list[str] = []
        if len(client_id) <= 64:
            async with self.db.session(write=False) as session:
                client = await clients.get(session, client_id)
                areas = (await clients.areas_of(session, [client.id]))[client.id] if client else []
        expected = client.secret_hash if client is not None else _DUMMY_SECRET_HASH
        matches = hmac.compare_digest(sha256_hex(secret), expected)
        if client is None or not matches:
            await self.throttle.failed(f"client:{client_id}", address)
            raise invalid_client()
        if client.disabled:
            raise invalid_client(msg("token.client_disabled"))
        granted = list(client.scopes)
        if scope is not None and scope.strip():
            asked = scope.split()
            unknown = [s for s in asked if s not in SCOPES]
            if unknown or not set(asked) <= set(granted):
                raise oauth_error(
                    400,
                    "invalid_scope",
                    msg("token.scope"),
                )
            granted = [s for s in SCOPES if s in asked]
        scope_text = " ".join(granted)
        return TokenAnswer(
            access_token=self.client_token(client, areas, granted),
            expires_in=self.settings.access_token_ttl_seconds,
            scope=scope_text,
        )

    async def refresh_grant(self, refresh_token: str) -> TokenAnswer:
        if not refresh_token:
            raise invalid_request(msg("token.refresh_field"))
        if len(refresh_token) > 256:
            raise invalid_grant(msg("token.refresh_invalid"))
        now = utcnow()
        async with self.db.session() as session:
            row = (
                await session.scalars(
                    select(RefreshToken)
                    .where(RefreshToken.token_hash == sha256_hex(refresh_token))
                    .with_for_update()
                )
            ).first()
            if row is None:
                raise invalid_grant(msg("token.refresh_invalid"))
            spent = cast(
                CursorResult[Any],
                await session.execute(
                    update(RefreshToken)
                    .where(RefreshToken.id == row.id, RefreshToken.used_at.is_(None))
                    .values(used_at=now)
                ),
            )
            if spent.rowcount != 1:
                # A used token came back: someone else may hold this sign-in. End all of it.
                await session.execute(
                    update(RefreshToken)
                    .where(RefreshToken.family_id == row.family_id, RefreshToken.used_at.is_(None))
                    .values(used_at=now)
                )
                await session.commit()
                raise invalid_grant(msg("token.refresh_reused"))
            if row.expires_at <= now:
                await session.commit()
                raise invalid_grant(msg("token.refresh_expired"))
            user = await session.get(User, row.user_id)
            if user is None or user.disabled or user.credentials_version != row.credentials_version:
                await session.commit()
                raise invalid_grant(msg("token.refresh_stale"))
            refresh = await self._new_refresh_token(session, user, row.family_id)
            areas = (await users.areas_of(session, [user.id]))[user.id]
            await session.commit()
        return TokenAnswer(
            access_token=self._person_token(user, areas),
            expires_in=self.settings.access_token_ttl_seconds,
            refresh_token=refresh,
        )
