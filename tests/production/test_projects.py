"""Linkage projects through the API: placing, the support cap, edits, lists, errors."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from production.config import Settings
from tests.production.helpers import (
    API,
    BAO_YEN,
    ELSEWHERE,
    NEW_BAO_HA,
    NEW_NGHIA_DO,
    OLD_KIM_SON,
    OLD_NGHIA_DO,
    OLD_VINH_YEN,
    admin,
    approved_project,
    assert_problem,
    audit_of,
    create_project,
    days_ago,
    fields_of,
    officer,
    project_body,
    step,
    system,
    viewer,
)

PROJECTS = f"{API}/projects"


async def test_propose_and_read_a_project(client: httpx.AsyncClient) -> None:
    answer = await client.post(
        PROJECTS, json=project_body(code="BY-2025-01"), headers=officer(NEW_NGHIA_DO)
    )
    assert answer.status_code == 201, answer.text
    project = answer.json()
    assert answer.headers["etag"] == '"1"'
    assert project["status"] == "proposed"
    assert project["proposed_on"] == days_ago(0)
    assert project["disbursed_vnd"] == 0
    assert project["commune_codes"] == [NEW_NGHIA_DO]
    assert project["geography"] == "2025-07"
    assert project["legacy_commune_codes"] is None
    assert project["suspended_from"] is None
    one = await client.get(f"{PROJECTS}/{project['id']}", headers=viewer(NEW_NGHIA_DO))
    assert one.json() == project
    assert one.headers["etag"] == '"1"'
    trail = await audit_of(client, "project", project["id"])
    assert trail[0]["action"] == "create"
    assert trail[0]["changes"]["state_support_vnd"] == [None, 3_000_000_000]


async def test_a_project_in_old_communes_keeps_its_legacy_places(
    client: httpx.AsyncClient,
) -> None:
    project = await create_project(
        client,
        commune_codes=[OLD_NGHIA_DO, OLD_VINH_YEN, OLD_KIM_SON],
        start_on="2022-03-01",
        proposed_on="2022-01-15",
    )
    assert project["geography"] == "2025-01"
    assert project["commune_codes"] == [NEW_NGHIA_DO, NEW_BAO_HA]
    assert project["legacy_commune_codes"] == [OLD_NGHIA_DO, OLD_VINH_YEN, OLD_KIM_SON]
    assert project["legacy_district_codes"] == [BAO_YEN]


async def test_spanning_communes_readable_by_each_writable_by_all(
    client: httpx.AsyncClient,
) -> None:
    project = await create_project(client, commune_codes=[NEW_NGHIA_DO, NEW_BAO_HA])
    path = f"{PROJECTS}/{project['id']}"
    for commune in (NEW_NGHIA_DO, NEW_BAO_HA):
        assert (await client.get(path, headers=viewer(commune))).status_code == 200
    assert_problem(
        await client.patch(
            path, json={"name": "x"}, headers=officer(NEW_NGHIA_DO) | {"If-Match": '"1"'}
        ),
        403,
        "forbidden",
    )
    assert_problem(
        await step(client, project["id"], "approved", headers=approver_of(NEW_NGHIA_DO)),
        403,
        "forbidden",
    )
    assert_problem(await client.get(path, headers=viewer(ELSEWHERE)), 404, "not-found")
    assert_problem(
        await step(client, project["id"], "approved", headers=approver_of(ELSEWHERE)),
        404,
        "not-found",
    )
    both = officer(NEW_NGHIA_DO, NEW_BAO_HA)
    changed = await client.patch(
        path, json={"name": "Chuỗi quế"}, headers=both | {"If-Match": '"1"'}
    )
    assert changed.status_code == 200, changed.text
    # Proposing in communes one does not hold is 422, whatever the others.
    answer = await client.post(
        PROJECTS,
        json=project_body(commune_codes=[NEW_NGHIA_DO, ELSEWHERE]),
        headers=officer(NEW_NGHIA_DO),
    )
    assert fields_of(assert_problem(answer, 422, "validation")) == ["body.commune_codes.1"]


def approver_of(commune: str) -> dict[str, str]:
    from tests import support

    return support.auth(subject="approver", roles=["approver"], areas=[commune])


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"state_support_vnd": 3_500_000_001}, "body.state_support_vnd"),
        ({"state_support_vnd": 3.5e9}, "body.state_support_vnd"),
        ({"total_cost_vnd": "5000000000"}, "body.total_cost_vnd"),
        ({"total_cost_vnd": 10**15 + 1}, "body.total_cost_vnd"),
        ({"total_cost_vnd": -1}, "body.total_cost_vnd"),
        ({"poor_households": 100}, "body.poor_households"),
        ({"households": 1.5}, "body.households"),
        ({"end_on": "2025-07-31"}, "body.end_on"),
        ({"start_on": "01/08/2025"}, "body.start_on"),
        ({"start_on": 20250801}, "body.start_on"),
        ({"proposed_on": "2999-01-01"}, "body.proposed_on"),
        ({"commune_codes": []}, "body.commune_codes"),
        ({"commune_codes": [NEW_NGHIA_DO, NEW_NGHIA_DO]}, "body.commune_codes.1"),
        ({"commune_codes": ["02971"]}, "body.commune_codes.0"),
        ({"lead_entity_type": "ngo"}, "body.lead_entity_type"),
        ({"geography": "2024-01"}, "body.geography"),
        ({"status": "approved"}, "body.status"),
    ],
)
async def test_broken_rules_are_422(
    client: httpx.AsyncClient, fields: dict[str, Any], field: str
) -> None:
    answer = await client.post(PROJECTS, json=project_body(**fields), headers=admin())
    assert field in fields_of(assert_problem(answer, 422, "validation"))


async def test_the_state_share_is_capped_at_the_configured_share(
    client: httpx.AsyncClient,
) -> None:
    exactly = await create_project(
        client, total_cost_vnd=1_000_000_003, state_support_vnd=700_000_002
    )
    assert exactly["state_support_vnd"] == 700_000_002
    over = await client.post(
        PROJECTS,
        json=project_body(total_cost_vnd=1_000_000_003, state_support_vnd=700_000_003),
        headers=admin(),
    )
    assert "body.state_support_vnd" in fields_of(assert_problem(over, 422, "validation"))
    # MTQG_MAX_STATE_SUPPORT_SHARE=0.5
    client.app.state.settings = Settings(max_state_support_share=0.5)  # type: ignore[attr-defined]
    refused = await client.post(
        PROJECTS, json=project_body(total_cost_vnd=100, state_support_vnd=51), headers=admin()
    )
    assert_problem(refused, 422, "validation")
    accepted = await client.post(
        PROJECTS, json=project_body(total_cost_vnd=100, state_support_vnd=50), headers=admin()
    )
    assert accepted.status_code == 201


async def test_roles_scopes_and_tokens(client: httpx.AsyncClient) -> None:
    assert_problem(await client.post(PROJECTS, json=project_body()), 401, "unauthorized")
    assert_problem(
        await client.post(PROJECTS, json=project_body(), headers=viewer()), 403, "forbidden"
    )
    assert_problem(
        await client.post(PROJECTS, json=project_body(), headers=system("production:read")),
        403,
        "forbidden",
    )
    made = await client.post(PROJECTS, json=project_body(), headers=system("production:write"))
    assert made.status_code == 201
    assert (await client.get(PROJECTS, headers=system("production:read"))).status_code == 200


async def test_ids_and_codes_are_unique(client: httpx.AsyncClient) -> None:
    project_id = str(uuid.uuid4())
    await create_project(client, id=project_id, code="BY-01")
    assert_problem(
        await client.post(PROJECTS, json=project_body(id=project_id), headers=admin()),
        409,
        "duplicate",
    )
    taken = await client.post(
        PROJECTS,
        json=project_body(code="BY-01", commune_codes=[ELSEWHERE]),
        headers=officer(ELSEWHERE),
    )
    problem = assert_problem(taken, 409, "duplicate")
    assert project_id not in problem["detail"]
    other = await create_project(client, code="BY-02")
    clash = await client.patch(
        f"{PROJECTS}/{other['id']}", json={"code": "BY-01"}, headers=admin() | {"If-Match": '"1"'}
    )
    assert_problem(clash, 409, "duplicate")


async def test_idempotent_replay_of_a_proposal(client: httpx.AsyncClient) -> None:
    headers = admin() | {"Idempotency-Key": "project-1"}
    first = await client.post(PROJECTS, json=project_body(), headers=headers)
    again = await client.post(PROJECTS, json=project_body(), headers=headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    listed = await client.get(PROJECTS, headers=admin())
    assert [p["id"] for p in listed.json()["items"]] == [first.json()["id"]]
    other = await client.post(PROJECTS, json=project_body(name="khác"), headers=headers)
    assert_problem(other, 422, "idempotency-mismatch")


async def test_money_and_communes_change_only_while_proposed(client: httpx.AsyncClient) -> None:
    project = await create_project(client)
    path = f"{PROJECTS}/{project['id']}"
    changed = await client.patch(
        path,
        json={"state_support_vnd": 3_500_000_000, "commune_codes": [NEW_BAO_HA]},
        headers=admin() | {"If-Match": '"1"'},
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["commune_codes"] == [NEW_BAO_HA]
    moved_away = await client.patch(
        path, json={"commune_codes": [ELSEWHERE]}, headers=officer(NEW_BAO_HA) | {"If-Match": '"2"'}
    )
    assert fields_of(assert_problem(moved_away, 422, "validation")) == ["body.commune_codes.0"]
    over = await client.patch(
        path, json={"total_cost_vnd": 4_000_000_000}, headers=admin() | {"If-Match": '"2"'}
    )
    assert "body.state_support_vnd" in fields_of(assert_problem(over, 422, "validation"))
    assert (await step(client, project["id"], "approved")).status_code == 201
    current = await client.get(path, headers=admin())
    etag = current.headers["etag"]
    assert etag == '"3"'
    locked = await client.patch(
        path, json={"state_support_vnd": 1_000_000_000}, headers=admin() | {"If-Match": etag}
    )
    assert_problem(locked, 409, "invalid-state")
    moved = await client.patch(
        path, json={"commune_codes": [NEW_NGHIA_DO]}, headers=admin() | {"If-Match": etag}
    )
    assert_problem(moved, 409, "invalid-state")
    # Sending the approved values again is no change, and other fields stay editable.
    same = await client.patch(
        path,
        json={"state_support_vnd": 3_500_000_000, "households": 130, "end_on": "2027-12-31"},
        headers=admin() | {"If-Match": etag},
    )
    assert same.status_code == 200, same.text
    assert same.json()["households"] == 130
    assert same.headers["etag"] == '"4"'
    assert_problem(
        await client.patch(path, json={"households": 1}, headers=admin() | {"If-Match": etag}),
        412,
        "precondition-failed",
    )
    assert_problem(
        await client.patch(path, json={"households": 1}, headers=admin()),
        428,
        "precondition-required",
    )
    assert_problem(
        await client.patch(
            path, json={"status": "completed"}, headers=admin() | {"If-Match": '"4"'}
        ),
        422,
        "validation",
    )


async def test_list_filters(client: httpx.AsyncClient) -> None:
    old = await create_project(
        client,
        commune_codes=[OLD_NGHIA_DO],
        start_on="2023-02-01",
        proposed_on="2023-01-10",
        crop="tea",
        code="TEA-1",
    )
    new = await approved_project(client, lead_entity_type="enterprise")
    far = await create_project(client, commune_codes=[ELSEWHERE], crop="banana")
    joined = await client.post(
        f"{PROJECTS}/{new['id']}/participants",
        json={"household_code": "HH-77", "household_poverty": "poor"},
        headers=admin(),
    )
    assert joined.status_code == 201

    async def ids(headers: dict[str, str] | None = None, **params: str | int) -> list[str]:
        answer = await client.get(PROJECTS, params=params, headers=headers or admin())
        assert answer.status_code == 200, answer.text
        return [p["id"] for p in answer.json()["items"]]

    assert await ids() == [far["id"], new["id"], old["id"]]
    assert await ids(status="approved") == [new["id"]]
    assert await ids(crop="tea") == [old["id"]]
    assert await ids(code="TEA-1") == [old["id"]]
    assert await ids(lead_entity_type="enterprise") == [new["id"]]
    assert await ids(household_code="HH-77") == [new["id"]]
    assert await ids(area_code=BAO_YEN) == [old["id"]]
    assert await ids(area_code=NEW_NGHIA_DO) == [new["id"], old["id"]]
    assert await ids(viewer(ELSEWHERE)) == [far["id"]]
    assert_problem(
        await client.get(PROJECTS, params={"area_code": BAO_YEN}, headers=viewer(ELSEWHERE)),
        404,
        "not-found",
    )
    assert_problem(
        await client.get(PROJECTS, params={"status": "lost"}, headers=admin()), 422, "validation"
    )


async def test_missing_projects_are_404(client: httpx.AsyncClient) -> None:
    missing = f"{PROJECTS}/{uuid.uuid4()}"
    assert_problem(await client.get(missing, headers=admin()), 404, "not-found")
    for sub in ("transitions", "disbursements", "participants"):
        assert_problem(await client.get(f"{missing}/{sub}", headers=admin()), 404, "not-found")


def test_the_share_is_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MTQG_MAX_STATE_SUPPORT_SHARE", "0.55")
    monkeypatch.setenv("MTQG_OCOP_VALIDITY_MONTHS", "24")
    settings = Settings()
    assert (settings.max_state_support_share, settings.ocop_validity_months) == (0.55, 24)
    monkeypatch.setenv("MTQG_MAX_STATE_SUPPORT_SHARE", "1.5")
    with pytest.raises(ValueError, match="max_state_support_share"):
        Settings()
