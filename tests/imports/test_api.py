"""The `/imports` routes: who may upload and read, what the file itself gets wrong (413, 415,
422 before any row runs), idempotency, the caller's list, the resources."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from mtqg_shared.labels import label
from tests.housing.helpers import ELSEWHERE, NEW_SI_MA_CAI, admin, assert_problem, officer, viewer
from tests.imports.helpers import (
    API,
    CASE_COLUMNS,
    csv_file,
    errors_of,
    run,
    runner,
    upload,
    xlsx_file,
)
from tests.imports.test_rows import case_row


def one_case() -> bytes:
    return csv_file([CASE_COLUMNS, case_row()])


def fields_of(problem: dict[str, Any]) -> list[tuple[str, str]]:
    return [(e["field"], e["code"]) for e in problem["errors"]]


async def test_an_upload_answers_202_with_the_job_and_its_location(
    client: httpx.AsyncClient,
) -> None:
    sent = await upload(client, one_case(), admin())
    assert sent.status_code == 202, sent.text
    job = sent.json()
    assert sent.headers["location"] == f"{API}/imports/{job['id']}"
    assert (job["status"], job["total_rows"], job["processed_rows"]) == ("queued", 1, 0)
    assert (job["resource"], job["mode"], job["on_existing"]) == ("cases", "commit", "error")
    assert job["file_name"] == "cases.csv"
    read = await client.get(sent.headers["location"], headers=admin())
    assert read.json()["status"] == "queued"
    await runner(client).drain()
    read = await client.get(sent.headers["location"], headers=admin())
    assert read.json()["status"] == "done"
    assert read.json()["finished_at"] is not None


async def test_without_a_token_401_and_a_viewer_403(client: httpx.AsyncClient) -> None:
    answer = await upload(client, one_case(), {})
    assert_problem(answer, 401, "unauthorized")
    assert answer.headers["www-authenticate"] == "Bearer"
    assert_problem(await upload(client, one_case(), viewer()), 403, "forbidden")
    for path in ("/imports", "/imports/resources", "/imports/templates/cases"):
        assert_problem(await client.get(f"{API}{path}"), 401, "unauthorized")


async def test_a_job_is_read_by_its_creator_or_an_admin_of_its_areas(
    client: httpx.AsyncClient,
) -> None:
    mine = officer(NEW_SI_MA_CAI, subject="mine")
    sent = await upload(client, one_case(), mine)
    location = sent.headers["location"]
    assert (await client.get(location, headers=mine)).status_code == 200
    other = officer(NEW_SI_MA_CAI, subject="other")
    assert_problem(await client.get(location, headers=other), 404, "not-found")
    assert (await client.get(location, headers=admin())).status_code == 200
    far_admin = admin(areas=[ELSEWHERE])
    assert_problem(await client.get(location, headers=far_admin), 404, "not-found")
    unknown = f"{API}/imports/00000000-0000-4000-8000-000000000000"
    assert_problem(await client.get(unknown, headers=admin()), 404, "not-found")


async def test_a_job_and_a_template_answer_their_etag_and_304(client: httpx.AsyncClient) -> None:
    from tests.support import assert_conditional_reads

    sent = await upload(client, one_case(), admin())
    await assert_conditional_reads(client, sent.headers["location"], admin())
    await assert_conditional_reads(client, f"{API}/imports/templates/cases", admin())


async def test_a_template_keeps_its_etag_from_one_second_to_the_next(
    client: httpx.AsyncClient,
) -> None:
    """A phone that cached the template revalidates it later: the same declaration is the same
    workbook, whatever the clock says."""
    url = f"{API}/imports/templates/cases"
    first = await client.get(url, headers=admin())
    await asyncio.sleep(1.1)
    again = await client.get(url, headers=admin())
    assert first.status_code == again.status_code == 200
    assert first.headers["etag"] == again.headers["etag"]
    assert first.content == again.content


async def test_the_callers_jobs_newest_first_in_pages(client: httpx.AsyncClient) -> None:
    who = officer(NEW_SI_MA_CAI, subject="lister")
    ids = [(await upload(client, one_case(), who)).json()["id"] for _ in range(3)]
    await upload(client, one_case(), officer(NEW_SI_MA_CAI, subject="someone-else"))
    first = await client.get(f"{API}/imports", params={"limit": 2}, headers=who)
    assert first.status_code == 200, first.text
    page = first.json()
    assert [j["id"] for j in page["items"]] == ids[::-1][:2]
    assert "errors" not in page["items"][0]
    rest = await client.get(
        f"{API}/imports", params={"limit": 2, "cursor": page["next_cursor"]}, headers=who
    )
    assert [j["id"] for j in rest.json()["items"]] == ids[:1]
    assert rest.json()["next_cursor"] is None
    unknown = await client.get(f"{API}/imports", params={"status": "done"}, headers=who)
    assert_problem(unknown, 422, "validation")


async def test_resources_list_each_importables_columns_and_key(
    client: httpx.AsyncClient,
) -> None:
    answer = await client.get(f"{API}/imports/resources", headers=viewer())
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["next_cursor"] is None
    by_name = {item["resource"]: item for item in body["items"]}
    assert set(by_name) == {"cases", "norms", "plans", "obstacles", "funding", "capital-plans"}
    assert by_name["cases"]["natural_key"] == ["household_code"]
    assert "id" not in by_name["cases"]["fields"]
    assert set(CASE_COLUMNS) <= set(by_name["cases"]["fields"])


async def test_a_file_over_the_limit_is_413(service_client: Any) -> None:
    async with service_client("housing", import_max_bytes=2048) as client:
        big = csv_file([CASE_COLUMNS, *(case_row() for _ in range(100))])
        assert len(big) > 2048
        assert_problem(await upload(client, big, admin()), 413, "payload-too-large")
        # Far over: refused by its declared length before the body is read at all.
        huge = b"x" * (2 * 1024 * 1024)
        refused = assert_problem(await upload(client, huge, admin()), 413, "payload-too-large")
        assert "2048" in refused["detail"]
        assert (await upload(client, one_case(), admin())).status_code == 202


@pytest.mark.parametrize(
    "content",
    [
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64,  # an old .xls
        "household_code\nSMC-1\n".encode("utf-16"),
        "household_code\nGiàng\n".encode("cp1258"),
        b"PK\x03\x04 not a workbook at all",
    ],
    ids=["pdf", "xls", "utf-16", "cp1258", "zip"],
)
async def test_a_file_that_is_not_a_spreadsheet_is_415(
    client: httpx.AsyncClient, content: bytes
) -> None:
    answer = await upload(client, content, admin(), name="cases.csv")
    assert_problem(answer, 415, "unsupported-media-type")


async def test_a_body_that_is_not_multipart_is_415(client: httpx.AsyncClient) -> None:
    answer = await client.post(
        f"{API}/imports", json={"resource": "cases", "mode": "commit"}, headers=admin()
    )
    assert_problem(answer, 415, "unsupported-media-type")
    form = await client.post(
        f"{API}/imports", data={"resource": "cases", "mode": "commit"}, headers=admin()
    )
    assert_problem(form, 415, "unsupported-media-type")


async def test_what_the_form_gets_wrong_is_422(client: httpx.AsyncClient) -> None:
    unknown = await upload(client, one_case(), admin(), resource="houses")
    assert fields_of(assert_problem(unknown, 422, "validation")) == [
        ("body.resource", "invalid_choice")
    ]
    mode = await upload(client, one_case(), admin(), mode="maybe")
    assert fields_of(assert_problem(mode, 422, "validation")) == [("body.mode", "invalid_choice")]
    existing = await upload(client, one_case(), admin(), on_existing="merge")
    assert fields_of(assert_problem(existing, 422, "validation")) == [
        ("body.on_existing", "invalid_choice")
    ]
    # Obstacles have no natural key and no update by import.
    update = await upload(client, one_case(), admin(), resource="obstacles", on_existing="update")
    assert fields_of(assert_problem(update, 422, "validation")) == [
        ("body.on_existing", "invalid_choice")
    ]
    extra = await upload(client, one_case(), admin(), extra={"colour": "red"})
    assert fields_of(assert_problem(extra, 422, "validation")) == [("body.colour", "unknown_field")]
    missing = await client.post(
        f"{API}/imports",
        files={"other": ("x.csv", one_case(), "text/csv")},
        data={"resource": "cases", "mode": "commit"},
        headers=admin(),
    )
    assert ("body.file", "required") in fields_of(assert_problem(missing, 422, "validation"))


async def test_a_file_without_a_usable_header_is_422(client: httpx.AsyncClient) -> None:
    headless = csv_file([case_row(), case_row()])
    answer = assert_problem(await upload(client, headless, admin()), 422, "validation")
    assert fields_of(answer) == [("file", "required")]
    empty = assert_problem(await upload(client, b"", admin()), 422, "validation")
    assert fields_of(empty) == [("file", "required")]


async def test_a_column_that_names_no_field_is_422_naming_it(client: httpx.AsyncClient) -> None:
    rows = [[*CASE_COLUMNS, "favourite colour"], [*case_row(), "red"]]
    answer = assert_problem(await upload(client, csv_file(rows), admin()), 422, "validation")
    assert fields_of(answer) == [("file.G", "unknown_field")]
    assert "favourite colour" in answer["errors"][0]["message"]
    twice = [[*CASE_COLUMNS, "household_code"], [*case_row(), "X"]]
    answer = assert_problem(await upload(client, csv_file(twice), admin()), 422, "validation")
    assert fields_of(answer) == [("file.G", "listed_twice")]
    headless = [list(CASE_COLUMNS), [*case_row(), "stray"]]
    answer = assert_problem(await upload(client, csv_file(headless), admin()), 422, "validation")
    assert fields_of(answer) == [("file.G2", "unknown_field")]


async def test_headers_match_by_label_in_either_language(client: httpx.AsyncClient) -> None:
    # The catalogue's headers, one column in Vietnamese (spaced and cased as typed), one in
    # English, under a title row the import passes over.
    vi_household = label("housing", "household_code", "vi")
    en_head = label("housing", "head_of_household", "en")
    assert vi_household != "household_code" and en_head != "head_of_household"
    columns = [f"  {vi_household.upper()} ", en_head, *CASE_COLUMNS[2:]]
    job = await run(client, xlsx_file([["Danh sách hộ"], columns, case_row()]), admin())
    assert job["status"] == "done", job
    assert job["created"] == 1


async def test_the_same_key_and_file_replay_and_another_file_is_422(
    client: httpx.AsyncClient,
) -> None:
    content = one_case()
    keyed = admin() | {"Idempotency-Key": "upload-1"}
    first = await upload(client, content, keyed)
    again = await upload(client, content, keyed)
    assert again.status_code == 202
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    assert again.headers["location"] == first.headers["location"]
    assert_problem(await upload(client, one_case(), keyed), 422, "idempotency-mismatch")
    other_mode = await upload(client, content, keyed, mode="dry_run")
    assert_problem(other_mode, 422, "idempotency-mismatch")
    listed = await client.get(f"{API}/imports", headers=admin())
    assert [j["id"] for j in listed.json()["items"]] == [first.json()["id"]]
    # A refused upload leaves its key free for the corrected one.
    bad_key = admin() | {"Idempotency-Key": "upload-2"}
    assert (await upload(client, b"%PDF-1.7\n\xe2\xe3", bad_key)).status_code == 415
    assert (await upload(client, content, bad_key)).status_code == 202


async def test_messages_are_in_the_uploads_language(client: httpx.AsyncClient) -> None:
    rows = [CASE_COLUMNS, case_row(support_type="palace")]
    vietnamese = admin() | {"Accept-Language": "vi"}
    job = await run(client, csv_file(rows), vietnamese)
    assert errors_of(job) == [(2, "support_type", "invalid_choice")]
    english = await run(client, csv_file(rows), admin())
    assert job["errors"][0]["message"] != english["errors"][0]["message"]
