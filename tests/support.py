"""Test helpers: signing keys, tokens, databases made and dropped per run."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import uuid
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

from mtqg_shared.auth import KeyStore, TokenVerifier
from mtqg_shared.db import Database
from mtqg_shared.registry import NAMES
from mtqg_shared.settings import async_url

# Test clients read English unless a test asks for another language: the assertions on
# message texts are written in English; tests of the Vietnamese default send no header.
ENGLISH = {"Accept-Language": "en"}
ISSUER = "mtqg-gateway"
AUDIENCE = "mtqg-api"
KID = "test-key"
SERVICES = NAMES  # every process with a database: the gateway first, then each service

PRIVATE_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
OTHER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


def verifier(*also: str) -> TokenVerifier:
    """The services' verifier of test tokens; `also` names more key ids of the same key (the
    gateway's, for a service the gateway's own views call with the caller's token)."""
    keys = {kid: PRIVATE_KEY.public_key() for kid in (KID, *also)}
    return TokenVerifier(KeyStore(keys), issuer=ISSUER, audience=AUDIENCE)


def token(
    subject: str = "tester",
    *,
    kind: str = "person",
    roles: Iterable[str] = ("admin",),
    scopes: Iterable[str] = (),
    areas: Iterable[str] = ("15",),
    # Long enough for a whole run: tokens made when a module is collected (module-level
    # headers, parametrize values) are used by its tests many minutes later.
    ttl: dt.timedelta = dt.timedelta(hours=12),
    key: Any = None,
    audience: str = AUDIENCE,
    issuer: str = ISSUER,
    algorithm: str = "RS256",
    kid: str = KID,
) -> str:
    now = dt.datetime.now(dt.UTC)
    claims: dict[str, Any] = {
        "sub": subject,
        "kind": kind,
        "iss": issuer,
        "aud": audience,
        "iat": int(now.timestamp()),
        "exp": int((now + ttl).timestamp()),
        "jti": uuid.uuid4().hex,
        "areas": list(areas),
    }
    if kind == "person":
        claims["roles"] = list(roles)
    else:
        claims["scope"] = " ".join(scopes)
    signing_key = key if key is not None else PRIVATE_KEY
    return jwt.encode(claims, signing_key, algorithm=algorithm, headers={"kid": kid})


def auth(**kwargs: Any) -> dict[str, str]:
    return {"Authorization": f"Bearer {token(**kwargs)}"}


def postgres_base_url() -> str | None:
    """Set MTQG_TEST_POSTGRES_URL (a server URL) to run the suite on PostgreSQL."""
    return os.environ.get("MTQG_TEST_POSTGRES_URL") or None


async def _admin_execute(server_url: str, *statements: str) -> None:
    import asyncpg

    dsn = server_url.replace("postgresql+asyncpg://", "postgresql://")
    conn = await asyncpg.connect(dsn)
    try:
        for statement in statements:
            await conn.execute(statement)
    finally:
        await conn.close()


def create_postgres_database(server_url: str) -> tuple[str, str]:
    """Make a uniquely named database; returns (its URL, its name)."""
    name = f"mtqg_test_{uuid.uuid4().hex[:12]}"
    asyncio.run(_admin_execute(server_url, f'CREATE DATABASE "{name}"'))
    base, _, _ = server_url.rpartition("/")
    return f"{base}/{name}", name


def drop_postgres_database(server_url: str, name: str) -> None:
    asyncio.run(
        _admin_execute(
            server_url,
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            f"WHERE datname = '{name}' AND pid <> pg_backend_pid()",
            f'DROP DATABASE IF EXISTS "{name}"',
        )
    )


def service_url(base_url: str, service: str) -> str:
    """SQLite: one file per service in a folder; PostgreSQL: one database, one schema each."""
    if base_url.startswith("sqlite"):
        return f"{base_url.rstrip('/')}/{service}.db"
    return async_url(base_url)


@asynccontextmanager
async def rolled_back(db: Database) -> AsyncIterator[None]:
    """Run everything the app does in one outer transaction, rolled back afterwards."""
    async with db.engine.connect() as conn:
        outer = await conn.begin()
        db.bind_to(conn)
        try:
            yield
        finally:
            db.bind_to(None)
            await outer.rollback()


@asynccontextmanager
async def probe_client(
    db: Database, routers: Iterable[Any], *, metadata: Any = None, sensitive: Iterable[Any] = ()
) -> AsyncIterator[Any]:
    """An httpx client of a service app made of probe `routers` (built from the shared factory
    with housing's audit and idempotency tables) on the rolled-back database; `metadata`:
    probe tables created inside the rolled-back transaction first; `sensitive`: probe resources
    declared sensitive (their access log and audit rule)."""
    import httpx

    from housing.config import Settings
    from housing.models import audit_log, idempotency_keys
    from mtqg_shared.service_app import create_service_app

    app = create_service_app(
        Settings(),
        title="probe",
        description="probe",
        routers=list(routers),
        audit_table=audit_log,
        idempotency_table=idempotency_keys,
        db=db,
        verifier=verifier(),
        sensitive=list(sensitive),
    )
    async with rolled_back(db):
        if metadata is not None:
            assert db._bound is not None
            await db._bound.run_sync(metadata.create_all)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://test", headers=ENGLISH
        ) as client:
            yield client


def single_record_reads(document: dict[str, Any]) -> list[str]:
    """The paths of an OpenAPI document whose GET reads one record (the path ends in one of
    its parameters)."""
    return sorted(p for p, ops in document["paths"].items() if "get" in ops and p.endswith("}"))


async def path_values(client: Any, path: str, headers: dict[str, str], filled: str = "") -> str:
    """`path` with its parameters filled from an item of the collection before each run of
    them (a member of that name, else `id`): `/cases/{case_id}/funding/{entry_id}` lists
    `/cases`, then `/cases/<id>/funding` of the first case that has funding. A record given in
    the old geography is addressed by its old unit (`legacy_commune_code`), as its Location
    does."""
    import re

    found = re.search(r"((?:/\{[^}]+\})+)", path)
    if found is None:
        return filled + path
    collection = filled + path[: found.start()]
    names = re.findall(r"\{([^}]+)\}", found.group(1))
    listed = await client.get(collection, params={"limit": 50}, headers=headers)
    assert listed.status_code == 200, f"{collection}: {listed.text}"
    for item in listed.json()["items"]:
        values = [
            str(item.get(f"legacy_{n}") or (item[n] if n in item else item["id"])) for n in names
        ]
        try:
            return await path_values(
                client,
                path[found.end() :],
                headers,
                collection + "".join(f"/{v}" for v in values),
            )
        except LookupError:
            continue
    raise LookupError(f"nothing listed at {collection}")


async def assert_conditional_reads(client: Any, url: str, headers: dict[str, str]) -> None:
    """A one-record read answers its ETag; If-None-Match naming it (alone, in a list, weak,
    or `*`) is 304 with that ETag and no body; another tag reads the record again."""
    first = await client.get(url, headers=headers)
    assert first.status_code == 200, f"{url}: {first.text}"
    etag = first.headers.get("etag")
    assert etag, f"{url} answers no ETag"
    for condition in (etag, f'"other", {etag}', f"W/{etag}", "*"):
        again = await client.get(url, headers={**headers, "If-None-Match": condition})
        assert again.status_code == 304, f"{url} with If-None-Match {condition}: {again.text}"
        assert again.headers["etag"] == etag
        assert again.content == b""
        assert "content-type" not in again.headers
    changed = await client.get(url, headers={**headers, "If-None-Match": '"other", W/"x"'})
    assert changed.status_code == 200
    assert changed.headers["etag"] == etag
    assert changed.content == first.content
