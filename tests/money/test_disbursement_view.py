"""`GET /api/v1/disbursement` at the gateway, in front of the real services (API.md section 11):
the same shape as each service's report, their rows one after the other and their totals
summed, the caller's areas applied by each service, a service that does not answer listed in
`unavailable` with the others' money still answered."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from typing import Any

import httpx
import pytest

from mtqg_shared.registry import SERVICE_NAMES, process
from tests import support
from tests.gateway.conftest import gateway_client, gateway_db
from tests.gateway.helpers import SIGNING_KEY, GatewayClient
from tests.gateway.upstreams import free_port, serving
from tests.housing.helpers import NEW_SI_MA_CAI, NEW_SIN_CHENG

__all__ = ["gateway_client", "gateway_db"]

# Signed with the gateway's (test) key, which the services are told to trust too.
ADMIN = support.auth(subject="admin", roles=["admin"], kid=SIGNING_KEY.kid)
OFFICER_B = support.auth(
    subject="officer-b", roles=["officer"], areas=[NEW_SIN_CHENG], kid=SIGNING_KEY.kid
)
PROJECTS = {
    "housing": "90.DA5",
    "labour": "90.DA4",
    "production": "1719.DA3",
    "gender": "1719.DA8",
    "digital": "263.CDS",
}
DOWN = "production"


@pytest.fixture
async def stack(
    service_client: Any, gateway_client: GatewayClient
) -> AsyncIterator[tuple[httpx.AsyncClient, dict[str, httpx.AsyncClient]]]:
    """The gateway in front of every service but `DOWN`, whose address answers nothing."""
    async with AsyncExitStack() as stack:
        direct: dict[str, httpx.AsyncClient] = {}
        urls = {process(DOWN).url_setting: f"http://127.0.0.1:{free_port()}"}
        for name in SERVICE_NAMES:
            if name == DOWN:
                continue
            direct[name] = await stack.enter_async_context(
                service_client(name, trusted_kids=(SIGNING_KEY.kid,))
            )
            urls[process(name).url_setting] = await stack.enter_async_context(
                serving(direct[name].app)  # type: ignore[attr-defined]
            )
        gateway = await stack.enter_async_context(gateway_client(**urls, view_timeout_seconds=5))
        yield gateway, direct


async def test_the_view_sums_every_service_and_lists_the_one_that_is_down(
    stack: tuple[httpx.AsyncClient, dict[str, httpx.AsyncClient]],
) -> None:
    gateway, direct = stack
    for index, (name, client) in enumerate(direct.items()):
        for area, amount in (("15", 1_000_000_000 * (index + 1)), (NEW_SI_MA_CAI, 70_000_000)):
            answer = await client.post(
                f"/api/v1/{name}/capital-plans",
                json={
                    "year": 2026,
                    "project_code": PROJECTS[name],
                    "area_code": area,
                    "capital_type": "investment",
                    "source": "central_budget",
                    "amount_vnd": amount,
                    "decision_number": f"{index}/QĐ-UBND",
                    "decision_on": "2026-02-01",
                },
                headers=ADMIN,
            )
            assert answer.status_code == 201, answer.text
    spent = await direct["gender"].post(
        "/api/v1/gender/spending",
        json={
            "commune_code": NEW_SI_MA_CAI,
            "purpose": "Truyền thông phòng chống tảo hôn",
            "amount_vnd": 35_000_000,
            "on": "2026-03-10",
            "source": "central_budget",
            "capital_type": "investment",
        },
        headers=ADMIN,
    )
    assert spent.status_code == 201, spent.text

    params = {"year": "2026", "as_of": "2026-06-30"}
    answer = await gateway.get("/api/v1/disbursement", params=params, headers=ADMIN)
    assert answer.status_code == 200, answer.text
    view = answer.json()
    assert view["unavailable"] == [DOWN] and view["forbidden"] == []
    assert (view["area"]["code"], view["year"], view["as_of"]) == ("15", 2026, "2026-06-30")
    rows: list[dict[str, Any]] = []
    planned = disbursed = 0
    for name, client in direct.items():
        own = await client.get(f"/api/v1/{name}/reports/disbursement", params=params, headers=ADMIN)
        rows += own.json()["rows"]
        planned += own.json()["totals"]["planned_vnd"]
        disbursed += own.json()["totals"]["disbursed_vnd"]
    assert view["rows"] == rows
    assert [r["project_code"] for r in view["rows"]] == [
        PROJECTS[n] for n in SERVICE_NAMES if n != DOWN
    ]
    assert view["totals"] == {
        "planned_vnd": planned,
        "disbursed_vnd": disbursed,
        "disbursement_rate": disbursed / planned,
    }
    assert planned == sum(1_000_000_000 * (i + 1) + 70_000_000 for i in range(len(direct)))
    assert disbursed == 35_000_000

    # By commune, for one commune: each service's rows of that commune.
    by = await gateway.get(
        "/api/v1/disbursement",
        params=params | {"group_by": "commune", "area_code": NEW_SI_MA_CAI},
        headers=ADMIN,
    )
    assert by.status_code == 200, by.text
    assert {r["code"] for r in by.json()["rows"]} == {NEW_SI_MA_CAI}
    assert by.json()["totals"]["planned_vnd"] == 70_000_000 * len(direct)

    # Each service applies the caller's areas: another commune's officer sees the
    # province's own plans, not Si Ma Cai's plans and money, and Si Ma Cai is 404.
    theirs = await gateway.get("/api/v1/disbursement", params=params, headers=OFFICER_B)
    assert theirs.status_code == 200, theirs.text
    assert theirs.json()["totals"] == {
        "planned_vnd": sum(1_000_000_000 * (i + 1) for i in range(len(direct))),
        "disbursed_vnd": 0,
        "disbursement_rate": 0.0,
    }
    mine = await gateway.get(
        "/api/v1/disbursement", params=params | {"area_code": NEW_SIN_CHENG}, headers=OFFICER_B
    )
    assert mine.status_code == 200 and mine.json()["totals"]["planned_vnd"] == 0
    outside = await gateway.get(
        "/api/v1/disbursement", params=params | {"area_code": NEW_SI_MA_CAI}, headers=OFFICER_B
    )
    assert outside.status_code == 404
    assert (await gateway.get("/api/v1/disbursement", params=params)).status_code == 401
    bad = await gateway.get("/api/v1/disbursement", params={"group_by": "district"}, headers=ADMIN)
    assert bad.status_code == 422
