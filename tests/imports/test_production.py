"""Production's spreadsheet imports (API.md section 10): every importable resource from its
own template to the records its GET reads, one rule of each refused by row, field and code
with nothing written, the natural keys with on_existing, and the area rule."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from functools import partial
from typing import Any

import httpx
import pytest

from mtqg_shared.types import today_vn
from tests.imports import specs as declared
from tests.imports.helpers import errors_of
from tests.imports.specs import Row, Spec, capital_plan_spec
from tests.production.helpers import (
    API,
    ELSEWHERE,
    NEW_BAO_YEN,
    NEW_NGHIA_DO,
    admin,
    approved_project,
    create_project,
    days_ago,
    officer,
    project_body,
    unique,
    viewer,
)

ADMIN = admin()


@pytest.fixture
async def client(service_client: Any) -> AsyncIterator[httpx.AsyncClient]:
    async with service_client("production") as c:
        yield c


counts = declared.counts
job = partial(declared.job, api=API)


async def items(client: httpx.AsyncClient, path: str, **params: Any) -> list[Row]:
    answer = await client.get(f"{API}/{path}", params={"limit": 200, **params}, headers=ADMIN)
    assert answer.status_code == 200, answer.text
    found: list[Row] = answer.json()["items"]
    return found


def only(found: list[Row]) -> Row | None:
    assert len(found) <= 1, found
    return found[0] if found else None


async def project_of(client: httpx.AsyncClient, code: str) -> Row:
    found = only(await items(client, "projects", code=code))
    assert found is not None
    return found


# What each resource's rows are, and how its GET finds the record a row made.


async def find_zone(client: httpx.AsyncClient, row: Row) -> Row | None:
    listed = await items(client, "zones", area_code=row["area_code"], year=row["year"])
    return only([z for z in listed if z["name"] == row["name"]])


async def find_project(client: httpx.AsyncClient, row: Row) -> Row | None:
    return only(await items(client, "projects", code=row["code"]))


async def find_disbursement(client: httpx.AsyncClient, row: Row) -> Row | None:
    project = await project_of(client, row["linkage_project_code"])
    return only(await items(client, f"projects/{project['id']}/disbursements"))


async def find_participant(client: httpx.AsyncClient, row: Row) -> Row | None:
    project = await project_of(client, row["linkage_project_code"])
    listed = await items(client, f"projects/{project['id']}/participants")
    return only([p for p in listed if p["household_code"] == row["household_code"]])


async def find_facility(client: httpx.AsyncClient, row: Row) -> Row | None:
    listed = await items(client, "facilities", area_code=row["commune_code"])
    return only([f for f in listed if f["name"] == row["name"]])


async def find_product(client: httpx.AsyncClient, row: Row) -> Row | None:
    listed = await items(client, "ocop-products", area_code=row["commune_code"])
    return only([p for p in listed if (p["name"], p["producer"]) == (row["name"], row["producer"])])


async def zone_row(client: httpx.AsyncClient) -> Row:
    return {
        "name": unique("Vùng quế hữu cơ"),
        "crop": "cinnamon",
        "area_code": NEW_NGHIA_DO,
        "year": 2025,
        "area_ha": 120.5,
        "certified_area_ha": 40.0,
        "certification": "organic_eu",
    }


async def project_row(client: httpx.AsyncClient) -> Row:
    return project_body(code=unique("BY-LK"))


async def disbursement_row(client: httpx.AsyncClient) -> Row:
    project = await approved_project(client, code=unique("BY-GN"))
    return {
        "linkage_project_code": project["code"],
        "amount_vnd": 1_200_000_000,
        "source": "central_budget",
        "on": days_ago(10),
        "note": "Đợt 1",
    }


async def participant_row(client: httpx.AsyncClient) -> Row:
    project = await create_project(client, code=unique("BY-HO"))
    return {
        "linkage_project_code": project["code"],
        "household_code": unique("ND"),
        "household_poverty": "poor",
    }


async def facility_row(client: httpx.AsyncClient) -> Row:
    return {
        "name": unique("Cơ sở chế biến tinh dầu quế"),
        "commune_code": NEW_NGHIA_DO,
        "kind": "cooperative",
        "products": ["tinh dầu quế", "quế thanh"],
        "jobs": 25,
        "established_on": "2025-08-01",
    }


async def product_row(client: httpx.AsyncClient) -> Row:
    return {
        "name": unique("Tinh dầu quế Bảo Yên"),
        "producer": "HTX Quế Bảo Yên",
        "commune_code": NEW_BAO_YEN,
        "category": "thảo dược",
        "stars": 4,
        "score": 78,
        "certified_on": "2025-09-15",
    }


FUTURE = (today_vn() + dt.timedelta(days=40)).isoformat()

SPECS = [
    Spec(
        "zones",
        ("name", "area_code", "year"),
        zone_row,
        find_zone,
        {"certified_area_ha": 121.0},
        "certified_area_ha",
        "over_cap",
        ("area_ha", 130.0),
    ),
    Spec(
        "projects",
        ("code",),
        project_row,
        find_project,
        {"state_support_vnd": 4_000_000_000},  # over 0.7 of the total cost
        "state_support_vnd",
        "over_cap",
        ("households", 140),
    ),
    Spec(
        "disbursements",
        (),
        disbursement_row,
        find_disbursement,
        {"amount_vnd": 3_000_000_001},  # over the project's state support
        "amount_vnd",
        "over_cap",
        via=("linkage_project_code",),
    ),
    Spec(
        "participants",
        ("linkage_project_code", "household_code"),
        participant_row,
        find_participant,
        {"household_poverty": "rich"},
        "household_poverty",
        "invalid_choice",
        via=("linkage_project_code",),
    ),
    Spec(
        "facilities",
        ("name", "commune_code"),
        facility_row,
        find_facility,
        {"established_on": FUTURE},
        "established_on",
        "in_future",
        ("jobs", 40),
    ),
    Spec(
        "ocop-products",
        ("name", "producer"),
        product_row,
        find_product,
        {"score": 95},  # five stars' band, not four's
        "score",
        "out_of_range",
        ("category", "đặc sản"),
    ),
    capital_plan_spec(API, "1719.DA3"),
]
KEYED = [spec for spec in SPECS if spec.changed is not None]


def fields_of(row: Row) -> Row:
    return {k: ";".join(v) if isinstance(v, list) else v for k, v in row.items()}


async def test_the_resources_are_productions_with_their_natural_keys(
    client: httpx.AsyncClient,
) -> None:
    from production.imports import IMPORTS

    listed = await declared.resources(client, API, viewer())
    assert {item["resource"]: tuple(item["natural_key"]) for item in listed} == {
        spec.resource: spec.natural_key for spec in SPECS
    }
    fields = {item["resource"]: item["fields"] for item in listed}
    assert [entry.name for entry in IMPORTS] == list(fields)
    # Entries name their project by code; a reversal names an entry, which a sheet does not.
    assert fields["disbursements"] == [
        "linkage_project_code",
        "amount_vnd",
        "source",
        "project_code",
        "capital_type",
        "on",
        "note",
    ]
    assert fields["participants"] == ["linkage_project_code", "household_code", "household_poverty"]
    assert all("id" not in names for names in fields.values())


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.resource)
async def test_a_filled_template_imports_and_reads_back(
    client: httpx.AsyncClient, spec: Spec
) -> None:
    await declared.template_round_trip(client, API, spec, viewer(), ADMIN)


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.resource)
async def test_a_rows_broken_rule_is_its_error_and_nothing_is_written(
    client: httpx.AsyncClient, spec: Spec
) -> None:
    await declared.broken_rule(client, API, spec, ADMIN)


@pytest.mark.parametrize("spec", KEYED, ids=lambda s: s.resource)
async def test_the_natural_key_with_on_existing_error_skip_and_update(
    client: httpx.AsyncClient, spec: Spec
) -> None:
    await declared.on_existing(client, API, spec, ADMIN)


async def test_a_participant_twice_is_refused_or_skipped_and_never_updated(
    client: httpx.AsyncClient,
) -> None:
    row = await participant_row(client)
    assert (await job(client, "participants", [row]))["status"] == "done"
    refused = await job(client, "participants", [row])
    assert errors_of(refused) == [(2, "linkage_project_code", "exists")]
    skipped = await job(client, "participants", [row], on_existing="skip")
    assert (skipped["status"], skipped["skipped"]) == ("done", 1)
    await declared.no_update(client, API, "participants", fields_of(row), ADMIN)


async def test_an_entry_of_an_unknown_project_names_the_code_column(
    client: httpx.AsyncClient,
) -> None:
    row = await disbursement_row(client) | {"linkage_project_code": unique("NO-SUCH")}
    failed = await job(client, "disbursements", [row])
    assert errors_of(failed) == [(2, "linkage_project_code", "not_found")]


async def test_an_entry_meets_its_projects_state_as_the_post_does(
    client: httpx.AsyncClient,
) -> None:
    """A proposed project takes no disbursement: the row's error is the POST's 409."""
    project = await create_project(client, code=unique("BY-DX"))
    row = await disbursement_row(client) | {"linkage_project_code": project["code"]}
    failed = await job(client, "disbursements", [row])
    assert errors_of(failed) == [(2, None, "invalid_state")]


async def test_two_disbursement_rows_are_two_entries_within_the_cap_together(
    client: httpx.AsyncClient,
) -> None:
    row = await disbursement_row(client) | {"amount_vnd": 1_600_000_000}
    failed = await job(client, "disbursements", [row, row])
    assert errors_of(failed) == [(3, "amount_vnd", "over_cap")]
    done = await job(client, "disbursements", [row, row | {"amount_vnd": 1_400_000_000}])
    assert (done["status"], done["created"]) == ("done", 2), done
    project = await project_of(client, row["linkage_project_code"])
    assert project["disbursed_vnd"] == 3_000_000_000


async def test_a_commune_officers_row_for_another_commune_is_that_rows_error(
    client: httpx.AsyncClient,
) -> None:
    before = await counts(client)
    home = officer(NEW_NGHIA_DO)
    facility = await facility_row(client)
    away = await facility_row(client) | {"commune_code": ELSEWHERE}
    failed = await job(client, "facilities", [facility, away], home)
    assert errors_of(failed) == [(3, "commune_code", "not_in_your_areas")]
    zones = [await zone_row(client), await zone_row(client) | {"area_code": ELSEWHERE}]
    assert errors_of(await job(client, "zones", zones, home)) == [
        (3, "area_code", "not_in_your_areas")
    ]
    project = await project_row(client) | {"commune_codes": [NEW_NGHIA_DO, ELSEWHERE]}
    assert errors_of(await job(client, "projects", [project], home)) == [
        (2, "commune_codes.1", "not_in_your_areas")  # the list item, as the POST names it
    ]
    assert await counts(client) == before


async def test_an_update_by_key_follows_the_patchs_own_rules(client: httpx.AsyncClient) -> None:
    """An approved project's money is fixed: the row's error is the PATCH's 409."""
    project = await approved_project(client, code=unique("BY-FX"))
    row = await project_row(client) | {"code": project["code"], "total_cost_vnd": 6_000_000_000}
    failed = await job(client, "projects", [row], on_existing="update")
    assert errors_of(failed) == [(2, None, "invalid_state")]
    assert (await project_of(client, project["code"]))["total_cost_vnd"] == 5_000_000_000
