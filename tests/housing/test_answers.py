"""What every housing write answers alike, now that each resource is built from the kit: a
201 names the new record in `Location` (a URL that reads it) with its `ETag`; a stale
If-Match is 412 carrying the record's current ETag; the OpenAPI document says which header
each kind of write reads."""

from __future__ import annotations

from typing import Any

import httpx

from tests.housing.helpers import (
    API,
    admin,
    assert_problem,
    create_case,
    days_ago,
    viewer,
)


async def _created(answer: httpx.Response, client: httpx.AsyncClient) -> dict[str, Any]:
    """A 201 whose Location reads back the same record with the same ETag."""
    assert answer.status_code == 201, answer.text
    body = dict(answer.json())
    location = answer.headers["location"]
    assert location.endswith(f"/{body['id']}") or location.startswith(f"{API}/norms/")
    assert answer.headers["etag"] == f'"{body["version"]}"'
    if not location.startswith(f"{API}/norms/"):
        read = await client.get(location, headers=viewer())
        assert read.status_code == 200, read.text
        assert read.json() == body
        assert read.headers["etag"] == answer.headers["etag"]
    return body


async def test_every_201_carries_location_and_etag(client: httpx.AsyncClient) -> None:
    case = await create_case(client)
    step = await _created(
        await client.post(
            f"{API}/cases/{case['id']}/transitions",
            json={"to": "surveyed", "on": days_ago(0)},
            headers=admin(),
        ),
        client,
    )
    assert (step["seq"], step["from"], step["to"]) == (2, "registered", "surveyed")
    assert step["case_id"] == case["id"]
    await _created(
        await client.post(
            f"{API}/cases/{case['id']}/funding",
            json={"source": "loan", "amount_vnd": 5_000_000, "on": days_ago(0)},
            headers=admin(),
        ),
        client,
    )
    await _created(
        await client.post(
            f"{API}/plans",
            json={
                "area_code": "084",
                "title": "Si Ma Cai",
                "target_new_build": 3,
                "target_repair": 2,
                "deadline": "2030-12-31",
                "milestones": [{"due_on": "2030-06-30", "completed_target": 2}],
            },
            headers=admin(),
        ),
        client,
    )
    await _created(
        await client.post(
            f"{API}/obstacles",
            json={
                "case_id": case["id"],
                "title": "Road closed",
                "description": "A landslide",
                "severity": "high",
                "reported_on": days_ago(0),
            },
            headers=admin(),
        ),
        client,
    )
    norm = await client.put(
        f"{API}/norms/other/repair",
        json={"amount_vnd": 31_000_000, "valid_from": "2031-01-01"},
        headers=admin(),
    )
    await _created(norm, client)
    assert norm.headers["location"] == f"{API}/norms/other/repair"


async def test_a_step_of_another_case_is_not_found(client: httpx.AsyncClient) -> None:
    one, other = await create_case(client), await create_case(client)
    steps = (await client.get(f"{API}/cases/{one['id']}/transitions", headers=admin())).json()
    first = steps["items"][0]["id"]
    assert_problem(
        await client.get(f"{API}/cases/{other['id']}/transitions/{first}", headers=admin()),
        404,
        "not-found",
    )
    # Outside the caller's areas, the step is as missing as its case.
    assert_problem(
        await client.get(f"{API}/cases/{one['id']}/transitions/{first}", headers=viewer("02647")),
        404,
        "not-found",
    )


async def test_a_stale_if_match_answers_the_current_etag(client: httpx.AsyncClient) -> None:
    case = await create_case(client)
    url = f"{API}/cases/{case['id']}"
    first = await client.patch(
        url, json={"village": "Sín Chải"}, headers=admin() | {"If-Match": '"1"'}
    )
    assert first.status_code == 200 and first.headers["etag"] == '"2"'
    stale = await client.patch(
        url, json={"village": "Lử Thẩn"}, headers=admin() | {"If-Match": '"1"'}
    )
    assert_problem(stale, 412, "precondition-failed")
    assert stale.headers["etag"] == '"2"'
    # Nothing was written by the refused change.
    assert (await client.get(url, headers=admin())).json()["village"] == "Sín Chải"


async def test_the_document_names_the_headers_each_write_reads(
    client: httpx.AsyncClient,
) -> None:
    paths = (await client.get("/openapi.json")).json()["paths"]

    def headers(path: str, method: str) -> dict[str, bool]:
        parameters = paths[f"{API}{path}"][method].get("parameters", [])
        return {p["name"]: p.get("required", False) for p in parameters if p["in"] == "header"}

    for path in ("/cases", "/cases/{case_id}/transitions", "/cases/{case_id}/funding", "/plans"):
        assert headers(path, "post") == {"Idempotency-Key": False}, path
    for path in ("/cases/{case_id}", "/plans/{plan_id}", "/obstacles/{obstacle_id}"):
        assert headers(path, "patch") == {"If-Match": True, "Idempotency-Key": False}, path
        assert "428" in paths[f"{API}{path}"]["patch"]["responses"]
    # A PUT replaces by key: If-Match is optional there.
    assert headers("/norms/{beneficiary_group}/{support_type}", "put") == {
        "If-Match": False,
        "Idempotency-Key": False,
    }
