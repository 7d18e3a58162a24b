"""Templates: the XLSX an officer downloads, fills and uploads (API.md section 10)."""

from __future__ import annotations

import dataclasses
import io
from typing import Any

import httpx
import openpyxl  # type: ignore[import-untyped]

from mtqg_shared.labels import label
from tests.housing.helpers import NEW_SI_MA_CAI, admin, assert_problem, household, viewer
from tests.imports.helpers import API, XLSX_MEDIA, run


async def template(client: httpx.AsyncClient, resource: str = "cases") -> openpyxl.Workbook:
    answer = await client.get(f"{API}/imports/templates/{resource}", headers=viewer())
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == XLSX_MEDIA
    assert answer.headers["content-disposition"] == (
        f"attachment; filename*=UTF-8''housing-{resource}-template.xlsx"
    )
    return openpyxl.load_workbook(io.BytesIO(answer.content))


def row(sheet: Any, number: int) -> list[Any]:
    return [cell.value for cell in sheet[number]]


async def test_a_template_heads_its_columns_with_labels_then_field_names(
    client: httpx.AsyncClient,
) -> None:
    book = await template(client)
    data, notes = book.worksheets[0], book.worksheets[1]
    fields = [
        "household_code",
        "head_of_household",
        "commune_code",
        "geography",
        "village",
        "beneficiary_group",
        "support_type",
        "registered_on",
        "notes",
    ]
    assert row(data, 2) == fields
    labels = row(data, 1)
    # The catalogue's Vietnamese headers (mtqg_shared.labels), one for every column.
    assert labels == [label("housing", name, "vi") for name in fields]
    assert labels[0] == "Mã hộ" and all(text not in fields for text in labels)
    assert data.freeze_panes == "A3"
    assert data["A1"].font.bold and data["A2"].font.bold
    # Drop-downs of the Vietnamese words for the enum columns.
    lists = book["lists"]
    assert lists.sheet_state == "hidden"
    by_column = {str(v.sqref).split(":")[0]: v for v in data.data_validations.dataValidation}
    group = by_column["F3"]
    assert group.type == "list"
    column = group.formula1.split("!")[1].replace("$", "").split(":")[0][0]
    words = [c.value for c in lists[column] if c.value]
    assert "Hộ nghèo" in words and "Hộ cận nghèo" in words
    assert set(by_column) == {"D3", "F3", "G3"}  # geography, group, support type
    assert data.column_dimensions["H"].number_format == "yyyy-mm-dd"
    # The second sheet: the example row under the headers, then notes per column.
    assert row(notes, 3)[: len(fields)] == fields
    example = row(notes, 4)
    assert example[0] == "SMC-0001" and example[5] == "poor"
    heads = row(notes, 6)
    assert heads[:3] == ["Column", "Field", "Required"]
    per_field = {r[1]: r for r in notes.iter_rows(min_row=7, values_only=True)}
    assert per_field["household_code"][2] == "yes"
    assert per_field["village"][2] == "no"
    assert per_field["registered_on"][5] == "YYYY-MM-DD"
    assert "poor (Hộ nghèo)" in per_field["beneficiary_group"][6]


async def test_money_columns_say_their_unit(client: httpx.AsyncClient) -> None:
    notes = (await template(client, "norms")).worksheets[1]
    per_field = {r[1]: r for r in notes.iter_rows(min_row=7, values_only=True)}
    assert per_field["amount_vnd"][4] == "VND"
    assert per_field["amount_vnd"][3] == "whole number"


async def test_text_that_would_be_a_formula_is_written_as_text(
    client: httpx.AsyncClient,
) -> None:
    app = client.app  # type: ignore[attr-defined]
    entry = app.state.imports["cases"]
    example = {**entry.example, "head_of_household": '=HYPERLINK("http://x")', "notes": "@x"}
    app.state.imports["cases"] = dataclasses.replace(entry, example=example)
    notes = (await template(client)).worksheets[1]
    values = row(notes, 4)
    assert values[1] == '\'=HYPERLINK("http://x")'
    assert values[8] == "'@x"
    assert notes.cell(4, 2).data_type == "s"


async def test_a_filled_template_imports(client: httpx.AsyncClient) -> None:
    book = await template(client)
    sheet = book.worksheets[0]
    codes = [household(), household()]
    sheet.append(
        [codes[0], "Giàng Seo Páo", NEW_SI_MA_CAI, None, "Sín Chải", "Hộ nghèo", "Xây mới"]
    )
    sheet.append([codes[1], "Lý Thị Mai", NEW_SI_MA_CAI, None, None, "near_poor", "Sửa chữa"])
    out = io.BytesIO()
    book.save(out)
    job = await run(client, out.getvalue(), admin(), name="filled.xlsx")
    assert job["status"] == "done", job
    assert job["created"] == 2
    listed = await client.get(f"{API}/cases", params={"household_code": codes[1]}, headers=admin())
    [case] = listed.json()["items"]
    assert (case["beneficiary_group"], case["support_type"]) == ("near_poor", "repair")


async def test_an_unknown_template_is_404(client: httpx.AsyncClient) -> None:
    answer = await client.get(f"{API}/imports/templates/houses", headers=viewer())
    assert_problem(answer, 404, "not-found")


async def test_every_resource_has_a_template(client: httpx.AsyncClient) -> None:
    listed = (await client.get(f"{API}/imports/resources", headers=viewer())).json()
    for item in listed["items"]:
        book = await template(client, item["resource"])
        assert row(book.worksheets[0], 2) == item["fields"]
