"""Webhooks end to end: the real gateway and housing service, a client that reads one commune,
a receiver on this machine. Cases written by several writers at once reach the receiver
signed, as the client reads them, and the receiver ends with exactly the cases the client can
read: none of another commune."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
from standardwebhooks import Webhook as Verifier

from tests.gateway.hooks import receiver
from tests.housing.helpers import NEW_SI_MA_CAI, case_body
from tests.stack import running_stack

OTHER_COMMUNE = "02647"  # Phường Lào Cai, outside the client's areas
WRITERS = 4
CASES_EACH = 5


async def test_a_receiver_ends_with_exactly_the_cases_its_client_reads(tmp_path: Path) -> None:
    async with receiver() as found:
        settings = {"MTQG_WEBHOOK_ALLOW_PRIVATE": "true", "MTQG_WEBHOOK_POLL_SECONDS": "0.2"}
        # Started in a thread: on PostgreSQL it makes its database with a loop of its own.
        processes = running_stack(tmp_path, services=("housing",), settings=settings)
        stack = await asyncio.to_thread(processes.__enter__)
        try:
            admin = {"Authorization": f"Bearer {stack.token()}"}
            async with httpx.AsyncClient(base_url=stack.url("gateway"), timeout=30) as api:
                made = await api.post(
                    "/api/v1/auth/clients",
                    json={
                        "name": "Si Ma Cai",
                        "scopes": ["housing:read"],
                        "areas": [NEW_SI_MA_CAI],
                    },
                    headers=admin,
                )
                assert made.status_code == 201, made.text
                system = made.json()
                hook = await api.post(
                    "/api/v1/webhooks",
                    json={
                        "url": found.url,
                        "services": ["housing"],
                        "client_id": system["client_id"],
                    },
                    headers=admin,
                )
                assert hook.status_code == 201, hook.text
                secret = hook.json()["secret"]

                async def writer(n: int) -> None:
                    for i in range(CASES_EACH):
                        commune = OTHER_COMMUNE if i == 0 else NEW_SI_MA_CAI
                        answer = await api.post(
                            "/api/v1/housing/cases",
                            json=case_body(commune_code=commune),
                            headers=admin,
                        )
                        assert answer.status_code == 201, answer.text

                await asyncio.gather(*(writer(n) for n in range(WRITERS)))
                token = await api.post(
                    "/api/v1/auth/token",
                    data={
                        "grant_type": "client_credentials",
                        "client_id": system["client_id"],
                        "client_secret": system["client_secret"],
                    },
                )
                as_client = {"Authorization": f"Bearer {token.json()['access_token']}"}
                listed = await api.get(
                    "/api/v1/housing/cases", params={"limit": 200}, headers=as_client
                )
                readable = {c["id"]: c for c in listed.json()["items"]}
                assert len(readable) == WRITERS * (CASES_EACH - 1)

                records: dict[str, Any] = {}
                for _ in range(300):
                    records = _latest(found, secret)
                    if set(records) == set(readable):
                        break
                    await asyncio.sleep(0.1)
                await asyncio.sleep(1.0)  # nothing more arrives
                records = _latest(found, secret)
                attempts = await api.get(
                    f"/api/v1/webhooks/{hook.json()['id']}/deliveries",
                    params={"limit": 200},
                    headers=admin,
                )
        finally:
            await asyncio.to_thread(processes.__exit__, None, None, None)
    assert set(records) == set(readable)
    for case_id, record in records.items():
        assert record == readable[case_id]  # as the client's own read answers it
    ids = [d.headers["webhook-id"] for d in found.seen]
    assert len(ids) == len(set(ids))  # each change once
    seqs = [d.seq for d in found.seen]
    assert seqs == sorted(seqs)
    assert all(a["succeeded"] for a in attempts.json()["items"])
    assert len(attempts.json()["items"]) == len(found.seen)


def _latest(found: Any, secret: str) -> dict[str, Any]:
    """The cases as the receiver knows them: each one's latest upsert, minus removals."""
    records: dict[str, Any] = {}
    for delivery in list(found.seen):
        event = Verifier(secret).verify(delivery.body, delivery.headers)
        change = event["data"]
        assert event["type"] == f"housing.{change['resource']}.{change['action']}"
        if change["resource"] != "cases":
            continue
        if change["action"] == "remove":
            records.pop(change["id"], None)
        else:
            records[change["id"]] = change["record"]
    return records
