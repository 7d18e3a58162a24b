"""Materials through the API: one to three versions, one per language."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from tests.gender.helpers import (
    API,
    ELSEWHERE,
    NEW_SA_PA,
    OLD_HAM_RONG,
    SA_PA,
    admin,
    assert_problem,
    audit_of,
    create_material,
    fields_of,
    material_body,
    officer,
    system,
    viewer,
)

MATERIALS = f"{API}/materials"
THREE = [
    {"language": "vi", "title": "Nói không với tảo hôn", "text": "Tảo hôn là vi phạm pháp luật."},
    {"language": "dao", "title": "Bản tiếng Dao", "url": "https://example.org/dao.mp3"},
    {"language": "hmn", "title": "Bản tiếng Mông"},
]


async def test_record_read_and_re_version_a_material(client: httpx.AsyncClient) -> None:
    material = await create_material(client, headers=officer(NEW_SA_PA))
    assert [v["language"] for v in material["versions"]] == ["vi", "hmn"]
    assert material["versions"][0] == {
        "language": "vi",
        "title": "Nói không với tảo hôn",
        "text": None,
        "url": None,
    }
    path = f"{MATERIALS}/{material['id']}"
    one = await client.get(path, headers=viewer(NEW_SA_PA))
    assert (one.json(), one.headers["etag"]) == (material, '"1"')
    changed = await client.patch(
        path, json={"versions": THREE}, headers=admin() | {"If-Match": '"1"'}
    )
    assert changed.status_code == 200, changed.text
    assert [v["language"] for v in changed.json()["versions"]] == ["vi", "dao", "hmn"]
    assert changed.json()["versions"][1]["url"] == "https://example.org/dao.mp3"
    trail = await audit_of(client, "material", material["id"])
    assert len(trail[0]["changes"]["versions"][1]) == 3
    twice = await client.patch(
        path,
        json={"versions": [THREE[0], THREE[0]]},
        headers=admin() | {"If-Match": '"2"'},
    )
    assert fields_of(assert_problem(twice, 422, "validation")) == ["body.versions.1.language"]
    assert_problem(
        await client.patch(path, json={"format": "video"}, headers=admin()),
        428,
        "precondition-required",
    )
    assert_problem(
        await client.patch(path, json={"format": "video"}, headers=admin() | {"If-Match": '"1"'}),
        412,
        "precondition-failed",
    )
    assert_problem(
        await client.patch(
            path, json={"format": "video"}, headers=officer(ELSEWHERE) | {"If-Match": '"2"'}
        ),
        404,
        "not-found",
    )


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"versions": []}, "body.versions"),
        ({"versions": [*THREE, THREE[0]]}, "body.versions"),
        ({"versions": [THREE[2], THREE[2]]}, "body.versions.1.language"),
        ({"versions": [{"language": "vi"}]}, "body.versions.0.title"),
        ({"versions": [{"language": "en", "title": "x"}]}, "body.versions.0.language"),
        ({"versions": [{"language": "vi", "title": "x", "url": "ftp://x"}]}, "body.versions.0.url"),
        ({"versions": [{"language": "vi", "title": "x", "author": "y"}]}, "body.versions.0.author"),
        ({"topic": "poverty"}, "body.topic"),
        ({"format": "book"}, "body.format"),
        ({"published_on": "2999-01-01"}, "body.published_on"),
    ],
)
async def test_broken_rules_are_422(
    client: httpx.AsyncClient, fields: dict[str, Any], field: str
) -> None:
    answer = await client.post(MATERIALS, json=material_body(**fields), headers=admin())
    assert field in fields_of(assert_problem(answer, 422, "validation"))


async def test_access_rules_and_filters(client: httpx.AsyncClient) -> None:
    assert_problem(await client.get(MATERIALS), 401, "unauthorized")
    assert_problem(
        await client.post(MATERIALS, json=material_body(), headers=viewer()), 403, "forbidden"
    )
    assert_problem(
        await client.post(MATERIALS, json=material_body(), headers=system("gender:read")),
        403,
        "forbidden",
    )
    material_id = str(uuid.uuid4())
    three = await create_material(client, id=material_id, versions=THREE, format="audio")
    assert_problem(
        await client.post(MATERIALS, json=material_body(id=material_id), headers=admin()),
        409,
        "duplicate",
    )
    old = await create_material(
        client, commune_code=OLD_HAM_RONG, published_on="2023-04-01", topic="domestic_violence"
    )
    assert old["geography"] == "2025-01"

    async def ids(headers: dict[str, str] | None = None, **params: str | int) -> list[str]:
        answer = await client.get(MATERIALS, params=params, headers=headers or admin())
        assert answer.status_code == 200, answer.text
        return [m["id"] for m in answer.json()["items"]]

    assert await ids() == [old["id"], three["id"]]
    assert await ids(language="dao") == [three["id"]]
    assert await ids(language="hmn") == [old["id"], three["id"]]
    assert await ids(format="audio") == [three["id"]]
    assert await ids(topic="domestic_violence") == [old["id"]]
    assert await ids(area_code=SA_PA) == [old["id"]]
    assert await ids(viewer(ELSEWHERE)) == []
    assert_problem(
        await client.get(f"{MATERIALS}/{three['id']}", headers=viewer(ELSEWHERE)),
        404,
        "not-found",
    )
