"""Activities through the API: topics and languages once each, women among participants,
the model that held it, filters."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from tests.gender.helpers import (
    API,
    ELSEWHERE,
    NEW_SA_PA,
    NEW_TA_VAN,
    OLD_TA_VAN,
    SA_PA,
    activity_body,
    admin,
    assert_problem,
    audit_of,
    create_activity,
    create_model,
    fields_of,
    officer,
    system,
    viewer,
)

ACTIVITIES = f"{API}/activities"


async def test_record_read_and_change_an_activity(client: httpx.AsyncClient) -> None:
    model = await create_model(client)
    activity = await create_activity(
        client,
        headers=officer(NEW_TA_VAN),
        model_id=model["id"],
        languages=["hmn", "vi"],
        online_reach=1200,
    )
    # Topics and languages answer in the vocabulary's order, whatever order they were sent in.
    assert activity["languages"] == ["vi", "hmn"]
    assert activity["topics"] == ["domestic_violence", "child_marriage"]
    assert (activity["model_id"], activity["online_reach"]) == (model["id"], 1200)
    path = f"{ACTIVITIES}/{activity['id']}"
    one = await client.get(path, headers=viewer(NEW_TA_VAN))
    assert (one.json(), one.headers["etag"]) == (activity, '"1"')
    changed = await client.patch(
        path,
        json={"languages": ["vi", "dao", "hmn"], "topics": ["gender_equality"]},
        headers=admin() | {"If-Match": '"1"'},
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["languages"] == ["vi", "dao", "hmn"]
    assert changed.json()["topics"] == ["gender_equality"]
    assert changed.headers["etag"] == '"2"'
    trail = await audit_of(client, "activity", activity["id"])
    assert trail[0]["changes"]["languages"] == [["vi", "hmn"], ["vi", "dao", "hmn"]]
    assert_problem(
        await client.patch(path, json={"participants": 1}, headers=admin()),
        428,
        "precondition-required",
    )
    assert_problem(
        await client.patch(path, json={"participants": 90}, headers=admin() | {"If-Match": '"1"'}),
        412,
        "precondition-failed",
    )
    assert_problem(
        await client.patch(
            path, json={"participants": 90}, headers=officer(ELSEWHERE) | {"If-Match": '"2"'}
        ),
        404,
        "not-found",
    )
    fewer = await client.patch(
        path, json={"participants": 10}, headers=admin() | {"If-Match": '"2"'}
    )
    assert fields_of(assert_problem(fewer, 422, "validation")) == ["body.participants_female"]
    empty = await client.patch(path, json={"topics": []}, headers=admin() | {"If-Match": '"2"'})
    assert fields_of(assert_problem(empty, 422, "validation")) == ["body.topics"]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"kind": "meeting"}, "body.kind"),
        ({"topics": []}, "body.topics"),
        ({"topics": ["poverty"]}, "body.topics.0"),
        ({"topics": ["child_marriage", "child_marriage"]}, "body.topics.1"),
        ({"languages": []}, "body.languages"),
        ({"languages": ["en"]}, "body.languages.0"),
        ({"languages": ["vi", "hmn", "vi"]}, "body.languages.2"),
        ({"participants_female": 86}, "body.participants_female"),
        ({"participants": -1}, "body.participants"),
        ({"online_reach": 1.5}, "body.online_reach"),
        ({"held_on": "2999-01-01"}, "body.held_on"),
        ({"model_id": str(uuid.uuid4())}, "body.model_id"),
        ({"model_id": "x"}, "body.model_id"),
        ({"commune_code": "03040"}, "body.commune_code"),  # an old code for a 2025 date
    ],
)
async def test_broken_rules_are_422(
    client: httpx.AsyncClient, fields: dict[str, Any], field: str
) -> None:
    answer = await client.post(ACTIVITIES, json=activity_body(**fields), headers=admin())
    assert field in fields_of(assert_problem(answer, 422, "validation"))


async def test_a_model_outside_the_callers_areas_is_as_unknown(
    client: httpx.AsyncClient,
) -> None:
    far = await create_model(client, commune_code=ELSEWHERE)
    answer = await client.post(
        ACTIVITIES, json=activity_body(model_id=far["id"]), headers=officer(NEW_TA_VAN)
    )
    problem = assert_problem(answer, 422, "validation")
    assert fields_of(problem) == ["body.model_id"]
    assert far["id"] not in answer.text


async def test_access_rules(client: httpx.AsyncClient) -> None:
    assert_problem(await client.get(ACTIVITIES), 401, "unauthorized")
    assert_problem(
        await client.post(ACTIVITIES, json=activity_body(), headers=viewer()), 403, "forbidden"
    )
    assert_problem(
        await client.post(ACTIVITIES, json=activity_body(), headers=system("gender:read")),
        403,
        "forbidden",
    )
    outside = await client.post(ACTIVITIES, json=activity_body(), headers=officer(ELSEWHERE))
    assert fields_of(assert_problem(outside, 422, "validation")) == ["body.commune_code"]
    activity_id = str(uuid.uuid4())
    made = await client.post(
        ACTIVITIES, json=activity_body(id=activity_id), headers=system("gender:write")
    )
    assert made.status_code == 201, made.text
    assert_problem(
        await client.post(ACTIVITIES, json=activity_body(id=activity_id), headers=admin()),
        409,
        "duplicate",
    )
    assert_problem(
        await client.get(f"{ACTIVITIES}/{activity_id}", headers=viewer(ELSEWHERE)),
        404,
        "not-found",
    )


async def test_list_filters(client: httpx.AsyncClient) -> None:
    model = await create_model(client)
    old = await create_activity(
        client, commune_code=OLD_TA_VAN, held_on="2024-05-01", languages=["vi", "dao"]
    )
    held = await create_activity(client, model_id=model["id"], topics=["women_economy"])
    town = await create_activity(client, commune_code=NEW_SA_PA, kind="contest")

    async def ids(headers: dict[str, str] | None = None, **params: str | int) -> list[str]:
        answer = await client.get(ACTIVITIES, params=params, headers=headers or admin())
        assert answer.status_code == 200, answer.text
        return [a["id"] for a in answer.json()["items"]]

    assert await ids() == [town["id"], held["id"], old["id"]]
    assert await ids(kind="contest") == [town["id"]]
    assert await ids(model_id=model["id"]) == [held["id"]]
    assert await ids(topic="women_economy") == [held["id"]]
    assert await ids(language="dao") == [old["id"]]
    assert await ids(language="hmn") == [town["id"], held["id"]]
    assert await ids(area_code=SA_PA) == [old["id"]]
    assert await ids(area_code=NEW_TA_VAN) == [held["id"], old["id"]]
    assert await ids(viewer(NEW_SA_PA)) == [town["id"]]
    assert_problem(
        await client.get(ACTIVITIES, params={"language": "en"}, headers=admin()),
        422,
        "validation",
    )
