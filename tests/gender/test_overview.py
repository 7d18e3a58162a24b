"""GET /api/v1/gender/reports/overview: every key listed, counted in SQL, by area in either
geography, by year and as of a day, only what the caller may read."""

from __future__ import annotations

from typing import Any

import httpx

from mtqg_shared.types import today_vn
from tests.gender.helpers import (
    API,
    ELSEWHERE,
    NEW_SA_PA,
    NEW_TA_VAN,
    OLD_HAM_RONG,
    OLD_TA_VAN,
    SA_PA,
    admin,
    assert_problem,
    create_activity,
    create_material,
    create_model,
    fields_of,
    spend,
    viewer,
)

OVERVIEW = f"{API}/reports/overview"
NO_CASES = {
    "by_kind": {
        "domestic_violence": 0,
        "child_marriage": 0,
        "human_trafficking": 0,
        "abuse": 0,
        "other": 0,
    },
    "child_marriages_prevented": 0,
}


async def report(
    client: httpx.AsyncClient, headers: dict[str, str] | None = None, **params: Any
) -> dict[str, Any]:
    answer = await client.get(OVERVIEW, params=params, headers=headers or admin())
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


async def test_an_empty_area_lists_every_key(client: httpx.AsyncClient) -> None:
    body = await report(client, area_code=NEW_SA_PA, year=2025)
    assert body["area"] == {"code": NEW_SA_PA, "name": "Phường Sa Pa"}
    assert (body["year"], body["spent_vnd"]) == (2025, 0)
    assert set(body["models"]) == {
        "communication_team",
        "trusted_address",
        "change_leader_club",
        "livelihood_group",
        "other",
    }
    assert all(
        m == {"count": 0, "members": 0, "members_female": 0} for m in body["models"].values()
    )
    assert body["activities"]["by_language"] == {"vi": 0, "dao": 0, "hmn": 0}
    assert len(body["activities"]["by_topic"]) == 7
    assert body["materials"] == {"count": 0, "by_language": {"vi": 0, "dao": 0, "hmn": 0}}
    assert body["cases"] == NO_CASES
    assert body["as_of"] == today_vn().isoformat()


async def test_counts_by_year_area_and_day(client: httpx.AsyncClient) -> None:
    await create_model(client, members=10, members_female=7, established_on="2024-02-01")
    await create_model(
        client, kind="trusted_address", members=4, members_female=4, established_on="2025-10-01"
    )
    await create_activity(client, participants=50, participants_female=30)
    await create_activity(
        client, languages=["vi", "dao", "hmn"], topics=["gender_equality"], held_on="2025-10-05"
    )
    # Given in 2025-01 (old Tả Van, in old Sa Pa town), in 2024.
    await create_activity(
        client,
        commune_code=OLD_TA_VAN,
        held_on="2024-06-01",
        languages=["vi", "dao"],
        participants=20,
        participants_female=12,
    )
    await create_material(client, commune_code=NEW_TA_VAN)
    await create_material(client, commune_code=OLD_HAM_RONG, published_on="2024-03-01")
    entry = await spend(client, commune_code=NEW_TA_VAN, amount_vnd=45_000_000, on="2025-09-30")
    await spend(client, commune_code=NEW_TA_VAN, amount_vnd=7, on="2025-10-01")
    reversal = await client.post(
        f"{API}/spending", json={"reverses": entry["id"], "on": "2026-01-05"}, headers=admin()
    )
    assert reversal.status_code == 201, reversal.text
    await create_activity(client, commune_code=ELSEWHERE, participants=999)

    y2025 = await report(client, area_code=NEW_TA_VAN, year=2025)
    assert y2025["models"]["communication_team"] == {
        "count": 1,
        "members": 10,
        "members_female": 7,
    }
    assert y2025["models"]["trusted_address"]["count"] == 1
    activities = y2025["activities"]
    assert (activities["count"], activities["participants"], activities["participants_female"]) == (
        2,
        135,
        90,
    )
    assert activities["by_language"] == {"vi": 2, "dao": 1, "hmn": 2}
    assert activities["by_topic"]["domestic_violence"] == 1
    assert activities["by_topic"]["gender_equality"] == 1
    assert y2025["materials"] == {"count": 1, "by_language": {"vi": 1, "dao": 0, "hmn": 1}}
    # The reversal counts on its own date, in 2026.
    assert y2025["spent_vnd"] == 45_000_007
    assert (await report(client, area_code=NEW_TA_VAN, year=2026))["spent_vnd"] == -45_000_000
    assert (await report(client, area_code=NEW_TA_VAN))["spent_vnd"] == 7

    # Models established by the end of 2024 only; 2024's activities only.
    y2024 = await report(client, area_code=NEW_TA_VAN, year=2024)
    assert y2024["models"]["communication_team"]["count"] == 1
    assert y2024["models"]["trusted_address"]["count"] == 0
    assert y2024["activities"]["count"] == 1

    # The old town counts only what was given in the old geography inside it.
    old_town = await report(client, area_code=SA_PA)
    assert old_town["area"]["code"] == SA_PA
    assert old_town["activities"]["count"] == 1
    assert old_town["activities"]["by_language"] == {"vi": 1, "dao": 1, "hmn": 0}
    assert old_town["materials"]["count"] == 1
    old_commune = await report(client, area_code=OLD_TA_VAN, geography="2025-01")
    assert old_commune["activities"]["participants"] == 20

    # As of a day: what was dated on or before it.
    early = await report(client, area_code=NEW_TA_VAN, year=2025, as_of="2025-09-30")
    assert early["as_of"] == "2025-09-30"
    assert early["activities"]["count"] == 1
    assert early["spent_vnd"] == 45_000_000
    assert early["models"]["trusted_address"]["count"] == 0

    # The province: everything, the far commune's activity too.
    province = await report(client, year=2025)
    assert province["activities"]["count"] == 3
    assert province["activities"]["participants"] == 135 + 999


async def test_a_reader_counts_only_its_areas(client: httpx.AsyncClient) -> None:
    await create_activity(client)
    await create_activity(client, commune_code=ELSEWHERE)
    mine = await report(client, viewer(NEW_TA_VAN))
    assert (mine["area"]["code"], mine["activities"]["count"]) == ("15", 1)
    assert_problem(
        await client.get(OVERVIEW, params={"area_code": ELSEWHERE}, headers=viewer(NEW_TA_VAN)),
        404,
        "not-found",
    )
    assert_problem(await client.get(OVERVIEW), 401, "unauthorized")


async def test_bad_queries_are_422(client: httpx.AsyncClient) -> None:
    cases: list[tuple[dict[str, str | int], str]] = [
        ({"as_of": "2999-01-01"}, "query.as_of"),
        ({"as_of": "31/12/2025"}, "query.as_of"),
        ({"year": 1800}, "query.year"),
        ({"area_code": "1"}, "query.area_code"),
        ({"area_code": "99999"}, "query.area_code"),
        ({"group_by": "commune"}, "query.group_by"),
    ]
    for params, field in cases:
        answer = await client.get(OVERVIEW, params=params, headers=admin())
        assert field in fields_of(assert_problem(answer, 422, "validation")), params
