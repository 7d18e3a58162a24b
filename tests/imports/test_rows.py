"""Every row of an import through the single create's rules: errors by row, field and code,
all or nothing, dry runs, what a commit leaves (audit, change feed), how cells are read."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx
import pytest

from mtqg_shared.types import today_vn
from tests.feed import follow, head, latest
from tests.housing.helpers import (
    ELSEWHERE,
    NEW_SI_MA_CAI,
    admin,
    create_case,
    household,
    officer,
)
from tests.imports.helpers import (
    API,
    CASE_COLUMNS,
    counts,
    csv_file,
    errors_of,
    run,
    xlsx_file,
)


def case_row(code: str | None = None, **changed: Any) -> list[Any]:
    values = {
        "household_code": code or household(),
        "head_of_household": "Giàng Seo Páo",
        "commune_code": NEW_SI_MA_CAI,
        "beneficiary_group": "poor",
        "support_type": "new_build",
        "registered_on": "2025-08-01",
    } | changed
    return [values[name] for name in CASE_COLUMNS]


async def cases_of(client: httpx.AsyncClient, code: str) -> list[dict[str, Any]]:
    found = await client.get(f"{API}/cases", params={"household_code": code}, headers=admin())
    assert found.status_code == 200, found.text
    items: list[dict[str, Any]] = found.json()["items"]
    return items


async def test_a_thousand_rows_with_errors_in_known_rows_write_nothing_and_list_every_error(
    client: httpx.AsyncClient,
) -> None:
    before = await counts(client)
    future = (today_vn() + dt.timedelta(days=10)).isoformat()
    rows: list[list[Any]] = [list(CASE_COLUMNS)]
    rows.extend(case_row() for _ in range(1000))
    # Sheet rows are numbered from the header (row 1): data row i is sheet row i + 2.
    rows[10] = case_row(commune_code="99999")
    rows[200] = case_row(head_of_household="")
    rows[500] = case_row(beneficiary_group="rich")
    rows[777] = case_row(registered_on=future)
    rows[999] = case_row(rows[998][0])  # the household of the row before it, again
    rows[1000] = case_row(registered_on="2025-13-01")
    job = await run(client, csv_file(rows), admin())
    assert job["status"] == "failed"
    assert job["total_rows"] == job["processed_rows"] == 1000
    assert sorted(errors_of(job)) == [
        (11, "commune_code", "not_in_geography"),
        (201, "head_of_household", "required"),
        (501, "beneficiary_group", "invalid_choice"),
        (778, "registered_on", "in_future"),
        (1000, "household_code", "exists"),
        (1001, "registered_on", "invalid_format"),
    ]
    assert job["error_count"] == 6
    assert all(error["message"] for error in job["errors"])
    # All or nothing: the 994 good rows are not written either, nor their audit or changes.
    assert await counts(client) == before


async def test_a_dry_run_counts_what_it_would_do_and_writes_nothing(
    client: httpx.AsyncClient,
) -> None:
    existing = await create_case(client)
    before = await counts(client)
    rows = [CASE_COLUMNS, case_row(), case_row(), case_row(existing["household_code"])]
    job = await run(client, csv_file(rows), admin(), mode="dry_run", on_existing="skip")
    assert job["status"] == "done"
    assert (job["created"], job["updated"], job["skipped"], job["error_count"]) == (2, 0, 1, 0)
    assert await counts(client) == before


async def test_a_dry_run_with_errors_is_done_and_lists_them(client: httpx.AsyncClient) -> None:
    rows = [CASE_COLUMNS, case_row(), case_row(support_type="palace")]
    job = await run(client, csv_file(rows), admin(), mode="dry_run")
    assert job["status"] == "done"
    assert job["created"] == 1
    assert errors_of(job) == [(3, "support_type", "invalid_choice")]


async def test_a_commit_leaves_the_audit_rows_and_changes_a_post_leaves(
    client: httpx.AsyncClient,
) -> None:
    start = await head(client, "housing", admin())
    code = household()
    job = await run(client, csv_file([CASE_COLUMNS, case_row(code)]), admin())
    assert job["status"] == "done" and job["created"] == 1
    [case] = await cases_of(client, code)
    trail = await client.get(
        f"{API}/audit", params={"entity_type": "case", "entity_id": case["id"]}, headers=admin()
    )
    [entry] = trail.json()["items"]
    assert entry["action"] == "create"
    assert entry["actor"] == "person:admin"
    assert entry["request_id"] == f"import-{job['id']}"
    assert entry["changes"]["household_code"] == [None, code]
    items, _ = await follow(client, "housing", admin(), start)
    read = (await client.get(f"{API}/cases/{case['id']}", headers=admin())).json()
    assert latest(items)[("cases", case["id"])]["record"] == read


async def test_xlsx_numbers_dates_and_empty_cells(client: httpx.AsyncClient) -> None:
    code = household()
    columns = [*CASE_COLUMNS, "village", "notes"]
    rows: list[list[Any]] = [
        columns,
        # A household code typed as a number, a real date cell, empty village and notes.
        [12345678.0, "Vàng A Sử", NEW_SI_MA_CAI, "poor", "repair", dt.date(2025, 8, 2), "", ""],
        [code, "Lý Thị Mai", NEW_SI_MA_CAI, "near_poor", "new_build", None, "Sín Chải", None],
    ]
    job = await run(client, xlsx_file(rows), admin(), name="cases.xlsx")
    assert job["status"] == "done", job
    [first] = await cases_of(client, "12345678")
    assert first["registered_on"] == "2025-08-02"
    assert first["village"] is None and first["notes"] is None
    [second] = await cases_of(client, code)
    assert second["registered_on"] == today_vn().isoformat()  # not sent: the create's default
    assert second["village"] == "Sín Chải"


async def test_enum_cells_by_value_or_by_either_languages_word(
    client: httpx.AsyncClient,
) -> None:
    codes = [household() for _ in range(3)]
    rows = [
        CASE_COLUMNS,
        case_row(codes[0], beneficiary_group="Hộ cận nghèo", support_type="Sửa chữa"),
        case_row(codes[1], beneficiary_group="near-poor household", support_type="REPAIR"),
        case_row(codes[2], beneficiary_group="near_poor", support_type="repair"),
    ]
    job = await run(client, csv_file(rows), admin())
    assert job["status"] == "done", job
    for code in codes:
        [case] = await cases_of(client, code)
        assert (case["beneficiary_group"], case["support_type"]) == ("near_poor", "repair")


@pytest.mark.parametrize("delimiter", [",", ";"])
async def test_csv_with_a_bom_and_either_delimiter(
    client: httpx.AsyncClient, delimiter: str
) -> None:
    code = household()
    content = csv_file([CASE_COLUMNS, case_row(code)], delimiter=delimiter, bom=True)
    job = await run(client, content, admin())
    assert job["status"] == "done", job
    assert len(await cases_of(client, code)) == 1


async def test_a_fraction_for_a_whole_number_is_the_rows_error_never_rounded(
    client: httpx.AsyncClient,
) -> None:
    columns = ["beneficiary_group", "support_type", "amount_vnd", "valid_from"]
    rows: list[list[Any]] = [
        columns,
        ["poor", "new_build", 61_000_000.0, dt.date(2031, 1, 1)],
        ["poor", "repair", 30_000_000.5, dt.date(2031, 1, 1)],
    ]
    before = await counts(client)
    job = await run(client, xlsx_file(rows), admin(), resource="norms", name="n.xlsx")
    assert job["status"] == "failed"
    assert errors_of(job) == [(3, "amount_vnd", "not_a_number")]
    assert await counts(client) == before
    rows.pop()
    job = await run(client, xlsx_file(rows), admin(), resource="norms", name="n.xlsx")
    assert job["status"] == "done", job
    listed = await client.get(f"{API}/norms", headers=admin(), params={"limit": 200})
    amounts = [n["amount_vnd"] for n in listed.json()["items"] if n["valid_from"] == "2031-01-01"]
    assert amounts == [61_000_000]


async def test_on_existing_error_skip_and_update(client: httpx.AsyncClient) -> None:
    case = await create_case(client, head_of_household="Giàng Seo Páo")
    code = case["household_code"]
    row = case_row(code, head_of_household="Giàng Thị Dế")
    refused = await run(client, csv_file([CASE_COLUMNS, row]), admin())
    assert refused["status"] == "failed"
    assert errors_of(refused) == [(2, "household_code", "exists")]
    skipped = await run(client, csv_file([CASE_COLUMNS, row]), admin(), on_existing="skip")
    assert (skipped["status"], skipped["skipped"], skipped["created"]) == ("done", 1, 0)
    [unchanged] = await cases_of(client, code)
    assert unchanged["version"] == 1
    updated = await run(client, csv_file([CASE_COLUMNS, row]), admin(), on_existing="update")
    assert (updated["status"], updated["updated"]) == ("done", 1), updated
    [changed] = await cases_of(client, code)
    assert changed["head_of_household"] == "Giàng Thị Dế"
    assert changed["version"] == 2
    trail = await client.get(
        f"{API}/audit", params={"entity_type": "case", "entity_id": case["id"]}, headers=admin()
    )
    update = [e for e in trail.json()["items"] if e["action"] == "update"]
    assert update[0]["changes"]["head_of_household"] == ["Giàng Seo Páo", "Giàng Thị Dế"]
    assert update[0]["request_id"] == f"import-{updated['id']}"


async def test_rows_of_one_household_update_in_file_order_each_at_its_new_version(
    client: httpx.AsyncClient,
) -> None:
    """The records a chunk's keys name are found in one query before its rows run; a later
    row of a key an earlier row made or changed looks again, so it updates what the earlier
    row left (never refused as stale, never made twice)."""
    case = await create_case(client, head_of_household="Giàng Seo Páo")
    code, new = case["household_code"], household()
    rows = [
        CASE_COLUMNS,
        case_row(code, head_of_household="Giàng Thị Dế"),
        case_row(new, head_of_household="Lù Văn Sử"),
        case_row(code, head_of_household="Giàng Thị Mai"),
        case_row(new, head_of_household="Lù Thị Hoa"),
    ]
    job = await run(client, csv_file(rows), admin(), on_existing="update")
    assert (job["status"], job["created"], job["updated"]) == ("done", 1, 3), job
    [changed] = await cases_of(client, code)
    assert (changed["head_of_household"], changed["version"]) == ("Giàng Thị Mai", 3)
    [made] = await cases_of(client, new)
    assert (made["head_of_household"], made["version"]) == ("Lù Thị Hoa", 2)


async def test_an_update_follows_the_patchs_own_rules(client: httpx.AsyncClient) -> None:
    """A case approved may not change its group: the row's error is the PATCH's 409."""
    from tests.housing.helpers import move

    case = await create_case(client)
    await move(client, case["id"], "surveyed", "approved")
    row = case_row(case["household_code"], beneficiary_group="near_poor")
    job = await run(client, csv_file([CASE_COLUMNS, row]), admin(), on_existing="update")
    assert job["status"] == "failed"
    [(number, field, code)] = errors_of(job)
    assert (number, field, code) == (2, None, "invalid_state")


async def test_a_commune_officers_row_for_another_commune_is_that_rows_error(
    client: httpx.AsyncClient,
) -> None:
    before = await counts(client)
    rows = [CASE_COLUMNS, case_row(), case_row(commune_code=ELSEWHERE)]
    job = await run(client, csv_file(rows), officer(NEW_SI_MA_CAI))
    assert job["status"] == "failed"
    assert errors_of(job) == [(3, "commune_code", "not_in_your_areas")]
    assert await counts(client) == before


async def test_two_rows_of_one_household_conflict_as_two_posts_would(
    client: httpx.AsyncClient,
) -> None:
    code = household()
    rows = [CASE_COLUMNS, case_row(code), case_row(code)]
    job = await run(client, csv_file(rows), admin())
    assert job["status"] == "failed"
    assert errors_of(job) == [(3, "household_code", "exists")]
    # Without the natural key's check (funding names the case), the service's own 409 rules.
    assert await cases_of(client, code) == []


async def test_funding_rows_name_their_case_by_household(client: httpx.AsyncClient) -> None:
    case = await create_case(client, registered_on="2025-08-01")
    columns = ["household_code", "source", "amount_vnd", "on"]
    rows = [
        columns,
        [case["household_code"], "central_budget", "40000000", "2025-08-05"],
        ["HH-NOBODY", "central_budget", "1000", "2025-08-05"],
    ]
    job = await run(client, csv_file(rows), admin(), resource="funding")
    assert errors_of(job) == [(3, "household_code", "not_found")]
    rows.pop()
    job = await run(client, csv_file(rows), admin(), resource="funding")
    assert job["status"] == "done", job
    read = (await client.get(f"{API}/cases/{case['id']}", headers=admin())).json()
    assert read["funding_vnd"]["central_budget"] == 40_000_000


@pytest.mark.parametrize("make", [csv_file, xlsx_file], ids=["csv", "xlsx"])
async def test_text_with_control_characters_is_the_rows_error(
    client: httpx.AsyncClient, make: Any
) -> None:
    """A CSV file is looked at whole for what a database cannot store, and one that holds it
    is read cell by cell, as a workbook always is: the row is the error, the others read."""
    rows = [
        CASE_COLUMNS,
        case_row(head_of_household="Giàng\x07Páo"),
        case_row(head_of_household="  Lò Thị Mai ", beneficiary_group=" Hộ nghèo "),
    ]
    job = await run(client, make(rows), admin(), mode="dry_run")
    assert errors_of(job) == [(2, "head_of_household", "invalid_format")]
    assert (job["created"], job["processed_rows"]) == (1, 2), job


@pytest.fixture
def in_chunks(client: httpx.AsyncClient) -> list[int]:
    """Cases imported through an `add_many` (of three rows at a time) that is `add` row after
    row, raising `RowFailed` at the first it refuses; the sizes of the chunks it was given."""
    import dataclasses

    from mtqg_shared.kit.importing import RowFailed

    app = client.app  # type: ignore[attr-defined]
    entry = app.state.imports["cases"]
    sizes: list[int] = []

    async def many(ctx: Any, bodies: Any) -> list[Any]:
        sizes.append(len(bodies))
        out = []
        for index, body in enumerate(bodies):
            try:
                out.append(await entry.add(ctx, body))
            except Exception as exc:
                raise RowFailed(index, exc) from exc
        return out

    app.state.imports["cases"] = dataclasses.replace(entry, add_many=many, prepare=None, chunk=3)
    return sizes


async def test_add_many_takes_the_rows_in_chunks(
    client: httpx.AsyncClient, in_chunks: list[int]
) -> None:
    before = await counts(client)
    job = await run(client, csv_file([CASE_COLUMNS, *(case_row() for _ in range(7))]), admin())
    assert (job["status"], job["created"]) == ("done", 7), job
    assert in_chunks == [3, 3, 1]
    after = await counts(client)
    assert after["cases"] - before["cases"] == 7
    assert after["audit"] - before["audit"] == 7


async def test_a_chunk_add_many_refuses_runs_again_row_by_row(
    client: httpx.AsyncClient, in_chunks: list[int]
) -> None:
    rows = [CASE_COLUMNS, *(case_row() for _ in range(7))]
    rows[5] = case_row(commune_code="99999")  # valid as a body, refused by the create's rules
    code = household()
    rows.append(case_row(code))
    rows.append(case_row(code))  # the same household in one chunk: the chunk is cut before it
    before = await counts(client)
    job = await run(client, csv_file(rows), admin(), mode="dry_run")
    assert errors_of(job) == [
        (6, "commune_code", "not_in_geography"),
        (10, "household_code", "exists"),
    ]
    assert job["created"] == 7
    assert await counts(client) == before


async def test_rows_the_bulk_create_refuses_are_its_errors_and_the_rest_go_set_based_again(
    client: httpx.AsyncClient,
) -> None:
    """Housing's bulk create names every body it refuses (`RowsRefused`): those are the rows'
    errors as it gives them, and the other rows go to it again, none through the single
    create one by one."""
    import dataclasses

    app = client.app  # type: ignore[attr-defined]
    entry = app.state.imports["cases"]
    singles: list[Any] = []
    sizes: list[int] = []

    async def add(ctx: Any, body: Any) -> Any:
        singles.append(body)
        return await entry.add(ctx, body)

    async def many(ctx: Any, bodies: Any) -> Any:
        sizes.append(len(bodies))
        return await entry.add_many(ctx, bodies)

    app.state.imports["cases"] = dataclasses.replace(entry, add=add, add_many=many)
    future = (today_vn() + dt.timedelta(days=3)).isoformat()
    rows = [CASE_COLUMNS, *(case_row() for _ in range(8))]
    rows[3] = case_row(commune_code="99999")
    rows[6] = case_row(registered_on=future)
    before = await counts(client)
    job = await run(client, csv_file(rows), admin(), mode="dry_run")
    assert errors_of(job) == [
        (4, "commune_code", "not_in_geography"),
        (7, "registered_on", "in_future"),
    ]
    assert (job["status"], job["created"]) == ("done", 6), job
    assert sizes == [8, 6]
    assert singles == []
    assert await counts(client) == before
    committed = await run(client, csv_file(rows), admin())
    assert committed["status"] == "failed"
    assert errors_of(committed) == errors_of(job)
    assert await counts(client) == before


async def test_errors_come_in_row_order_while_a_chunk_is_written_as_the_next_is_read(
    client: httpx.AsyncClient, in_chunks: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rows after a chunk are read while it is written (the event loop handed back after
    every row here): a cell's error in the next chunk still comes after the errors of the
    chunk being written."""
    from mtqg_shared.imports import engine

    monkeypatch.setattr(engine, "_YIELD_EVERY", 1)
    rows = [CASE_COLUMNS, *(case_row() for _ in range(7))]
    rows[2] = case_row(commune_code="99999")  # sheet row 3: the create's rules refuse it
    rows[4] = case_row(registered_on="2025-13-01")  # sheet row 5: no date
    before = await counts(client)
    job = await run(client, csv_file(rows), admin(), mode="dry_run")
    assert errors_of(job) == [
        (3, "commune_code", "not_in_geography"),
        (5, "registered_on", "invalid_format"),
    ]
    assert (job["status"], job["created"], job["processed_rows"]) == ("done", 5, 7), job
    assert await counts(client) == before


def test_a_csv_file_is_looked_at_whole_and_a_workbook_cell_by_cell() -> None:
    from housing.cases.schemas import CaseCreate
    from mtqg_shared.imports.reading import header_names, read_sheet

    names = header_names("housing", CaseCreate.model_fields)
    clean = [CASE_COLUMNS, case_row(), case_row(head_of_household="Tẩn Mý Mẩy")]
    assert read_sheet(csv_file(clean), 10, names, "cases").storable
    held = [*clean, case_row(head_of_household="Giàng\x1bPáo")]
    assert not read_sheet(csv_file(held), 10, names, "cases").storable
    assert not read_sheet(xlsx_file(clean), 10, names, "cases").storable


def test_cells_read_alike_whether_the_file_was_looked_at_whole_or_not() -> None:
    from housing.cases.schemas import CaseCreate
    from housing.vocabulary import VOCABULARY
    from mtqg_shared.imports.reading import kinds, row_values

    of = kinds(CaseCreate, VOCABULARY)
    names = [*CASE_COLUMNS, "village", "notes"]
    columns = [(index, name, of[name]) for index, name in enumerate(names)]
    cells = [" HH-1 ", "Giàng Seo Páo", "02809", " Hộ cận nghèo", "REPAIR", "2025-08-01", "", " "]
    read = {
        "household_code": "HH-1",
        "head_of_household": "Giàng Seo Páo",
        "commune_code": "02809",
        "beneficiary_group": "near_poor",
        "support_type": "repair",
        "registered_on": "2025-08-01",
    }
    assert row_values(cells, columns, True) == (read, [])
    assert row_values(cells, columns, False) == (read, [])
    # Looked at one by one, a cell a database cannot store is the row's error.
    values, errors = row_values([*cells[:6], "Sín\x07Chải"], columns, False)
    assert "village" not in values
    assert [(name, e.key) for name, e in errors] == [
        ("village", "invalid_format.control_characters")
    ]
