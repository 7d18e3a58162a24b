"""What every digital write answers: each 201 names the new record (Location) and its version
(ETag), where it is read again (304 on the same tag); a stale If-Match is 412 with the current
ETag; errors are worded in the caller's language; every collection refuses strangers and
bodies that are not JSON."""

from __future__ import annotations

import httpx

from tests.digital.helpers import (
    API,
    admin,
    assert_problem,
    asset_body,
    seller_body,
    spending_body,
    team_body,
    village_body,
)

BODIES = {
    "assets": asset_body(),
    "teams": team_body(),
    "smart-villages": village_body(),
    "sellers": seller_body(),
    "spending": spending_body(),
}


async def test_every_create_names_its_record(client: httpx.AsyncClient) -> None:
    for path, body in BODIES.items():
        made = await client.post(f"{API}/{path}", json=body, headers=admin())
        assert made.status_code == 201, made.text
        assert made.headers["location"] == f"{API}/{path}/{made.json()['id']}"
        assert made.headers["etag"] == '"1"'
        read = await client.get(made.headers["location"], headers=admin())
        assert (read.json(), read.headers["etag"]) == (made.json(), '"1"')
        again = await client.get(
            made.headers["location"], headers=admin() | {"If-None-Match": '"1"'}
        )
        assert (again.status_code, again.content) == (304, b"")


async def test_a_stale_change_names_the_current_version(client: httpx.AsyncClient) -> None:
    made = (await client.post(f"{API}/teams", json=team_body(), headers=admin())).json()
    path = f"{API}/teams/{made['id']}"
    first = await client.patch(path, json={"members": 6}, headers=admin() | {"If-Match": '"1"'})
    assert first.status_code == 200, first.text
    stale = await client.patch(path, json={"members": 7}, headers=admin() | {"If-Match": '"1"'})
    assert_problem(stale, 412, "precondition-failed")
    assert stale.headers["etag"] == '"2"'


async def test_a_rule_is_worded_in_vietnamese_by_default(client: httpx.AsyncClient) -> None:
    headers = {k: v for k, v in admin().items() if k.lower() != "accept-language"}
    client.headers.pop("accept-language", None)
    answer = await client.post(
        f"{API}/assets", json=asset_body(kind="computer", connected_to_ioc=True), headers=headers
    )
    problem = assert_problem(answer, 422, "validation")
    assert answer.headers["content-language"] == "vi"
    (error,) = problem["errors"]
    assert (error["field"], error["code"]) == ("body.connected_to_ioc", "invalid")
    assert error["message"].startswith("chỉ camera")
    put = await client.put(
        f"{API}/commune-profiles/02923/2025",
        json={"officials": 20, "officials_it_certified": 22},
        headers=headers,
    )
    (over,) = assert_problem(put, 422, "validation")["errors"]
    assert (over["field"], over["code"]) == ("body.officials_it_certified", "over_cap")


async def test_every_collection_refuses_strangers_and_bodies_that_are_not_json(
    client: httpx.AsyncClient,
) -> None:
    for path in BODIES:
        url = f"{API}/{path}"
        assert_problem(await client.get(url), 401, "unauthorized")
        assert_problem(await client.post(url, json={}), 401, "unauthorized")
        not_json = await client.post(
            url, content=b"a=1", headers=admin() | {"Content-Type": "text/plain"}
        )
        assert_problem(not_json, 415, "unsupported-media-type")
        broken = await client.post(
            url, content=b"{", headers=admin() | {"Content-Type": "application/json"}
        )
        assert_problem(broken, 400, "bad-request")
        assert_problem(await client.get(f"{url}/", headers=admin()), 404, "not-found")
        assert_problem(await client.get(f"{url}/not-a-uuid", headers=admin()), 422, "validation")
    profiles = f"{API}/commune-profiles/02923/2025"
    not_json = await client.put(
        profiles, content=b"a=1", headers=admin() | {"Content-Type": "text/plain"}
    )
    assert_problem(not_json, 415, "unsupported-media-type")
