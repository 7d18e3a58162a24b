"""Property-based fuzzing of the housing API from its own OpenAPI document: whatever the
input, no 5xx, and every answer is documented (status, content type, body schema).

Schemathesis generates the cases in a worker thread; each request is sent on the test's own
event loop through the rolled-back client, so fuzzed writes vanish with the test. Half of
the cases aimed at one record are pointed at records made beforehand, so that the state
machine, the funding rules and the area checks are fuzzed too, not only the 404 path.
"""

from __future__ import annotations

import asyncio
from typing import Any, cast

import httpx
import hypothesis
import schemathesis
from hypothesis import HealthCheck, Phase
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.housing.helpers import API, admin, create_case, fund

EXAMPLES = 20
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def _request(case: Any, headers: dict[str, str]) -> dict[str, Any]:
    sent = case.as_transport_kwargs(base_url="http://test", headers=headers)
    request: dict[str, Any] = {
        "method": sent["method"],
        "url": sent["url"],
        "params": sent.get("params"),
        "headers": sent.get("headers"),
    }
    if "json" in sent:
        request["json"] = sent["json"]
    elif sent.get("data") is not None:
        request["content"] = sent["data"]
    return request


async def _known_records(client: httpx.AsyncClient) -> dict[str, str]:
    case = await create_case(client, commune_code="02800", registered_on="2024-01-02")
    entry = await fund(client, case["id"], "household", 1_000_000, "2024-02-01")
    plan = await client.post(
        f"{API}/plans",
        json={
            "area_code": "084",
            "title": "Si Ma Cai",
            "target_new_build": 5,
            "target_repair": 5,
            "deadline": "2024-12-31",
            "milestones": [{"due_on": "2024-06-30", "completed_target": 4}],
        },
        headers=admin(),
    )
    obstacle = await client.post(
        f"{API}/obstacles",
        json={
            "case_id": case["id"],
            "title": "Road",
            "description": "Blocked",
            "severity": "low",
            "reported_on": "2024-03-01",
        },
        headers=admin(),
    )
    return {
        "case_id": case["id"],
        "entry_id": entry["id"],
        "plan_id": plan.json()["id"],
        "obstacle_id": obstacle.json()["id"],
    }


async def test_no_input_breaks_the_api(client: httpx.AsyncClient) -> None:
    app = client.app  # type: ignore[attr-defined]
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    known = await _known_records(client)
    loop = asyncio.get_running_loop()
    headers = admin(areas=["15"])
    failures: list[str] = []

    def send(case: Any, extra: dict[str, str]) -> httpx.Response:
        call = client.request(**_request(case, headers | extra))
        return asyncio.run_coroutine_threadsafe(call, loop).result(timeout=60)

    def fuzz() -> None:
        for result in schema.get_all_operations():
            operation = cast(Any, result).ok()  # an invalid operation fails here, loudly
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

                @hypothesis.given(
                    case=operation.as_strategy(generation_mode=mode), aim=st.booleans()
                )
                @hypothesis.settings(
                    max_examples=EXAMPLES,
                    deadline=None,
                    database=None,
                    derandomize=True,
                    phases=[Phase.explicit, Phase.generate],
                    suppress_health_check=list(HealthCheck),
                )
                def check(case: Any, aim: bool) -> None:
                    extra = {}
                    if aim and case.path_parameters:
                        for name in case.path_parameters:
                            if name in known:
                                case.path_parameters[name] = known[name]
                        if case.method == "PATCH":
                            extra["If-Match"] = "*"
                    case.validate_response(send(case, extra), checks=CHECKS)

                try:
                    check()
                except hypothesis.errors.Unsatisfiable:
                    continue  # nothing to negate: the operation takes no input
                except Exception as exc:  # collect every operation's failure, then report
                    failures.append(f"{operation.label} [{mode.value}]: {exc}")

    await asyncio.to_thread(fuzz)
    assert not failures, "\n\n".join(failures)
