"""Labour's spreadsheet imports (API.md section 10): every importable resource from its own
template to the records its GET reads, one rule of each refused by row, field and code with
nothing written, the natural keys with on_existing, and the area rule."""

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
from tests.labour.helpers import (
    ADMIN,
    ELSEWHERE,
    HOME,
    HOME_OFFICER,
    VIEWER,
    P,
    departed_placement,
    make_placement,
    make_worker,
    national_id,
)


@pytest.fixture
async def client(service_client: Any) -> AsyncIterator[httpx.AsyncClient]:
    async with service_client("labour") as c:
        yield c


counts = declared.counts
job = partial(declared.job, api=P)


async def one(client: httpx.AsyncClient, path: str, **params: Any) -> Row | None:
    answer = await client.get(f"{P}/{path}", params=params, headers=ADMIN)
    assert answer.status_code == 200, answer.text
    items: list[Row] = answer.json()["items"]
    assert len(items) <= 1, items
    return items[0] if items else None


# What each resource's rows are, and how its GET finds the record a row made.


async def find_worker(client: httpx.AsyncClient, row: Row) -> Row | None:
    return await one(client, "workers", national_id=row["national_id"])


async def find_partner(client: httpx.AsyncClient, row: Row) -> Row | None:
    answer = await client.get(f"{P}/partners", params={"limit": 200}, headers=ADMIN)
    named = [p for p in answer.json()["items"] if p["name"] == row["name"]]
    return named[0] if named else None


async def find_event(client: httpx.AsyncClient, row: Row) -> Row | None:
    answer = await client.get(
        f"{P}/outreach-events", params={"area_code": row["commune_code"]}, headers=ADMIN
    )
    found = [e for e in answer.json()["items"] if e["topic"] == row["topic"]]
    return found[0] if found else None


async def find_placement(client: httpx.AsyncClient, row: Row) -> Row | None:
    worker = await one(client, "workers", national_id=row["national_id"])
    assert worker is not None
    return await one(client, "placements", worker_id=worker["id"])


async def find_remittance(client: httpx.AsyncClient, row: Row) -> Row | None:
    worker = await one(client, "workers", national_id=row["national_id"])
    assert worker is not None
    placement = await one(client, "placements", worker_id=worker["id"])
    assert placement is not None
    return await one(client, f"placements/{placement['id']}/remittances", month=row["month"])


async def find_spending(client: httpx.AsyncClient, row: Row) -> Row | None:
    answer = await client.get(
        f"{P}/spending", params={"placement_id": row["placement_id"]}, headers=ADMIN
    )
    assert answer.status_code == 200, answer.text
    items: list[Row] = [e for e in answer.json()["items"] if e["purpose"] == row["purpose"]]
    assert len(items) <= 1, items
    return items[0] if items else None


async def find_profile(client: httpx.AsyncClient, row: Row) -> Row | None:
    answer = await client.get(
        f"{P}/commune-profiles/{row['commune_code']}/{row['year']}", headers=ADMIN
    )
    if answer.status_code == 404:
        return None
    assert answer.status_code == 200, answer.text
    found: Row = answer.json()
    return found


_names = iter(range(1, 10_000))


async def worker_row(client: httpx.AsyncClient) -> Row:
    return {
        "national_id": national_id(),
        "full_name": "Vàng Seo Dìn",
        "date_of_birth": "1998-03-04",
        "gender": "male",
        "ethnicity": "Mông",
        "commune_code": HOME,
        "village": "Thôn Lao Chải",
        "household_code": "LPT-001",
        "household_poverty": "poor",
    }


async def partner_row(client: httpx.AsyncClient) -> Row:
    return {
        "name": f"Công ty hợp tác quốc tế Cema {next(_names)}",
        "kind": "licensed_company",
        "licence_number": "123/LĐTBXH-GP",
    }


async def event_row(client: httpx.AsyncClient) -> Row:
    return {
        "commune_code": HOME,
        "held_on": "2025-09-12",
        "topic": f"Tư vấn đi làm việc tại Đài Loan {next(_names)}",
        "participants": 45,
        "registered_interest": 8,
    }


async def placement_row(client: httpx.AsyncClient) -> Row:
    worker = await make_worker(client, commune_code=HOME, geography=None)
    return {
        "national_id": worker["national_id"],
        "destination_country": "TW",
        "scheme": "contract",
        "employer": "Formosa Plastics",
        "contract_months": 36,
        "monthly_salary_vnd": 35_000_000,
        "registered_on": "2025-08-01",
    }


async def remittance_row(client: httpx.AsyncClient) -> Row:
    worker, _placement = await departed_placement(client)
    return {"national_id": worker["national_id"], "month": "2024-05", "amount_vnd": 30_000_000}


async def spending_row(client: httpx.AsyncClient) -> Row:
    worker = await make_worker(client)
    placement = await make_placement(client, worker["id"])
    return {
        "commune_code": HOME,
        "on": "2025-09-30",
        "amount_vnd": 4_500_000,
        "source": "central_budget",
        "purpose": f"Hỗ trợ học tiếng Hàn {next(_names)}",
        "placement_id": placement["id"],
        "capital_type": "recurrent",
    }


async def profile_row(client: httpx.AsyncClient) -> Row:
    return {
        "commune_code": "02791",
        "year": 1990 + next(_names) % 35,
        "population": 3400,
        "households": 720,
        "working_age": 2040,
        "employed_elsewhere": 408,
        "poor_households": 291,
        "near_poor_households": 319,
    }


FUTURE = (today_vn() + dt.timedelta(days=40)).isoformat()

SPECS = [
    Spec(
        "workers",
        ("national_id",),
        worker_row,
        find_worker,
        {"date_of_birth": (today_vn() - dt.timedelta(days=365 * 14)).isoformat()},
        "date_of_birth",
        "out_of_range",
        ("full_name", "Vàng Thị Mai"),
    ),
    Spec(
        "partners",
        ("name",),
        partner_row,
        find_partner,
        {"licence_number": "x" * 500},
        "licence_number",
        "too_long",
        ("address", "Phường Cốc Lếu, Lào Cai"),
    ),
    Spec(
        "outreach-events",
        ("commune_code", "held_on", "topic"),
        event_row,
        find_event,
        {"registered_interest": 46},
        "registered_interest",
        "over_cap",
        ("participants", 60),
    ),
    Spec(
        "placements",
        ("national_id",),
        placement_row,
        find_placement,
        {"registered_on": FUTURE},
        "registered_on",
        "in_future",
        ("employer", "Foxconn"),
        via=("national_id",),
    ),
    Spec(
        "remittances",
        (),
        remittance_row,
        find_remittance,
        {"month": "2023-12"},  # before the worker departed (2024-02)
        "month",
        "before_start",
        via=("national_id",),
    ),
    Spec(
        "spending",
        (),
        spending_row,
        find_spending,
        {"project_code": "90.DA5"},  # housing's project, not labour's
        "project_code",
        "invalid_choice",
    ),
    Spec(
        "commune-profiles",
        ("commune_code", "year"),
        profile_row,
        find_profile,
        {"working_age": 3401},
        "working_age",
        "over_cap",
        ("employed_elsewhere", 500),
        via=("commune_code",),  # given in 2025-01, read as its 2025-07 commune
    ),
    capital_plan_spec(P, "90.DA4"),
]
BY_NAME = {spec.resource: spec for spec in SPECS}
KEYED = [spec for spec in SPECS if spec.natural_key]


async def test_the_resources_are_labours_with_their_natural_keys(
    client: httpx.AsyncClient,
) -> None:
    from labour.imports import IMPORTS

    answer = await client.get(f"{P}/imports/resources", headers=VIEWER)
    assert answer.status_code == 200, answer.text
    listed = {item["resource"]: tuple(item["natural_key"]) for item in answer.json()["items"]}
    assert listed == {spec.resource: spec.natural_key for spec in SPECS}
    fields = {item["resource"]: item["fields"] for item in answer.json()["items"]}
    # A row's columns: no client-made id, and what a route's path or id names by sheet values.
    assert "id" not in fields["workers"]
    assert fields["placements"][0] == "national_id" and "worker_id" not in fields["placements"]
    assert fields["commune-profiles"][:2] == ["commune_code", "year"]
    assert [entry.name for entry in IMPORTS] == list(fields)


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.resource)
async def test_a_filled_template_imports_and_reads_back(
    client: httpx.AsyncClient, spec: Spec
) -> None:
    await declared.template_round_trip(client, P, spec, VIEWER, ADMIN)


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.resource)
async def test_a_rows_broken_rule_is_its_error_and_nothing_is_written(
    client: httpx.AsyncClient, spec: Spec
) -> None:
    await declared.broken_rule(client, P, spec, ADMIN)


@pytest.mark.parametrize("spec", KEYED, ids=lambda s: s.resource)
async def test_the_natural_key_with_on_existing_error_skip_and_update(
    client: httpx.AsyncClient, spec: Spec
) -> None:
    await declared.on_existing(client, P, spec, ADMIN)


async def test_remittances_have_no_key_to_update_by_and_each_row_is_an_entry(
    client: httpx.AsyncClient,
) -> None:
    row = await remittance_row(client)
    await declared.no_update(client, P, "remittances", row, ADMIN)
    # Two entries of one month are two remittances, as two POSTs would be.
    done = await job(client, "remittances", [row, row])
    assert (done["status"], done["created"]) == ("done", 2), done


async def test_a_second_placement_row_of_a_worker_finds_the_first_as_its_active_placement(
    client: httpx.AsyncClient,
) -> None:
    row = await placement_row(client)
    failed = await job(client, "placements", [row, row | {"destination_country": "KR"}])
    assert failed["status"] == "failed"
    assert errors_of(failed) == [(3, "national_id", "exists")]


async def test_a_placement_row_of_an_unknown_worker_names_its_identity_column(
    client: httpx.AsyncClient,
) -> None:
    row = await placement_row(client) | {"national_id": national_id()}
    failed = await job(client, "placements", [row])
    assert errors_of(failed) == [(2, "national_id", "not_found")]


async def test_a_profile_for_a_future_year_names_the_year_column(
    client: httpx.AsyncClient,
) -> None:
    row = await profile_row(client) | {"year": today_vn().year + 1}
    failed = await job(client, "commune-profiles", [row])
    assert errors_of(failed) == [(2, "year", "in_future")]


async def test_a_commune_officers_row_for_another_commune_is_that_rows_error(
    client: httpx.AsyncClient,
) -> None:
    before = await counts(client)
    home, away = await worker_row(client), await worker_row(client)
    failed = await job(client, "workers", [home, away | {"commune_code": ELSEWHERE}], HOME_OFFICER)
    assert failed["status"] == "failed"
    assert errors_of(failed) == [(3, "commune_code", "not_in_your_areas")]
    # A placement for a worker outside the officer's areas names the identity column.
    worker = await make_worker(client, commune_code=ELSEWHERE, geography=None)
    placement = {"national_id": worker["national_id"], "destination_country": "TW"}
    refused = await job(client, "placements", [placement | {"scheme": "eps"}], HOME_OFFICER)
    assert errors_of(refused) == [(2, "national_id", "not_found")]
    # Partners are the province's: a commune officer's rows are refused whole.
    partners = await job(client, "partners", [await partner_row(client)], HOME_OFFICER)
    assert errors_of(partners) == [(2, None, "forbidden")]
    after = await counts(client)
    assert after["partners"] == before["partners"]
    assert after["workers"] == before["workers"] + 1  # the worker made above, by POST


async def test_an_update_by_key_follows_the_patchs_own_rules(client: httpx.AsyncClient) -> None:
    """A departed worker's destination is fixed: the row's error is the PATCH's."""
    worker, _placement = await departed_placement(client)
    row = {"national_id": worker["national_id"], "destination_country": "KR", "scheme": "contract"}
    failed = await job(client, "placements", [row], on_existing="update")
    assert failed["status"] == "failed"
    assert errors_of(failed) == [(2, None, "invalid_state")]
    read = await find_placement(client, row)
    assert read is not None and read["destination_country"] == "TW"


async def test_a_placement_made_by_post_is_found_by_its_workers_identity_number(
    client: httpx.AsyncClient,
) -> None:
    worker = await make_worker(client)
    await make_placement(client, worker["id"])
    row = await placement_row(client) | {"national_id": worker["national_id"]}
    skipped = await job(client, "placements", [row], on_existing="skip")
    assert (skipped["status"], skipped["skipped"]) == ("done", 1), skipped
