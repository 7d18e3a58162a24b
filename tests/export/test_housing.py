"""Exports of housing's cases: the same rows as the JSON pages, scoped, typed and guarded."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx

from mtqg_shared import export
from tests.export.helpers import flat, read_csv, read_xlsx
from tests.export.helpers import heading as heading_of
from tests.housing.helpers import (
    API,
    ELSEWHERE,
    NEW_SI_MA_CAI,
    admin,
    assert_problem,
    create_case,
    fund,
    officer,
)


async def json_items(client: httpx.AsyncClient, path: str, headers: dict[str, str]) -> list[Any]:
    items: list[Any] = []
    cursor = None
    while True:
        params = {"limit": "2"} | ({"cursor": cursor} if cursor else {})
        page = (await client.get(path, params=params, headers=headers)).json()
        items.extend(page["items"])
        cursor = page["next_cursor"]
        if not cursor:
            return items


async def test_csv_holds_the_rows_of_the_json_pages(client: httpx.AsyncClient) -> None:
    for n in range(5):
        case = await create_case(client, head_of_household=f"Hộ {n}")
        await fund(client, case["id"], "central_budget", 40_000_000 + n, case["registered_on"])
    answer = await client.get(f"{API}/cases", params={"format": "csv"}, headers=admin())
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "text/csv; charset=utf-8"
    disposition = answer.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="housing-cases-')
    assert "filename*=UTF-8''housing-cases-" in disposition and disposition.endswith(".csv")
    rows = read_csv(answer)
    items = await json_items(client, f"{API}/cases", admin())
    assert len(rows) == 1 + len(items) == 6
    names = list(flat(items[0]))
    assert "funding_vnd.central_budget" in names
    assert rows[0] == [heading_of("housing", name, "en") for name in names]
    for row, item in zip(rows[1:], items, strict=True):
        cells = dict(zip(names, row, strict=True))
        for name, value in flat(item).items():
            assert cells[name] == _as_csv(value), name


def _as_csv(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "; ".join(map(str, value))
    text = str(value)
    return "'" + text if text[:1] in "=+-@" else text


async def test_an_officer_exports_only_their_communes(client: httpx.AsyncClient) -> None:
    mine = await create_case(client, commune_code=NEW_SI_MA_CAI)
    await create_case(client, commune_code=ELSEWHERE)
    for fmt, read in (("csv", read_csv), ("xlsx", read_xlsx)):
        answer = await client.get(
            f"{API}/cases", params={"format": fmt}, headers=officer(NEW_SI_MA_CAI)
        )
        assert answer.status_code == 200, answer.text
        rows = read(answer)
        assert len(rows) == 2
        assert mine["id"] in [str(cell) for cell in rows[1]]


async def test_xlsx_cells_are_typed(client: httpx.AsyncClient) -> None:
    case = await create_case(client, head_of_household='=HYPERLINK("http://x")')
    await fund(client, case["id"], "central_budget", 987_654_321_012, case["registered_on"])
    answer = await client.get(f"{API}/cases", params={"format": "xlsx"}, headers=admin())
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == export.XLSX_MEDIA
    header, row = read_xlsx(answer)
    items = await json_items(client, f"{API}/cases", admin())
    names = list(flat(items[0]))
    assert list(header) == [heading_of("housing", name, "en") for name in names]
    cells = dict(zip(names, row, strict=True))
    assert cells["head_of_household"] == '\'=HYPERLINK("http://x")'
    assert cells["funding_vnd.central_budget"] == 987_654_321_012
    assert isinstance(cells["funding_vnd.central_budget"], int)
    assert cells["registered_on"] == dt.datetime.fromisoformat(case["registered_on"])
    assert isinstance(cells["created_at"], dt.datetime)
    for name, value in flat(items[0]).items():
        if isinstance(value, bool):
            assert cells[name] is value, name


async def test_format_elsewhere_is_422(client: httpx.AsyncClient) -> None:
    case = await create_case(client)
    for path in (f"{API}/cases/{case['id']}", f"{API}/changes", f"{API}/vocabulary"):
        answer = await client.get(path, params={"format": "csv"}, headers=admin())
        body = assert_problem(answer, 422, "validation")
        assert "format" in body["detail"]
        assert [e["field"] for e in body["errors"]] == ["query.format"]
    answer = await client.get(f"{API}/cases", params={"format": "pdf"}, headers=admin())
    assert assert_problem(answer, 422, "validation")["errors"][0]["field"] == "query.format"


async def test_a_bad_filter_or_no_token_is_a_problem_not_a_file(client: httpx.AsyncClient) -> None:
    answer = await client.get(
        f"{API}/cases", params={"format": "csv", "status": "nope"}, headers=admin()
    )
    assert_problem(answer, 422, "validation")
    answer = await client.get(f"{API}/cases", params={"format": "xlsx"})
    assert_problem(answer, 401, "unauthorized")
