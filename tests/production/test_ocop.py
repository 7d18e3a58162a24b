"""OCOP products through the API: stars and bands, certificate terms, the expiry filter."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import httpx
import pytest

from mtqg_shared.types import today_vn
from tests.production.helpers import (
    API,
    BAO_YEN,
    ELSEWHERE,
    NEW_BAO_YEN,
    admin,
    assert_problem,
    audit_of,
    create_ocop,
    days_ago,
    fields_of,
    ocop_body,
    officer,
    system,
    viewer,
)

OCOP = f"{API}/ocop-products"


async def test_a_certificate_runs_36_months_by_default(client: httpx.AsyncClient) -> None:
    product = await create_ocop(client, certified_on="2024-02-29", commune_code="02947")
    assert product["expires_on"] == "2027-02-28"
    assert product["geography"] == "2025-01"  # certified before the reorganisation
    assert (product["legacy_commune_code"], product["legacy_district_code"]) == ("02947", BAO_YEN)
    given = await create_ocop(client, expires_on="2026-01-01")
    assert given["expires_on"] == "2026-01-01"
    one = await client.get(f"{OCOP}/{given['id']}", headers=viewer())
    assert (one.json(), one.headers["etag"]) == (given, '"1"')


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"stars": 4, "score": 90}, "body.score"),
        ({"stars": 5, "score": 89}, "body.score"),
        ({"stars": 1, "score": 30}, "body.score"),
        ({"stars": 6, "score": None}, "body.stars"),
        ({"stars": 0, "score": None}, "body.stars"),
        ({"score": 101}, "body.score"),
        ({"score": 75.5}, "body.score"),
        ({"certified_on": "2999-01-01"}, "body.certified_on"),
        ({"expires_on": "2025-09-15"}, "body.expires_on"),
        ({"category": ""}, "body.category"),
        ({"producer": None}, "body.producer"),
    ],
)
async def test_broken_rules_are_422(
    client: httpx.AsyncClient, fields: dict[str, Any], field: str
) -> None:
    answer = await client.post(OCOP, json=ocop_body(**fields), headers=admin())
    assert field in fields_of(assert_problem(answer, 422, "validation"))


async def test_recertification_and_star_changes(client: httpx.AsyncClient) -> None:
    product = await create_ocop(client, certified_on="2025-09-15")
    path = f"{OCOP}/{product['id']}"
    upgrade = await client.patch(path, json={"stars": 5}, headers=admin() | {"If-Match": '"1"'})
    assert fields_of(assert_problem(upgrade, 422, "validation")) == ["body.score"]
    upgrade = await client.patch(
        path, json={"stars": 5, "score": 92}, headers=admin() | {"If-Match": '"1"'}
    )
    assert upgrade.status_code == 200, upgrade.text
    renewed = await client.patch(
        path, json={"certified_on": days_ago(10)}, headers=admin() | {"If-Match": '"2"'}
    )
    assert renewed.status_code == 200, renewed.text
    expected = today_vn() - dt.timedelta(days=10)
    assert renewed.json()["expires_on"] > expected.replace(year=expected.year + 2).isoformat()
    trail = await audit_of(client, "ocop_product", product["id"])
    assert [row["action"] for row in trail] == ["update", "update", "create"]
    assert trail[1]["changes"] == {"stars": [4, 5], "score": [75, 92]}
    assert_problem(
        await client.patch(path, json={"stars": 3}, headers=admin() | {"If-Match": '"2"'}),
        412,
        "precondition-failed",
    )
    assert_problem(
        await client.patch(path, json={"stars": 3}, headers=admin()), 428, "precondition-required"
    )
    assert_problem(
        await client.patch(
            path, json={"stars": 3}, headers=officer(ELSEWHERE) | {"If-Match": '"3"'}
        ),
        404,
        "not-found",
    )


async def test_expiring_filter_and_others(client: httpx.AsyncClient) -> None:
    soon = await create_ocop(client, certified_on=days_ago(1000), stars=3, score=None)
    later = await create_ocop(client, certified_on=days_ago(10), category="đồ uống")
    far = await create_ocop(client, commune_code=ELSEWHERE, certified_on=days_ago(5), score=None)

    async def ids(headers: dict[str, str] | None = None, **params: str | int) -> list[str]:
        answer = await client.get(OCOP, params=params, headers=headers or admin())
        assert answer.status_code == 200, answer.text
        return [p["id"] for p in answer.json()["items"]]

    assert await ids(expiring_before=days_ago(-120)) == [soon["id"]]
    assert await ids(expiring_before=days_ago(-2000)) == [far["id"], later["id"], soon["id"]]
    assert await ids(stars=3) == [soon["id"]]
    assert await ids(category="đồ uống") == [later["id"]]
    assert await ids(area_code=NEW_BAO_YEN) == [later["id"], soon["id"]]
    assert await ids(viewer(ELSEWHERE)) == [far["id"]]
    assert_problem(await client.get(OCOP, params={"stars": 6}, headers=admin()), 422, "validation")
    assert_problem(
        await client.get(OCOP, params={"expiring_before": "soon"}, headers=admin()),
        422,
        "validation",
    )


async def test_access_rules(client: httpx.AsyncClient) -> None:
    assert_problem(await client.post(OCOP, json=ocop_body()), 401, "unauthorized")
    assert_problem(await client.post(OCOP, json=ocop_body(), headers=viewer()), 403, "forbidden")
    assert_problem(
        await client.post(OCOP, json=ocop_body(), headers=system("production:read")),
        403,
        "forbidden",
    )
    outside = await client.post(OCOP, json=ocop_body(), headers=officer(ELSEWHERE))
    assert fields_of(assert_problem(outside, 422, "validation")) == ["body.commune_code"]
    product_id = str(uuid.uuid4())
    headers = admin() | {"Idempotency-Key": "o-1"}
    first = await client.post(OCOP, json=ocop_body(id=product_id), headers=headers)
    again = await client.post(OCOP, json=ocop_body(id=product_id), headers=headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.headers["idempotent-replayed"] == "true"
    assert_problem(
        await client.post(OCOP, json=ocop_body(id=product_id), headers=admin()), 409, "duplicate"
    )
    assert_problem(
        await client.get(f"{OCOP}/{product_id}", headers=viewer(ELSEWHERE)), 404, "not-found"
    )
