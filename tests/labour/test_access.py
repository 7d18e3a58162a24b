"""Every labour route needs a token, the right role or scope, and hides what lies outside the
caller's areas: checked over the app's own route table, so a new route cannot slip by."""

from __future__ import annotations

import re
import uuid

import httpx

from tests.labour.helpers import (
    AWAY_ADMIN,
    CLIENT_READ,
    HOUSING_CLIENT,
    VIEWER,
    P,
    assert_problem,
)

VALUES = {"commune_code": "02782", "year": "2024"}
# The contract's reference data, which needs no token (tests/test_vocabulary.py calls it so).
PUBLIC = {f"{P}/vocabulary"}


def routes(client: httpx.AsyncClient) -> list[tuple[str, str]]:
    """(method, path) of every documented labour operation but the public ones, path
    parameters filled in."""
    found = []
    for template, operations in client.app.openapi()["paths"].items():  # type: ignore[attr-defined]
        if not template.startswith(P) or template in PUBLIC:
            continue
        path = re.sub(r"\{(\w+)\}", lambda m: VALUES.get(m.group(1), str(uuid.uuid4())), template)
        found += [(method.upper(), path) for method in sorted(operations)]
    return found


async def test_the_route_table_is_what_the_contract_names(client: httpx.AsyncClient) -> None:
    paths = {(m, re.sub(r"[0-9a-f-]{36}", "{id}", p)) for m, p in routes(client)}
    assert paths >= {
        ("POST", f"{P}/workers"),
        ("GET", f"{P}/workers"),
        ("GET", f"{P}/workers/{{id}}"),
        ("PATCH", f"{P}/workers/{{id}}"),
        ("POST", f"{P}/partners"),
        ("GET", f"{P}/partners"),
        ("POST", f"{P}/outreach-events"),
        ("GET", f"{P}/outreach-events"),
        ("POST", f"{P}/placements"),
        ("GET", f"{P}/placements"),
        ("POST", f"{P}/placements/{{id}}/transitions"),
        ("GET", f"{P}/placements/{{id}}/transitions"),
        ("POST", f"{P}/placements/{{id}}/remittances"),
        ("GET", f"{P}/placements/{{id}}/remittances"),
        ("PUT", f"{P}/commune-profiles/02782/2024"),
        ("GET", f"{P}/commune-profiles"),
        ("GET", f"{P}/reports/overview"),
        ("GET", f"{P}/audit"),
    }


async def test_every_route_needs_a_token(client: httpx.AsyncClient) -> None:
    for method, path in routes(client):
        answer = await client.request(method, path, json={})
        assert_problem(answer, 401, "unauthorized")
        assert answer.headers["www-authenticate"].startswith("Bearer"), path


async def test_clients_of_other_services_get_nothing(client: httpx.AsyncClient) -> None:
    for method, path in routes(client):
        answer = await client.request(method, path, json={}, headers=HOUSING_CLIENT)
        assert_problem(answer, 403, "forbidden")


async def test_readers_cannot_write(client: httpx.AsyncClient) -> None:
    for method, path in routes(client):
        if method == "GET":
            continue
        for headers in (VIEWER, CLIENT_READ):
            answer = await client.request(method, path, json={}, headers=headers)
            assert_problem(answer, 403, "forbidden")


async def test_unknown_records_are_404_even_to_admins(client: httpx.AsyncClient) -> None:
    for method, path in routes(client):
        if method != "GET" or not re.search(r"[0-9a-f-]{36}", path):
            continue
        answer = await client.get(path, headers=AWAY_ADMIN)
        assert_problem(answer, 404, "not-found")
