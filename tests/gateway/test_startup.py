"""Start-up: settings that refuse nonsense, the signing key file, the first admin."""

from __future__ import annotations

import base64
import logging
import stat
from pathlib import Path

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from pydantic import ValidationError
from sqlalchemy import text

from gateway.app import create_app
from gateway.config import Settings
from gateway.identity.bootstrap import ensure_first_admin
from gateway.identity.keys import KEY_FILE, SigningKey, load_signing_key, rsa_thumbprint
from mtqg_shared.db import Database
from mtqg_shared.settings import CommonSettings
from tests import support
from tests.gateway.helpers import SIGNING_KEY, assert_problem, make_settings, password_grant

ADMIN_PASSWORD = "first admin password"


def test_service_urls_default_to_the_service_ports() -> None:
    settings = Settings(housing_port=9101, labour_url="http://labour:8002/")
    assert settings.service_urls() == {
        "housing": ("http://127.0.0.1:9101",),
        "labour": ("http://labour:8002",),
        "production": ("http://127.0.0.1:8003",),
        "gender": ("http://127.0.0.1:8004",),
        "digital": ("http://127.0.0.1:8005",),
    }
    assert settings.port == 8000


def test_a_service_s_replicas_are_its_comma_separated_urls() -> None:
    settings = Settings(housing_url=" http://a:8001/, http://b:8001 ,")
    assert settings.service_urls()["housing"] == ("http://a:8001", "http://b:8001")


@pytest.mark.parametrize(
    "value", ["http://a:8001,ftp://b", "http://a:8001,http://b:8001/api", "http://a,http://a"]
)
def test_a_bad_replica_url_is_refused_at_start(value: str) -> None:
    with pytest.raises(ValidationError):
        Settings(housing_url=value)


@pytest.mark.parametrize(
    "values",
    [
        {"admin_password": "short"},
        {"admin_password": "changeme1234"},
        {"access_token_ttl_seconds": 901},
        {"refresh_token_ttl_days": 0},
        {"housing_url": "ftp://housing"},
        {"labour_url": "http://labour:8002/api"},
        {"forward_timeout_seconds": 0},
        {"forward_connect_timeout_seconds": -1},
        {"rate_limit_per_minute": -1},
        {"signin_failures_per_username": 0},
        {"jwt_private_key": "not a key"},
    ],
)
def test_settings_refuse_nonsense(values: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        Settings(**values)  # type: ignore[arg-type]


def test_settings_never_show_secrets() -> None:
    settings = Settings(admin_password=ADMIN_PASSWORD)
    assert ADMIN_PASSWORD not in repr(settings) and ADMIN_PASSWORD not in str(settings)


def test_every_setting_is_documented() -> None:
    own = set(Settings.model_fields) - set(CommonSettings.model_fields)
    assert own
    for name in own - {"service_name"}:
        assert Settings.model_fields[name].description, name


def test_signing_key_is_generated_once_private_and_reused(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    first = load_signing_key(settings)
    path = tmp_path / KEY_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    again = load_signing_key(settings)
    assert again.kid == first.kid
    assert [p.name for p in tmp_path.iterdir()] == [KEY_FILE]  # no temporary file left


def test_signing_key_from_settings_wins(tmp_path: Path) -> None:
    pem = support.OTHER_KEY.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    key = load_signing_key(make_settings(tmp_path, jwt_private_key=pem))
    assert key.kid == SigningKey.from_private_key(support.OTHER_KEY).kid
    assert not (tmp_path / KEY_FILE).exists()
    one_line = pem.strip().replace("\n", "\\n")  # as .env files often carry it
    assert load_signing_key(make_settings(tmp_path, jwt_private_key=one_line)).kid == key.kid


def test_key_id_is_the_rfc7638_thumbprint() -> None:
    # The example key and thumbprint of RFC 7638 section 3.1.
    n = (
        "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_"
        "BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_"
        "FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI"
        "4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"
    )
    modulus = int.from_bytes(base64.urlsafe_b64decode(n + "=" * (-len(n) % 4)), "big")
    assert rsa_thumbprint(65537, modulus) == "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
    numbers = support.PRIVATE_KEY.public_key().public_numbers()
    assert SIGNING_KEY.kid == rsa_thumbprint(numbers.e, numbers.n)


async def test_first_admin_is_made_from_settings_once(gateway_db: Database, tmp_path: Path) -> None:
    settings = make_settings(tmp_path, admin_password=ADMIN_PASSWORD)
    app = create_app(settings, db=gateway_db, signing_key=SIGNING_KEY)
    async with support.rolled_back(gateway_db):
        async with app.running():  # the lifespan makes the first admin
            pass
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://gw", headers=support.ENGLISH
        ) as client:
            answer = await password_grant(client, "admin", ADMIN_PASSWORD)
            assert answer.status_code == 200, answer.text
            token = answer.json()["access_token"]
            me = await client.get(
                "/api/v1/auth/users/admin", headers={"Authorization": f"Bearer {token}"}
            )
            assert me.status_code == 200
            assert me.json()["roles"] == ["admin"] and me.json()["areas"] == ["15"]
            assert me.json()["created_by"] == "system:gateway"
            # A second start (or another replica) makes nobody else.
            assert await ensure_first_admin(gateway_db, settings) is False
            listed = await client.get(
                "/api/v1/auth/users", headers={"Authorization": f"Bearer {token}"}
            )
            assert [u["username"] for u in listed.json()["items"]] == ["admin"]
        await app.forwarder.close()


async def test_no_admin_password_means_no_user(gateway_db: Database, tmp_path: Path) -> None:
    async with support.rolled_back(gateway_db):
        assert await ensure_first_admin(gateway_db, make_settings(tmp_path)) is False
        async with gateway_db.session() as session:
            assert (await session.scalar(text("SELECT count(*) FROM users"))) == 0
        app = create_app(make_settings(tmp_path), db=gateway_db, signing_key=SIGNING_KEY)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://gw", headers=support.ENGLISH
        ) as client:
            answer = await password_grant(client, "admin", "admin")
            assert_problem(answer, 400, "bad-request")


async def test_missing_tables_are_reported_clearly(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    db = Database(f"sqlite+aiosqlite:///{tmp_path}/empty.db", "gateway")
    try:
        with caplog.at_level(logging.ERROR, logger="mtqg.gateway.bootstrap"):
            made = await ensure_first_admin(
                db, make_settings(tmp_path, admin_password=ADMIN_PASSWORD)
            )
        assert made is False
        assert "python -m mtqg_shared.migrations gateway upgrade" in caplog.text
        assert ADMIN_PASSWORD not in caplog.text
    finally:
        await db.dispose()
