"""The housing change feed (API.md section 8): what a follower reads after each kind of write,
who reads which changes, and the feed's cursors."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx
from sqlalchemy import func, select, update

from mtqg_shared.auth import Principal
from mtqg_shared.kit.changes import encode_position
from mtqg_shared.types import utcnow
from tests.feed import follow, head, latest
from tests.housing.helpers import (
    API,
    ELSEWHERE,
    NEW_SI_MA_CAI,
    admin,
    assert_problem,
    client_token,
    create_case,
    days_ago,
    fund,
    officer,
)

SERVICE = "housing"


async def test_a_case_and_its_funding_reach_the_feed_as_their_reads_answer(
    client: httpx.AsyncClient,
) -> None:
    start = await head(client, SERVICE, admin())
    case = await create_case(client, registered_on=days_ago(10))
    entry = await fund(client, case["id"], "central_budget", 40_000_000, days_ago(1))
    items, _ = await follow(client, SERVICE, admin(), start)
    read_case = (await client.get(f"{API}/cases/{case['id']}", headers=admin())).json()
    read_entry = (
        await client.get(f"{API}/cases/{case['id']}/funding/{entry['id']}", headers=admin())
    ).json()
    changes = latest(items)
    assert changes.keys() == {("cases", case["id"]), ("funding", entry["id"])}
    assert all(item["action"] == "upsert" for item in items)
    # The entry changed what the case answers (its totals): the case's change shows them.
    assert read_case["funding_vnd"]["central_budget"] == 40_000_000
    assert changes[("cases", case["id"])]["record"] == read_case
    assert changes[("funding", entry["id"])]["record"] == read_entry
    seqs = [item["seq"] for item in items]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)


async def test_changes_outside_the_callers_areas_are_never_shown(
    client: httpx.AsyncClient,
) -> None:
    far = officer(ELSEWHERE, subject="far")
    _, cursor = await follow(client, SERVICE, far)
    case = await create_case(client, registered_on=days_ago(10))
    await fund(client, case["id"], "local_budget", 5_000_000, days_ago(1))
    items, _ = await follow(client, SERVICE, far, cursor)
    assert items == []


async def test_a_feed_from_its_start_holds_every_record_once_at_its_latest(
    client: httpx.AsyncClient,
) -> None:
    case = await create_case(client, registered_on=days_ago(10))
    for n in range(3):
        answer = await client.patch(
            f"{API}/cases/{case['id']}",
            json={"head_of_household": f"Giàng Seo Páo {n}"},
            headers=admin() | {"If-Match": f'"{n + 1}"'},
        )
        assert answer.status_code == 200, answer.text
    items, _ = await follow(client, SERVICE, admin(), limit=1000)
    mine = [i for i in items if i["id"] == case["id"]]
    # One page holds the record once, as it stands now.
    assert len(mine) == 1
    assert mine[0]["record"]["head_of_household"] == "Giàng Seo Páo 2"
    assert mine[0]["record"]["version"] == 4


async def test_a_system_client_reads_the_feed_with_its_read_scope(
    client: httpx.AsyncClient,
) -> None:
    case = await create_case(client, registered_on=days_ago(10))
    items, _ = await follow(client, SERVICE, client_token("housing:read"))
    assert ("cases", case["id"]) in latest(items)
    answer = await client.get(f"{API}/changes", headers=client_token("labour:read"))
    assert_problem(answer, 403, "forbidden")


async def test_a_cursor_is_bound_to_the_callers_areas_roles_and_scopes(
    client: httpx.AsyncClient,
) -> None:
    _, cursor = await follow(client, SERVICE, officer(NEW_SI_MA_CAI))
    for changed in (officer(ELSEWHERE), admin(), officer(NEW_SI_MA_CAI, subject="other")):
        answer = await client.get(f"{API}/changes", params={"cursor": cursor}, headers=changed)
        assert_problem(answer, 410, "cursor-reset")
    same = await client.get(
        f"{API}/changes", params={"cursor": cursor}, headers=officer(NEW_SI_MA_CAI)
    )
    assert same.status_code == 200, same.text
    _, scoped = await follow(client, SERVICE, client_token("housing:read"))
    wider = client_token("housing:read", "housing:write")
    answer = await client.get(f"{API}/changes", params={"cursor": scoped}, headers=wider)
    assert_problem(answer, 410, "cursor-reset")


async def test_a_cursor_older_than_the_retention_has_expired(
    service_client: Any,
) -> None:
    async with service_client(SERVICE, changes_retention_days=30) as client:
        principal = Principal.build("admin", "person", roles=["admin"], areas=["15"])
        old = encode_position(0, principal, utcnow() - dt.timedelta(days=31))
        answer = await client.get(f"{API}/changes", params={"cursor": old}, headers=admin())
        problem = assert_problem(answer, 410, "cursor-expired")
        assert "30 days" in problem["detail"]
        fresh = encode_position(0, principal, utcnow() - dt.timedelta(days=29))
        answer = await client.get(f"{API}/changes", params={"cursor": fresh}, headers=admin())
        assert answer.status_code == 200, answer.text


async def test_superseded_changes_expire_and_each_records_latest_stays(
    client: httpx.AsyncClient,
) -> None:
    db = client.app.state.db  # type: ignore[attr-defined]
    table = client.app.state.feed.table  # type: ignore[attr-defined]
    first = await create_case(client, registered_on=days_ago(10))
    second = await create_case(client, registered_on=days_ago(10))
    answer = await client.patch(
        f"{API}/cases/{first['id']}",
        json={"notes": "checked"},
        headers=admin() | {"If-Match": '"1"'},
    )
    assert answer.status_code == 200, answer.text

    async def rows_of(case_id: str) -> int:
        async with db.session() as session:
            stmt = select(func.count()).where(table.c.entity_id == case_id)
            return int((await session.execute(stmt)).scalar_one())

    assert await rows_of(first["id"]) == 2
    async with db.session() as session:
        long_ago = utcnow() - dt.timedelta(days=91)
        await session.execute(
            update(table)
            .where(table.c.entity_id == first["id"], table.c.superseded_at.is_not(None))
            .values(superseded_at=long_ago)
        )
        await session.commit()
    await create_case(client, registered_on=days_ago(10))  # any later write purges
    assert await rows_of(first["id"]) == 1
    assert await rows_of(second["id"]) == 1


async def test_head_is_where_only_later_changes_follow(client: httpx.AsyncClient) -> None:
    await create_case(client, registered_on=days_ago(10))
    now = await head(client, SERVICE, admin())
    assert (await follow(client, SERVICE, admin(), now))[0] == []
    later = await create_case(client, registered_on=days_ago(10))
    items, _ = await follow(client, SERVICE, admin(), now)
    assert [i["id"] for i in items] == [later["id"]]


async def test_refusals(client: httpx.AsyncClient) -> None:
    for path in ("changes", "changes/head"):
        assert_problem(await client.get(f"{API}/{path}"), 401, "unauthorized")
    for limit in ("0", "1001", "x"):
        answer = await client.get(f"{API}/changes", params={"limit": limit}, headers=admin())
        assert_problem(answer, 422, "validation")
    for cursor in ("not-a-cursor", "eyJzIjotMSwidCI6MSwiYiI6IngifQ", "W10"):
        answer = await client.get(f"{API}/changes", params={"cursor": cursor}, headers=admin())
        assert_problem(answer, 422, "validation")
    answer = await client.get(f"{API}/changes", params={"since": "1"}, headers=admin())
    assert_problem(answer, 422, "validation")


async def test_a_norm_set_reaches_every_readers_feed(client: httpx.AsyncClient) -> None:
    far = officer(ELSEWHERE, subject="far")
    _, cursor = await follow(client, SERVICE, far)
    answer = await client.put(
        f"{API}/norms/poor/new_build",
        json={"valid_from": days_ago(3), "amount_vnd": 62_000_000, "basis": "QĐ 1/2026"},
        headers=admin(),
    )
    assert answer.status_code == 201, answer.text
    items, _ = await follow(client, SERVICE, far, cursor)
    (change,) = [i for i in items if i["id"] == answer.json()["id"]]
    assert change["resource"] == "norms"
    assert change["record"] == answer.json()
    # The norm it follows now ends the day before: its change says so.
    (ended,) = [i for i in items if i["id"] != answer.json()["id"]]
    assert ended["record"]["valid_until"] == days_ago(4)
    assert (ended["record"]["beneficiary_group"], ended["record"]["support_type"]) == (
        "poor",
        "new_build",
    )
    read = await client.get(f"{API}/norms/{answer.json()['id']}", headers=far)
    assert read.json() == answer.json()
    assert read.headers["ETag"] == '"1"'


async def test_a_new_norm_changes_the_cases_it_now_binds_and_only_those(
    client: httpx.AsyncClient,
) -> None:
    bound = await create_case(client, registered_on=days_ago(1))
    earlier = await create_case(client, registered_on=days_ago(10))
    other = await create_case(client, registered_on=days_ago(1), support_type="repair")
    _, cursor = await follow(client, SERVICE, admin())
    norm = {"valid_from": days_ago(3), "amount_vnd": 62_000_000, "basis": "QĐ 1/2026"}
    answer = await client.put(f"{API}/norms/poor/new_build", json=norm, headers=admin())
    assert answer.status_code == 201, answer.text
    items, cursor = await follow(client, SERVICE, admin(), cursor)
    cases = {item["id"]: item for item in items if item["resource"] == "cases"}
    assert bound["id"] in cases and not {earlier["id"], other["id"]} & cases.keys()
    assert cases[bound["id"]]["record"]["norm_vnd"] == 62_000_000
    read = await client.get(f"{API}/cases/{bound['id']}", headers=admin())
    assert cases[bound["id"]]["record"] == read.json()

    # A new amount for the same norm changes the same cases again; a new basis alone does not.
    again = await client.put(
        f"{API}/norms/poor/new_build",
        json=norm | {"amount_vnd": 64_000_000},
        headers=admin() | {"If-Match": '"1"'},
    )
    assert again.status_code == 200, again.text
    items, cursor = await follow(client, SERVICE, admin(), cursor)
    cases = {item["id"]: item for item in items if item["resource"] == "cases"}
    assert bound["id"] in cases and cases[bound["id"]]["record"]["norm_vnd"] == 64_000_000
    basis = await client.put(
        f"{API}/norms/poor/new_build",
        json=norm | {"amount_vnd": 64_000_000, "basis": "QĐ 2/2026"},
        headers=admin() | {"If-Match": '"2"'},
    )
    assert basis.status_code == 200, basis.text
    items, _ = await follow(client, SERVICE, admin(), cursor)
    assert [item["resource"] for item in items] == ["norms"]
