"""What the tests of a service's declared imports share: its resources as rows a person would
type, the template filled with them, the records read back the way the API answers them."""

from __future__ import annotations

import datetime as dt
import enum
import io
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

import httpx
import pytest

from mtqg_shared.kit.importing import Importable
from tests import support
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
    # The field dating a one-commune record (which geography its commune is read in).
    dated: str = ""

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
    resource, name = declared.resource, f"{declared.resource}.csv"
    return await run(
        client, sheet(rows), headers, api=declared.api, resource=resource, name=name, **options
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


class DeclaredImports:
    """The checks every declared resource of a service meets. A service's test module
    subclasses it (`class TestGender(DeclaredImports)`) naming its `service`, its resources
    as `declared`, its `imports`, a commune `home` of its rows, one `elsewhere`, and an old
    commune (2025-01) that `home` took in, `old_home`; and, when some resource needs more
    than an officer or an admin, who imports it (`caller`)."""

    service: ClassVar[str] = ""
    declared: ClassVar[tuple[Declared, ...]] = ()
    imports: ClassVar[tuple[Importable, ...]] = ()
    home: ClassVar[str] = ""
    elsewhere: ClassVar[str] = ""
    old_home: ClassVar[str] = ""

    @pytest.fixture
    async def client(self, service_client: Any) -> AsyncIterator[httpx.AsyncClient]:
        async with service_client(self.service) as c:
            yield c

    def caller(self, resource: str, *areas: str) -> dict[str, str]:
        """Who imports and reads `resource`: an officer of `areas`, by default an admin."""
        if areas:
            return support.auth(subject="officer", roles=["officer"], areas=list(areas))
        return support.auth(subject="admin", roles=["admin"])

    async def prepare(self, client: httpx.AsyncClient, entry: Importable) -> None:
        """What must exist before the example row of `entry` can be imported (its parent)."""

    def pytest_generate_tests(self, metafunc: pytest.Metafunc) -> None:
        by_name = {
            "declared": self.declared,
            "keyed": tuple(d for d in self.declared if d.key),
            "keyless": tuple(d for d in self.declared if not d.key),
            "placed": tuple(d for d in self.declared if "commune_code" in d.key and d.dated),
            "ledger": tuple(d for d in self.declared if d.resource == "spending"),
        }
        for name, values in by_name.items():
            if name in metafunc.fixturenames:
                metafunc.parametrize(name, values, ids=str)
        if "entry" in metafunc.fixturenames:
            metafunc.parametrize("entry", self.imports, ids=lambda entry: entry.name)

    async def test_the_template_filled_and_sent_back_makes_the_records_it_lists(
        self, client: httpx.AsyncClient, declared: Declared
    ) -> None:
        """The template downloaded, two rows typed into it, sent back: done, and the list
        shows a record of each row with the row's values."""
        headers = self.caller(declared.resource)
        job = await filled_and_sent(client, declared.api, declared.resource, declared.rows, headers)
        assert (job["status"], job["errors"], job["created"]) == ("done", [], 2), job
        items = await records(client, declared, headers)
        assert len(items) == 2, items
        assert unmatched(declared, items, declared.rows) == [], items

    async def test_the_templates_example_row_is_a_row_the_import_takes(
        self, client: httpx.AsyncClient, entry: Importable
    ) -> None:
        api = self.declared[0].api
        headers = self.caller(entry.name)
        await self.prepare(client, entry)
        job = await filled_and_sent(
            client, api, entry.name, [entry.example], headers, mode="dry_run"
        )
        assert (job["status"], job["errors"], job["created"]) == ("done", [], 1), job

    async def test_a_row_that_breaks_a_rule_is_named_and_nothing_is_written(
        self, client: httpx.AsyncClient, declared: Declared
    ) -> None:
        headers = self.caller(declared.resource)
        row, field_name, code = declared.broken
        job = await imported(client, declared, [declared.rows[0], row], headers)
        assert job["status"] == "failed", job
        assert errors_of(job) == [(3, field_name, code)], job["errors"]
        assert await records(client, declared, headers) == []

    async def test_a_commune_officers_row_for_another_commune_is_refused(
        self, client: httpx.AsyncClient, declared: Declared
    ) -> None:
        mine = dict(declared.rows[0]) | {"commune_code": self.home}
        rows = [mine, mine | {"commune_code": self.elsewhere}]
        job = await imported(client, declared, rows, self.caller(declared.resource, self.home))
        assert job["status"] == "failed", job
        assert errors_of(job) == [(3, "commune_code", "not_in_your_areas")], job["errors"]
        assert await records(client, declared, self.caller(declared.resource)) == []

    async def test_a_row_naming_an_existing_record_by_its_key(
        self, client: httpx.AsyncClient, keyed: Declared
    ) -> None:
        """With changed values: refused (`exists`), skipped (the record unchanged), or the
        record updated at its next version."""
        headers = self.caller(keyed.resource)
        first = await imported(client, keyed, [keyed.rows[0]], headers)
        assert first["created"] == 1, first
        again = dict(keyed.rows[0]) | dict(keyed.changed)

        refused = await imported(client, keyed, [again], headers)
        assert refused["status"] == "failed", refused
        assert errors_of(refused) == [(2, keyed.key[0], "exists")], refused["errors"]
        skipped = await imported(client, keyed, [again], headers, on_existing="skip")
        assert (skipped["status"], skipped["skipped"], skipped["created"]) == ("done", 1, 0), (
            skipped
        )
        [kept] = await records(client, keyed, headers)
        assert unmatched(keyed, [kept], [keyed.rows[0]]) == [], kept

        updated = await imported(client, keyed, [again], headers, on_existing="update")
        assert (updated["status"], updated["updated"], updated["created"]) == ("done", 1, 0), (
            updated
        )
        [record] = await records(client, keyed, headers)
        assert (record["id"], record["version"]) == (kept["id"], kept["version"] + 1), record
        assert unmatched(keyed, [record], [again]) == [], record

    async def test_a_record_given_in_the_old_geography_is_named_as_it_was_given(
        self, client: httpx.AsyncClient, placed: Declared
    ) -> None:
        """The old commune is part of the new one; the sheet sent again names the record by
        the old code it gave, and finds it."""
        headers = self.caller(placed.resource)
        old = {"commune_code": self.old_home, "geography": "2025-01"}
        row = dict(placed.rows[0]) | old | {placed.dated: dt.date(2024, 5, 1)}
        first = await imported(client, placed, [row], headers)
        assert (first["status"], first["created"]) == ("done", 1), first
        again = await imported(client, placed, [row], headers, on_existing="skip")
        assert (again["status"], again["skipped"], again["created"]) == ("done", 1, 0), again
        [record] = await records(client, placed, headers)
        given = (record["commune_code"], record["legacy_commune_code"])
        assert given == (self.home, self.old_home), record

    async def test_a_reversal_row_cancels_an_entry_once(
        self, client: httpx.AsyncClient, ledger: Declared
    ) -> None:
        """A row naming an entry in `reverses` records its negative, as the correction a
        `POST` makes; the entry reversed again is that row's error, nothing written."""
        headers = self.caller(ledger.resource)
        first = await imported(client, ledger, [ledger.rows[0]], headers)
        assert (first["status"], first["created"]) == ("done", 1), first
        [entry] = await records(client, ledger, headers)
        on = ledger.rows[0]["on"] + dt.timedelta(days=3)
        reversal = {"reverses": entry["id"], "on": on, "note": "Nhập trùng chứng từ"}
        job = await imported(client, ledger, [reversal], headers)
        assert (job["status"], job["created"]) == ("done", 1), job
        items = await records(client, ledger, headers)
        [undone] = [item for item in items if item["reverses"] == entry["id"]]
        assert undone["amount_vnd"] == -entry["amount_vnd"], undone
        again = await imported(client, ledger, [ledger.rows[1], reversal], headers)
        assert again["status"] == "failed", again
        assert [(row, code) for row, _, code in errors_of(again)] == [(3, "duplicate")], again
        assert len(await records(client, ledger, headers)) == 2

    async def test_a_resource_without_a_natural_key_makes_a_record_of_every_row(
        self, client: httpx.AsyncClient, keyless: Declared
    ) -> None:
        """And `on_existing=update` is refused up front."""
        headers = self.caller(keyless.resource)
        for _ in range(2):
            job = await imported(client, keyless, [keyless.rows[0]], headers)
            assert (job["status"], job["created"]) == ("done", 1), job
        assert len(await records(client, keyless, headers)) == 2
        answer = await upload(
            client,
            sheet(keyless.rows),
            headers,
            api=keyless.api,
            resource=keyless.resource,
            on_existing="update",
        )
        assert answer.status_code == 422, answer.text
        assert len(await records(client, keyless, headers)) == 2


async def resources(client: httpx.AsyncClient, api: str, headers: dict[str, str]) -> Any:
    answer = await client.get(f"{api}/imports/resources", headers=headers)
    assert answer.status_code == 200, answer.text
    assert answer.json()["next_cursor"] is None
    return answer.json()["items"]
