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

from mtqg_shared.kit.importing import Importable
from tests.imports.helpers import XLSX_MEDIA, csv_file, errors_of, run, upload

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

    api: str
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
    declared: Declared,
    rows: Sequence[Row],
    headers: dict[str, str],
    **options: Any,
) -> dict[str, Any]:
    """The job of a CSV of `rows`, run to its end."""
    return await run(
        client, sheet(rows), headers, api=declared.api, resource=declared.resource, **options
    )


async def records(
    client: httpx.AsyncClient, declared: Declared, headers: dict[str, str]
) -> list[dict[str, Any]]:
    answer = await client.get(f"{declared.api}/{declared.collection}", headers=headers)
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


# What every declared resource is checked for (each service's test module parametrizes them).


async def filled_and_sent(
    client: httpx.AsyncClient,
    api: str,
    resource: str,
    rows: Sequence[Row],
    headers: dict[str, str],
    **options: Any,
) -> dict[str, Any]:
    """The resource's template downloaded, `rows` typed into it, sent back: the job."""
    content = filled(await template(client, api, resource, headers), rows)
    name, media = f"{resource}.xlsx", XLSX_MEDIA
    return await run(
        client, content, headers, api=api, resource=resource, name=name, media=media, **options
    )


async def check_example(
    client: httpx.AsyncClient, api: str, entry: Importable, headers: dict[str, str]
) -> None:
    """The example row the template's notes show is a row the import takes as it is."""
    job = await filled_and_sent(client, api, entry.name, [entry.example], headers, mode="dry_run")
    assert (job["status"], job["errors"], job["created"]) == ("done", [], 1), job


async def check_template_round_trip(
    client: httpx.AsyncClient, declared: Declared, headers: dict[str, str]
) -> None:
    """The template downloaded, the two rows typed into it, sent back: done, and the list
    shows a record of each row with the row's values."""
    job = await filled_and_sent(client, declared.api, declared.resource, declared.rows, headers)
    assert (job["status"], job["errors"], job["created"]) == ("done", [], 2), job
    items = await records(client, declared, headers)
    assert len(items) == 2
    assert unmatched(declared, items, declared.rows) == [], items


async def check_broken_rule(
    client: httpx.AsyncClient, declared: Declared, headers: dict[str, str]
) -> None:
    """A good row then one breaking a rule: that row, field and code, and nothing written."""
    row, field_name, code = declared.broken
    job = await imported(client, declared, [declared.rows[0], row], headers)
    assert job["status"] == "failed", job
    assert errors_of(job) == [(3, field_name, code)], job["errors"]
    assert await records(client, declared, headers) == []


async def check_area_rule(
    client: httpx.AsyncClient,
    declared: Declared,
    *,
    home: str,
    elsewhere: str,
    officer: dict[str, str],
    reader: dict[str, str],
) -> None:
    """A commune officer's rows: one for its commune, one for another: refused by row."""
    mine = dict(declared.rows[0]) | {"commune_code": home}
    job = await imported(client, declared, [mine, mine | {"commune_code": elsewhere}], officer)
    assert job["status"] == "failed", job
    assert errors_of(job) == [(3, "commune_code", "not_in_your_areas")], job["errors"]
    assert await records(client, declared, reader) == []


async def check_natural_key(
    client: httpx.AsyncClient, declared: Declared, headers: dict[str, str]
) -> None:
    """A row naming an existing record by its key, with changed values: refused
    (`exists`), skipped (the record unchanged), or the record updated at its next version."""
    first = await imported(client, declared, [declared.rows[0]], headers)
    assert first["created"] == 1, first
    again = dict(declared.rows[0]) | dict(declared.changed)

    refused = await imported(client, declared, [again], headers)
    assert refused["status"] == "failed", refused
    assert errors_of(refused) == [(2, declared.key[0], "exists")], refused["errors"]
    skipped = await imported(client, declared, [again], headers, on_existing="skip")
    assert (skipped["status"], skipped["skipped"], skipped["created"]) == ("done", 1, 0), skipped
    [kept] = await records(client, declared, headers)
    assert unmatched(declared, [kept], [declared.rows[0]]) == [], kept

    updated = await imported(client, declared, [again], headers, on_existing="update")
    assert (updated["status"], updated["updated"], updated["created"]) == ("done", 1, 0), updated
    [record] = await records(client, declared, headers)
    assert (record["id"], record["version"]) == (kept["id"], kept["version"] + 1)
    assert unmatched(declared, [record], [again]) == [], record


async def check_no_natural_key(
    client: httpx.AsyncClient, declared: Declared, headers: dict[str, str]
) -> None:
    """Without a natural key every row is a new record, and `update` is refused up front."""
    for _ in range(2):
        job = await imported(client, declared, [declared.rows[0]], headers)
        assert (job["status"], job["created"]) == ("done", 1), job
    assert len(await records(client, declared, headers)) == 2
    answer = await upload(
        client,
        sheet(declared.rows),
        headers,
        api=declared.api,
        resource=declared.resource,
        on_existing="update",
    )
    assert answer.status_code == 422, answer.text
    assert len(await records(client, declared, headers)) == 2


async def resources(client: httpx.AsyncClient, api: str, headers: dict[str, str]) -> Any:
    answer = await client.get(f"{api}/imports/resources", headers=headers)
    assert answer.status_code == 200, answer.text
    assert answer.json()["next_cursor"] is None
    return answer.json()["items"]
