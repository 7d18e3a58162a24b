"""Protection cases through the API: only `protection` holders read and write them in their
areas (everyone else 404 on a case, 403 on the list and on a create, clients never), every
read is in the access log, the status path and its outcome, and nothing of a case leaks to
anyone else: not in errors, lists, the overview, the audit trail or the access log."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from mtqg_shared.auth import PROTECTION
from tests import support
from tests.gender.helpers import (
    API,
    ELSEWHERE,
    NEW_SA_PA,
    NEW_TA_VAN,
    OLD_TA_VAN,
    admin,
    assert_problem,
    days_ago,
    fields_of,
    officer,
    system,
    viewer,
)

CASES = f"{API}/cases"
ACCESS_LOG = f"{API}/access-log"
OVERVIEW = f"{API}/reports/overview"
SUMMARY = "Em gái 15 tuổi ở thôn Lao Chải bị ép kết hôn"  # nothing shown to others may hold it


def holder(*areas: str, subject: str = "holder", role: str = "officer") -> dict[str, str]:
    """A person holding `protection` beside a ranked role, in `areas` (Tả Van by default)."""
    return support.auth(
        subject=subject, roles=[role, PROTECTION], areas=list(areas) or [NEW_TA_VAN]
    )


def case_body(**fields: Any) -> dict[str, Any]:
    return {
        "kind": "child_marriage",
        "commune_code": NEW_TA_VAN,
        "reported_on": days_ago(30),
        "victim_sex": "female",
        "victim_age": 15,
        "victim_ethnicity": "Mông",
        "summary": SUMMARY,
    } | fields


async def make(
    client: httpx.AsyncClient, headers: dict[str, str] | None = None, **fields: Any
) -> dict[str, Any]:
    answer = await client.post(CASES, json=case_body(**fields), headers=headers or holder())
    assert answer.status_code == 201, answer.text
    return dict(answer.json())


async def step(
    client: httpx.AsyncClient,
    case: dict[str, Any],
    to: str,
    headers: dict[str, str] | None = None,
    **fields: Any,
) -> httpx.Response:
    return await client.post(
        f"{CASES}/{case['id']}/transitions", json={"to": to} | fields, headers=headers or holder()
    )


async def log_of(client: httpx.AsyncClient, headers: dict[str, str] | None = None) -> list[Any]:
    answer = await client.get(ACCESS_LOG, headers=headers or admin())
    assert answer.status_code == 200, answer.text
    return list(answer.json()["items"])


PERSONAL = {"victim_name", "name", "identity_number"}
OUTSIDERS = {
    "officer": officer(NEW_TA_VAN),
    "viewer": viewer(NEW_TA_VAN),
    "admin": admin(),
    "client": system("gender:read", "gender:write"),
    "holder-elsewhere": holder(ELSEWHERE, subject="far"),
}


async def test_a_holder_records_reads_changes_and_closes_a_case(
    client: httpx.AsyncClient,
) -> None:
    case = await make(client)
    assert (case["status"], case["outcome"], case["summary"]) == ("reported", None, SUMMARY)
    assert (case["commune_code"], case["geography"], case["victim_age"]) == (
        NEW_TA_VAN,
        "2025-07",
        15,
    )
    path = f"{CASES}/{case['id']}"
    one = await client.get(path, headers=holder())
    assert (one.status_code, one.json(), one.headers["etag"]) == (200, case, '"1"')
    changed = await client.patch(
        path, json={"victim_age": 14}, headers=holder() | {"If-Match": '"1"'}
    )
    assert (changed.status_code, changed.json()["victim_age"]) == (200, 14), changed.text
    assert changed.headers["etag"] == '"2"'

    verified = await step(client, case, "verified", on=days_ago(20))
    assert verified.status_code == 201, verified.text
    assert (verified.json()["from"], verified.json()["to"], verified.json()["seq"]) == (
        "reported",
        "verified",
        1,
    )
    location = verified.headers["location"]
    assert location == f"{path}/transitions/{verified.json()['id']}"
    again = await client.get(location, headers=holder())
    assert (again.status_code, again.json()) == (200, verified.json())

    closed = await step(client, case, "closed", outcome="prevented", on=days_ago(10))
    assert closed.status_code == 201, closed.text
    assert (closed.json()["outcome"], closed.json()["seq"]) == ("prevented", 2)
    now = (await client.get(path, headers=holder())).json()
    assert (now["status"], now["outcome"], now["version"]) == ("closed", "prevented", 4)


async def test_the_path_with_support_and_what_it_refuses(client: httpx.AsyncClient) -> None:
    case = await make(client, kind="domestic_violence")
    assert_problem(await step(client, case, "supported"), 409, "invalid-state")
    assert_problem(await step(client, case, "closed", outcome="unfounded"), 409, "invalid-state")
    assert (await step(client, case, "verified")).status_code == 201
    assert (await step(client, case, "supported")).status_code == 201
    # The outcome is said on the step to closed, and only there.
    problem = assert_problem(await step(client, case, "closed"), 422, "validation")
    assert fields_of(problem) == ["body.outcome"]
    done = await step(client, case, "closed", outcome="supported")
    assert done.status_code == 201, done.text
    assert_problem(await step(client, case, "verified"), 409, "invalid-state")
    assert_problem(await step(client, case, "closed", outcome="referred"), 409, "invalid-state")


async def test_an_outcome_on_another_step_and_bad_steps_are_422(
    client: httpx.AsyncClient,
) -> None:
    case = await make(client)
    for body, field in (
        ({"to": "verified", "outcome": "prevented"}, "body.outcome"),
        ({"to": "verified", "on": "2999-01-01"}, "body.on"),
        ({"to": "verified", "on": days_ago(400)}, "body.on"),  # before the report
        ({"to": "closed", "outcome": "solved"}, "body.outcome"),
        ({"to": "opened"}, "body.to"),
        ({"to": "verified", "victim_name": "x"}, "body.victim_name"),
    ):
        answer = await client.post(f"{CASES}/{case['id']}/transitions", json=body, headers=holder())
        assert field in fields_of(assert_problem(answer, 422, "validation")), body
        assert SUMMARY not in answer.text
    assert (await client.get(f"{CASES}/{case['id']}", headers=holder())).json()["version"] == 1


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"victim_name": "Giàng Thị Mai"}, "body.victim_name"),
        ({"name": "Giàng Thị Mai"}, "body.name"),
        ({"identity_number": "010203004005"}, "body.identity_number"),
        ({"status": "closed"}, "body.status"),
        ({"outcome": "prevented"}, "body.outcome"),
        ({"kind": "theft"}, "body.kind"),
        ({"victim_sex": "x"}, "body.victim_sex"),
        ({"victim_age": 121}, "body.victim_age"),
        ({"victim_age": -1}, "body.victim_age"),
        ({"victim_age": "15"}, "body.victim_age"),
        ({"reported_on": "2999-01-01"}, "body.reported_on"),
        ({"commune_code": "99999"}, "body.commune_code"),
        ({"summary": ""}, "body.summary"),
        ({"victim_ethnicity": ""}, "body.victim_ethnicity"),
    ],
)
async def test_broken_rules_and_personal_fields_are_422(
    client: httpx.AsyncClient, fields: dict[str, Any], field: str
) -> None:
    answer = await client.post(CASES, json=case_body(**fields), headers=holder())
    assert field in fields_of(assert_problem(answer, 422, "validation"))
    # A personal value sent is never repeated back.
    for name in PERSONAL & set(fields):
        assert fields[name] not in answer.text


async def test_a_patch_refuses_personal_fields_nulls_and_status(
    client: httpx.AsyncClient,
) -> None:
    case = await make(client)
    path = f"{CASES}/{case['id']}"
    for body, field in (
        ({"victim_name": "Giàng Thị Mai"}, "body.victim_name"),
        ({"summary": None}, "body.summary"),
        ({"status": "closed"}, "body.status"),
    ):
        answer = await client.patch(path, json=body, headers=holder() | {"If-Match": '"1"'})
        assert field in fields_of(assert_problem(answer, 422, "validation")), body
    assert_problem(
        await client.patch(path, json={"victim_age": 3}, headers=holder()),
        428,
        "precondition-required",
    )
    stale = await client.patch(path, json={"victim_age": 3}, headers=holder() | {"If-Match": '"7"'})
    assert_problem(stale, 412, "precondition-failed")
    assert SUMMARY not in stale.text
    assert_problem(
        await client.post(CASES, content=b"kind=x", headers=holder()),
        415,
        "unsupported-media-type",
    )


async def test_ids_and_areas(client: httpx.AsyncClient) -> None:
    case = await make(client)
    assert_problem(
        await client.post(CASES, json=case_body(id=case["id"]), headers=holder()),
        409,
        "duplicate",
    )
    # Out of the holder's areas: no create, no read, no change, no step.
    assert_problem(
        await client.post(CASES, json=case_body(commune_code=ELSEWHERE), headers=holder()),
        422,
        "validation",
    )
    assert_problem(await client.get(f"{CASES}/{uuid.uuid4()}", headers=holder()), 404, "not-found")
    assert_problem(
        await client.get(f"{CASES}/{case['id']}/transitions/{uuid.uuid4()}", headers=holder()),
        404,
        "not-found",
    )
    # Moving the case to the holder's old-geography commune keeps it readable.
    moved = await client.patch(
        f"{CASES}/{case['id']}",
        json={"commune_code": OLD_TA_VAN, "geography": "2025-01"},
        headers=holder() | {"If-Match": '"1"'},
    )
    assert moved.status_code == 200, moved.text
    assert (moved.json()["commune_code"], moved.json()["legacy_commune_code"]) == (
        NEW_TA_VAN,
        OLD_TA_VAN,
    )


@pytest.mark.parametrize("who", sorted(OUTSIDERS))
async def test_anyone_else_gets_404_on_a_case_403_on_the_list_and_nothing_is_logged(
    client: httpx.AsyncClient, who: str
) -> None:
    headers = OUTSIDERS[who]
    case = await make(client)
    made = await step(client, case, "verified")
    before = await log_of(client)
    path = f"{CASES}/{case['id']}"
    for answer in (
        await client.get(path, headers=headers),
        await client.get(made.headers["location"], headers=headers),
        await client.patch(path, json={"victim_age": 3}, headers=headers | {"If-Match": '"2"'}),
        await step(client, case, "supported", headers=headers),
    ):
        assert answer.status_code in (403, 404), answer.text
        # Reads, and writes by anyone who may write, find nothing; a viewer's or a read-only
        # client's write is refused before any case is looked up.
        if answer.request.method == "GET" or who not in ("client", "viewer"):
            assert answer.status_code == 404, (who, answer.request.method, answer.text)
        assert SUMMARY not in answer.text
    listed = await client.get(CASES, headers=headers)
    if who == "holder-elsewhere":
        assert (listed.status_code, listed.json()["items"]) == (200, [])
    else:
        assert_problem(listed, 403, "forbidden")
        assert_problem(
            await client.post(CASES, json=case_body(), headers=headers), 403, "forbidden"
        )
    after = await log_of(client)
    shown = [e for e in after if case["id"] in e["case_ids"]]
    assert shown == [e for e in before if case["id"] in e["case_ids"]]
    assert (await client.get(path, headers=holder())).json()["version"] == 2


async def test_every_read_is_logged_and_admins_read_the_log(client: httpx.AsyncClient) -> None:
    case = await make(client)
    made = await step(client, case, "verified")
    one = await client.get(f"{CASES}/{case['id']}", headers=holder())
    (entry, *_) = await log_of(client)
    assert entry == {
        "at": entry["at"],
        "reader": "person:holder",
        "action": "read",
        "case_ids": [case["id"]],
        "request_id": one.headers["x-request-id"],
    }
    listed = await client.get(CASES, headers=holder())
    assert [c["id"] for c in listed.json()["items"]] == [case["id"]]
    (entry, *_) = await log_of(client)
    assert (entry["action"], entry["case_ids"]) == ("list", [case["id"]])
    await client.get(made.headers["location"], headers=holder())
    (entry, *_) = await log_of(client)
    assert (entry["action"], entry["case_ids"]) == ("transition", [case["id"]])
    # An empty page is a read too.
    empty = await client.get(CASES, params={"kind": "abuse"}, headers=holder())
    assert empty.json()["items"] == []
    (entry, *_) = await log_of(client)
    assert (entry["action"], entry["case_ids"]) == ("list", [])
    # The log names readers and ids, never what a case says; only admins read it, of their
    # areas.
    assert SUMMARY not in (await client.get(ACCESS_LOG, headers=admin())).text
    for headers in (holder(), officer(NEW_TA_VAN), system("gender:read")):
        assert (await client.get(ACCESS_LOG, headers=headers)).status_code == 403
    far = await log_of(client, admin(areas=[ELSEWHERE]))
    assert all(case["id"] not in e["case_ids"] for e in far)


async def test_lists_filter_by_kind_status_and_area(client: httpx.AsyncClient) -> None:
    marriage = await make(client)
    both = holder(NEW_TA_VAN, NEW_SA_PA)
    violence = await make(client, both, kind="domestic_violence", commune_code=NEW_SA_PA)
    await step(client, violence, "verified", headers=both)

    async def ids(**params: Any) -> list[str]:
        answer = await client.get(CASES, params=params, headers=both)
        assert answer.status_code == 200, answer.text
        return [c["id"] for c in answer.json()["items"]]

    assert await ids() == [violence["id"], marriage["id"]]
    assert await ids(kind="child_marriage") == [marriage["id"]]
    assert await ids(status="verified") == [violence["id"]]
    assert await ids(area_code=NEW_SA_PA) == [violence["id"]]
    assert await ids(limit=1) == [violence["id"]]
    assert_problem(await client.get(CASES, params={"kind": "x"}, headers=both), 422, "validation")
    assert_problem(
        await client.get(CASES, params={"area_code": ELSEWHERE}, headers=both), 404, "not-found"
    )
    assert_problem(await client.get(CASES), 401, "unauthorized")
    assert_problem(await client.post(CASES, json=case_body()), 401, "unauthorized")


async def test_the_audit_trail_shows_a_case_only_to_holders(client: httpx.AsyncClient) -> None:
    case = await make(client)
    await step(client, case, "verified")
    params = {"entity_type": "case", "entity_id": case["id"]}
    seen = await client.get(f"{API}/audit", params=params, headers=admin())
    assert seen.status_code == 200, seen.text
    entries = seen.json()["items"]
    assert [e["action"] for e in entries] == ["transition", "create"]
    assert all(e["changes"] is None for e in entries)
    assert SUMMARY not in seen.text
    shown = await client.get(
        f"{API}/audit", params=params, headers=holder(role="admin", subject="boss")
    )
    assert shown.status_code == 200, shown.text
    assert shown.json()["items"][1]["changes"]["summary"] == [None, SUMMARY]
    (entry, *_) = await log_of(client)
    # Two entries of one case shown: one case read.
    assert (entry["reader"], entry["action"], entry["case_ids"]) == (
        "person:boss",
        "audit",
        [case["id"]],
    )


async def test_the_overview_counts_cases_for_every_reader_and_shows_none(
    client: httpx.AsyncClient,
) -> None:
    prevented = await make(client)
    await step(client, prevented, "verified")
    await step(client, prevented, "closed", outcome="prevented")
    unfounded = await make(client)
    await step(client, unfounded, "verified")
    await step(client, unfounded, "closed", outcome="unfounded")
    await make(client, kind="human_trafficking")
    await make(client, kind="abuse", reported_on="2024-05-01")
    this_year = int(days_ago(0)[:4])
    for headers in (viewer(NEW_TA_VAN), officer(NEW_TA_VAN), admin(), holder()):
        answer = await client.get(OVERVIEW, params={"area_code": NEW_TA_VAN}, headers=headers)
        assert answer.status_code == 200, answer.text
        assert answer.json()["cases"] == {
            "by_kind": {
                "domestic_violence": 0,
                "child_marriage": 2,
                "human_trafficking": 1,
                "abuse": 1,
                "other": 0,
            },
            "child_marriages_prevented": 1,
        }
        assert SUMMARY not in answer.text
    in_2024 = await client.get(
        OVERVIEW, params={"area_code": NEW_TA_VAN, "year": 2024}, headers=viewer()
    )
    assert in_2024.json()["cases"]["by_kind"]["abuse"] == 1
    assert in_2024.json()["cases"]["by_kind"]["child_marriage"] == 0
    elsewhere = await client.get(
        OVERVIEW, params={"area_code": ELSEWHERE, "year": this_year}, headers=viewer()
    )
    assert sum(elsewhere.json()["cases"]["by_kind"].values()) == 0
