"""Production zones through the API: placing, land rules, area scoping, edits, errors."""

from __future__ import annotations

import uuid

import httpx
import pytest

from tests.production.helpers import (
    API,
    BAO_YEN,
    BAO_YEN_NEW_COMMUNES,
    ELSEWHERE,
    NEW_BAO_HA,
    NEW_NGHIA_DO,
    OLD_KIM_SON,
    admin,
    assert_problem,
    audit_of,
    create_zone,
    fields_of,
    officer,
    system,
    viewer,
    zone_body,
)

ZONES = f"{API}/zones"


async def test_create_read_and_list_a_zone(client: httpx.AsyncClient) -> None:
    answer = await client.post(
        ZONES,
        json=zone_body(certified_area_ha=20.25, certification="organic_eu", linked_area_ha=100),
        headers=officer(NEW_NGHIA_DO),
    )
    assert answer.status_code == 201, answer.text
    zone = answer.json()
    assert answer.headers["etag"] == '"1"'
    assert zone["commune_codes"] == [NEW_NGHIA_DO]
    assert zone["geography"] == "2025-07"
    assert (zone["legacy_commune_code"], zone["legacy_district_code"]) == (None, None)
    assert (zone["area_ha"], zone["certified_area_ha"], zone["linked_area_ha"]) == (
        120.5,
        20.25,
        100.0,
    )
    assert zone["created_by"] == "person:officer"
    assert {"id", "created_at", "updated_at", "version"} <= zone.keys()

    one = await client.get(f"{ZONES}/{zone['id']}", headers=viewer(NEW_NGHIA_DO))
    assert one.status_code == 200
    assert one.headers["etag"] == '"1"'
    assert one.json() == zone

    listed = await client.get(ZONES, headers=viewer(NEW_NGHIA_DO))
    assert [z["id"] for z in listed.json()["items"]] == [zone["id"]]
    assert listed.json()["next_cursor"] is None


async def test_a_zone_for_a_legacy_district_spans_its_new_communes(
    client: httpx.AsyncClient,
) -> None:
    zone = await create_zone(client, area_code=BAO_YEN, year=2024, area_ha=24400)
    assert zone["geography"] == "2025-01"
    assert zone["legacy_district_code"] == BAO_YEN
    assert zone["legacy_commune_code"] is None
    assert zone["commune_codes"] == sorted(BAO_YEN_NEW_COMMUNES)
    # Visible to each of them, editable only by those whose areas cover it all.
    for commune in BAO_YEN_NEW_COMMUNES:
        seen = await client.get(f"{ZONES}/{zone['id']}", headers=viewer(commune))
        assert seen.status_code == 200
    patch = await client.patch(
        f"{ZONES}/{zone['id']}",
        json={"name": "Vùng quế"},
        headers=officer(NEW_NGHIA_DO) | {"If-Match": '"1"'},
    )
    assert_problem(patch, 403, "forbidden")
    whole = officer(*BAO_YEN_NEW_COMMUNES)
    patch = await client.patch(
        f"{ZONES}/{zone['id']}", json={"name": "Vùng quế"}, headers=whole | {"If-Match": '"1"'}
    )
    assert patch.status_code == 200, patch.text
    # Outside every one of its communes it does not exist.
    assert_problem(
        await client.get(f"{ZONES}/{zone['id']}", headers=viewer(ELSEWHERE)), 404, "not-found"
    )
    assert_problem(
        await client.patch(
            f"{ZONES}/{zone['id']}",
            json={"name": "x"},
            headers=officer(ELSEWHERE) | {"If-Match": '"2"'},
        ),
        404,
        "not-found",
    )


async def test_the_year_decides_how_a_commune_code_is_read(client: httpx.AsyncClient) -> None:
    # 02971 is old Kim Sơn (2025-01); in 2025-07 no commune has that code.
    old = await create_zone(client, area_code=OLD_KIM_SON, year=2024)
    assert old["geography"] == "2025-01"
    assert old["commune_codes"] == [NEW_BAO_HA]
    assert (old["legacy_commune_code"], old["legacy_district_code"]) == (OLD_KIM_SON, BAO_YEN)
    answer = await client.post(
        ZONES, json=zone_body(area_code=OLD_KIM_SON, year=2025), headers=admin()
    )
    assert "body.area_code" in fields_of(assert_problem(answer, 422, "validation"))
    explicit = await create_zone(client, area_code=OLD_KIM_SON, year=2025, geography="2025-01")
    assert explicit["legacy_commune_code"] == OLD_KIM_SON


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"certified_area_ha": 121, "certification": "vietgap"}, "body.certified_area_ha"),
        ({"linked_area_ha": 120.5001}, "body.linked_area_ha"),
        ({"certified_area_ha": 10}, "body.certification"),
        ({"area_ha": 1.00001}, "body.area_ha"),
        ({"area_ha": "12"}, "body.area_ha"),
        ({"area_ha": -1}, "body.area_ha"),
        ({"year": "2024"}, "body.year"),
        ({"crop": "coffee"}, "body.crop"),
        ({"area_code": "15"}, "body.area_code"),
        ({"area_code": "99999"}, "body.area_code"),
        ({"area_code": BAO_YEN, "geography": "2025-07"}, "body.area_code"),
        ({"name": "a\u0000b"}, "body.name"),
        ({"extra": 1}, "body.extra"),
    ],
)
async def test_broken_rules_are_422(
    client: httpx.AsyncClient, fields: dict[str, object], field: str
) -> None:
    answer = await client.post(ZONES, json=zone_body(**fields), headers=admin())
    assert field in fields_of(assert_problem(answer, 422, "validation"))


async def test_creating_outside_ones_areas_is_422(client: httpx.AsyncClient) -> None:
    answer = await client.post(ZONES, json=zone_body(), headers=officer(ELSEWHERE))
    assert fields_of(assert_problem(answer, 422, "validation")) == ["body.area_code"]
    # A district reaches beyond a single commune's officer.
    answer = await client.post(
        ZONES, json=zone_body(area_code=BAO_YEN, year=2024), headers=officer(NEW_NGHIA_DO)
    )
    assert_problem(answer, 422, "validation")


async def test_tokens_roles_and_scopes(client: httpx.AsyncClient) -> None:
    assert_problem(await client.get(ZONES), 401, "unauthorized")
    assert_problem(await client.post(ZONES, json=zone_body()), 401, "unauthorized")
    assert_problem(await client.post(ZONES, json=zone_body(), headers=viewer()), 403, "forbidden")
    reader = system("production:read")
    assert (await client.get(ZONES, headers=reader)).status_code == 200
    assert_problem(await client.post(ZONES, json=zone_body(), headers=reader), 403, "forbidden")
    assert_problem(await client.get(ZONES, headers=system("labour:read")), 403, "forbidden")
    answer = await client.post(ZONES, json=zone_body(), headers=system("production:write"))
    assert answer.status_code == 201
    assert answer.json()["created_by"] == "client:system"


async def test_client_made_id_and_idempotent_replay(client: httpx.AsyncClient) -> None:
    zone_id = str(uuid.uuid4())
    headers = admin() | {"Idempotency-Key": "zone-1"}
    first = await client.post(ZONES, json=zone_body(id=zone_id), headers=headers)
    assert first.status_code == 201
    assert first.json()["id"] == zone_id
    again = await client.post(ZONES, json=zone_body(id=zone_id), headers=headers)
    assert again.status_code == 201
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json() == first.json()
    assert len(await audit_of(client, "zone", zone_id)) == 1
    # Without the key, the same id is a duplicate, also for a caller who cannot see it.
    dup = await client.post(ZONES, json=zone_body(id=zone_id), headers=admin())
    assert_problem(dup, 409, "duplicate")
    hidden = await client.post(
        ZONES, json=zone_body(id=zone_id, area_code=ELSEWHERE), headers=officer(ELSEWHERE)
    )
    problem = assert_problem(hidden, 409, "duplicate")
    assert zone_id not in problem["detail"]
    assert set(problem) == {"type", "title", "status", "detail", "instance", "request_id"}


async def test_patch_needs_if_match_and_keeps_land_inside(client: httpx.AsyncClient) -> None:
    zone = await create_zone(client)
    path = f"{ZONES}/{zone['id']}"
    assert_problem(
        await client.patch(path, json={"area_ha": 150}, headers=admin()),
        428,
        "precondition-required",
    )
    assert_problem(
        await client.patch(path, json={"area_ha": 150}, headers=admin() | {"If-Match": '"7"'}),
        412,
        "precondition-failed",
    )
    changed = await client.patch(
        path,
        json={"area_ha": 150, "linked_area_ha": 150, "certified_area_ha": None},
        headers=admin() | {"If-Match": '"1"'},
    )
    assert changed.status_code == 200, changed.text
    assert changed.headers["etag"] == '"2"'
    assert (changed.json()["area_ha"], changed.json()["linked_area_ha"]) == (150.0, 150.0)
    shrink = await client.patch(path, json={"area_ha": 149}, headers=admin() | {"If-Match": '"2"'})
    assert "body.linked_area_ha" in fields_of(assert_problem(shrink, 422, "validation"))
    emptied = await client.patch(path, json={"name": None}, headers=admin() | {"If-Match": '"2"'})
    assert fields_of(assert_problem(emptied, 422, "validation")) == ["body.name"]
    trail = await audit_of(client, "zone", zone["id"])
    assert [row["action"] for row in trail] == ["update", "create"]
    assert trail[0]["changes"] == {"area_ha": [120.5, 150.0], "linked_area_ha": [None, 150.0]}
    assert trail[0]["actor"] == "person:admin"


async def test_moving_a_zone(client: httpx.AsyncClient) -> None:
    zone = await create_zone(client, headers=officer(NEW_NGHIA_DO, NEW_BAO_HA))
    path = f"{ZONES}/{zone['id']}"
    outside = await client.patch(
        path,
        json={"area_code": ELSEWHERE},
        headers=officer(NEW_NGHIA_DO, NEW_BAO_HA) | {"If-Match": '"1"'},
    )
    assert fields_of(assert_problem(outside, 422, "validation")) == ["body.area_code"]
    moved = await client.patch(
        path,
        json={"area_code": NEW_BAO_HA},
        headers=officer(NEW_NGHIA_DO, NEW_BAO_HA) | {"If-Match": '"1"'},
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["commune_codes"] == [NEW_BAO_HA]
    listed = await client.get(ZONES, params={"area_code": NEW_NGHIA_DO}, headers=admin())
    assert listed.json()["items"] == []
    listed = await client.get(ZONES, params={"area_code": NEW_BAO_HA}, headers=admin())
    assert [z["id"] for z in listed.json()["items"]] == [zone["id"]]


async def test_list_filters_and_scoping(client: httpx.AsyncClient) -> None:
    district = await create_zone(client, area_code=BAO_YEN, year=2024, crop="tea", area_ha=284)
    commune = await create_zone(client, year=2024, crop="banana")
    new_geo = await create_zone(client, year=2025)
    far = await create_zone(client, area_code=ELSEWHERE, year=2025)

    async def ids(headers: dict[str, str], **params: str | int) -> list[str]:
        answer = await client.get(ZONES, params=params, headers=headers)
        assert answer.status_code == 200, answer.text
        return [z["id"] for z in answer.json()["items"]]

    # Newest first; an old district counts the zones given in the old geography inside it.
    assert await ids(admin(), area_code=BAO_YEN) == [commune["id"], district["id"]]
    # A new commune counts every zone with a current commune inside it.
    assert await ids(admin(), area_code=NEW_NGHIA_DO) == [
        new_geo["id"],
        commune["id"],
        district["id"],
    ]
    assert await ids(admin(), crop="tea") == [district["id"]]
    assert await ids(admin(), year=2025, area_code="15") == [far["id"], new_geo["id"]]
    assert await ids(viewer(ELSEWHERE)) == [far["id"]]
    assert_problem(
        await client.get(ZONES, params={"area_code": NEW_NGHIA_DO}, headers=viewer(ELSEWHERE)),
        404,
        "not-found",
    )
    assert_problem(
        await client.get(ZONES, params={"area_code": "123"}, headers=admin()), 422, "validation"
    )
    assert_problem(
        await client.get(ZONES, params={"colour": "red"}, headers=admin()), 422, "validation"
    )
    # Keyset pages and the sync order.
    first = await client.get(ZONES, params={"limit": 2}, headers=admin())
    assert len(first.json()["items"]) == 2
    rest = await client.get(
        ZONES, params={"limit": 2, "cursor": first.json()["next_cursor"]}, headers=admin()
    )
    assert [z["id"] for z in rest.json()["items"]] == [commune["id"], district["id"]]
    synced = await ids(admin(), order="updated")
    assert synced == [district["id"], commune["id"], new_geo["id"], far["id"]]
    # A change brings a zone back into the sync after the last one seen.
    patched = await client.patch(
        f"{ZONES}/{commune['id']}", json={"area_ha": 99}, headers=admin() | {"If-Match": '"1"'}
    )
    assert patched.status_code == 200
    after = await ids(admin(), order="updated", updated_after=far["updated_at"])
    assert after == [commune["id"]]


async def test_unknown_and_unreadable_zones_are_404(client: httpx.AsyncClient) -> None:
    missing = f"{ZONES}/{uuid.uuid4()}"
    assert_problem(await client.get(missing, headers=admin()), 404, "not-found")
    assert_problem(
        await client.patch(missing, json={}, headers=admin() | {"If-Match": '"1"'}),
        404,
        "not-found",
    )
    assert_problem(await client.get(f"{ZONES}/not-a-uuid", headers=admin()), 422, "validation")


async def test_timestamps_at_the_edge_of_the_calendar_are_422(client: httpx.AsyncClient) -> None:
    import base64
    import json

    edge = "0001-01-01T00:00:00+01:00"
    answer = await client.get(
        ZONES, params={"order": "updated", "updated_after": edge}, headers=admin()
    )
    assert fields_of(assert_problem(answer, 422, "validation")) == ["query.updated_after"]
    raw = json.dumps([edge, str(uuid.uuid4())]).encode()
    cursor = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    answer = await client.get(ZONES, params={"cursor": cursor}, headers=admin())
    assert fields_of(assert_problem(answer, 422, "validation")) == ["query.cursor"]
    garbage = await client.get(ZONES, params={"cursor": "not-a-cursor"}, headers=admin())
    assert fields_of(assert_problem(garbage, 422, "validation")) == ["query.cursor"]
