"""A protection case read with the gateway's own tokens: a person the gateway grants
`protection` records and reads a case in their commune at the gender service; the same
person without the role, signed in again, finds nothing there."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx

from gender.app import create_app
from gender.config import Settings
from mtqg_shared.auth import KeyStore, TokenVerifier
from mtqg_shared.db import Database
from tests import support
from tests.gateway.helpers import PASSWORD, SIGNING_KEY, admin_auth, password_grant
from tests.gender.helpers import NEW_TA_VAN
from tests.gender.test_cases import SUMMARY, case_body

USERS = "/api/v1/auth/users"
CASES = "/api/v1/gender/cases"


@asynccontextmanager
async def gender_trusting_the_gateway(db: Database) -> AsyncIterator[httpx.AsyncClient]:
    """The gender service verifying tokens with the gateway's signing key, as deployed."""
    verifier = TokenVerifier(
        KeyStore({SIGNING_KEY.kid: support.PRIVATE_KEY.public_key()}),
        issuer=support.ISSUER,
        audience=support.AUDIENCE,
    )
    app = create_app(Settings(), db=db, verifier=verifier)
    async with (
        support.rolled_back(db),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://test", headers=support.ENGLISH
        ) as client,
    ):
        yield client


def bearer(answer: httpx.Response) -> dict[str, str]:
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


async def test_a_protection_holders_gateway_token_reads_a_case(
    client: httpx.AsyncClient, databases: dict[str, Database]
) -> None:
    person = {
        "username": "mai",
        "password": PASSWORD,
        "roles": ["officer", "protection"],
        "areas": [NEW_TA_VAN],
    }
    made = await client.post(USERS, json=person, headers=admin_auth())
    assert made.status_code == 201, made.text
    holder = bearer(await password_grant(client, "mai"))
    async with gender_trusting_the_gateway(databases["gender"]) as gender:
        case = await gender.post(CASES, json=case_body(), headers=holder)
        assert case.status_code == 201, case.text
        read = await gender.get(case.headers["location"], headers=holder)
        assert (read.status_code, read.json()["summary"]) == (200, SUMMARY)

        revoked = await client.patch(
            f"{USERS}/mai", json={"roles": ["officer"]}, headers=admin_auth() | {"If-Match": '"1"'}
        )
        assert revoked.status_code == 200, revoked.text
        officer = bearer(await password_grant(client, "mai"))
        gone = await gender.get(case.headers["location"], headers=officer)
        assert gone.status_code == 404
        assert SUMMARY not in gone.text
        assert (await gender.get(CASES, headers=officer)).status_code == 403
