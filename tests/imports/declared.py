"""What the tests of a service's declared imports share: its resources as rows a person would
type, the template filled with them, the records read back the way the API answers them."""

from __future__ import annotations

import datetime as dt
import enum
import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx

from tests.imports.helpers import XLSX_MEDIA, csv_file, run

Row = Mapping[str, Any]


def cell(value: Any) -> Any:
    """A value as a person types it in a cell: a list's items joined, an enum by its value."""
    if isinstance(value, list | tuple):
        return ", ".join(str(cell(item)) for item in value)
    if isinstance(value, enum.Enum):
        return value.value
    return value


def answered(value: Any) -> Any:
    """A row's value as the JSON answer carries it."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [answered(item) for item in value]
    if isinstance(value, enum.Enum):
        return value.value
    return value


@dataclass(frozen=True)
class Declared:
    """One importable resource as its tests use it: two good rows, one row that breaks one of
    its rules (with the field and code the job names), where its records are listed, and
    what of a record a row says (by default: the row's own fields)."""

    resource: str
    rows: tuple[Row, Row]
    broken: tuple[Row, str, str]
    listed: str = ""
    expect: Callable[[Row], dict[str, Any]] | None = None
    key: tuple[str, ...] = ()
    changed: Row = field(default_factory=dict)

    def __str__(self) -> str:
        return self.resource

    @property
    def collection(self) -> str:
        return self.listed or self.resource

    def expected(self, row: Row) -> dict[str, Any]:
        if self.expect is not None:
            return self.expect(row)
        return {name: answered(value) for name, value in row.items()}


def filled(template: bytes, rows: Sequence[Row]) -> bytes:
    """The template with `rows` typed under its two header rows, each in the column its
    field names (the second header row)."""
    import openpyxl  # type: ignore[import-untyped]

    book = openpyxl.load_workbook(io.BytesIO(template))
    sheet = book.worksheets[0]
    columns = {c.value: c.column for c in sheet[2]}
    for number, row in enumerate(rows, start=3):
        for name, value in row.items():
            sheet.cell(row=number, column=columns[name], value=cell(value))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def sheet(rows: Sequence[Row]) -> bytes:
    """A CSV of `rows` under a header of their field names (data from sheet row 2)."""
    names = list(dict.fromkeys(name for row in rows for name in row))
    return csv_file([names, *([cell(row.get(name, "")) for name in names] for row in rows)])


async def template(
    client: httpx.AsyncClient, api: str, resource: str, headers: dict[str, str]
) -> bytes:
    answer = await client.get(f"{api}/imports/templates/{resource}", headers=headers)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith(XLSX_MEDIA)
    return answer.content


async def imported(
    client: httpx.AsyncClient,
    api: str,
    declared: Declared,
    rows: Sequence[Row],
    headers: dict[str, str],
    **options: Any,
) -> dict[str, Any]:
    """The job of a CSV of `rows`, run to its end."""
    return await run(client, sheet(rows), headers, api=api, resource=declared.resource, **options)


async def records(
    client: httpx.AsyncClient, api: str, declared: Declared, headers: dict[str, str]
) -> list[dict[str, Any]]:
    answer = await client.get(f"{api}/{declared.collection}", headers=headers)
    assert answer.status_code == 200, answer.text
    items: list[dict[str, Any]] = answer.json()["items"]
    return items


def unmatched(
    declared: Declared, items: Sequence[Mapping[str, Any]], rows: Sequence[Row]
) -> list[dict[str, Any]]:
    """What the rows say that no record shows (each record showing one row at most)."""
    left = list(items)
    missing = []
    for row in rows:
        want = declared.expected(row)
        for index, item in enumerate(left):
            if all(item.get(name) == value for name, value in want.items()):
                del left[index]
                break
        else:
            missing.append(want)
    return missing
