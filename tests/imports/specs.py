"""What every service's import tests check of its declared resources, written once: each
test file says its resources (`Spec`) and calls these."""

from __future__ import annotations

import io
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

import httpx
import openpyxl  # type: ignore[import-untyped]

from tests import support
from tests.imports.helpers import XLSX_MEDIA, csv_file, errors_of, run

Row = dict[str, Any]


@dataclass(frozen=True)
class Spec:
    """One importable resource as its tests meet it."""

    resource: str
    natural_key: tuple[str, ...]
    # A good row by field name (each call a new record: keys never repeat), after making
    # what it needs (its worker, its project) through the API.
    row: Callable[[httpx.AsyncClient], Awaitable[Row]]
    # The record a row made, as its GET reads it, or None.
    find: Callable[[httpx.AsyncClient, Row], Awaitable[Row | None]]
    # One rule of the resource's own create: the cells that break it, the field, the code.
    broken: Row
    field: str | None
    code: str
    # A field the PATCH changes, for on_existing=update (keyed resources).
    changed: tuple[str, Any] | None = None
    # Columns that name a parent rather than a field of the record (its find reads by them).
    via: tuple[str, ...] = ()


def capital_plan_spec(api: str, project: str) -> Spec:
    """A service's capital plans (kit.capital): no natural key, every row a new plan; a zero
    amount is the broken rule."""

    async def row(client: httpx.AsyncClient) -> Row:
        return {
            "year": 2026,
            "project_code": project,
            "area_code": "15",
            "capital_type": "investment",
            "source": "central_budget",
            "amount_vnd": 3_500_000_000,
            "decision_number": f"{uuid.uuid4().hex[:8]}/QĐ-UBND",
            "decision_on": "2026-02-10",
        }

    async def find(client: httpx.AsyncClient, row: Row) -> Row | None:
        answer = await client.get(
            f"{api}/capital-plans", params={"limit": 200}, headers=support.auth()
        )
        assert answer.status_code == 200, answer.text
        named = [
            p for p in answer.json()["items"] if p["decision_number"] == row["decision_number"]
        ]
        return named[0] if named else None

    return Spec("capital-plans", (), row, find, {"amount_vnd": 0}, "amount_vnd", "not_zero")


async def job(
    client: httpx.AsyncClient,
    resource: str,
    rows: Sequence[Row],
    headers: dict[str, str] | None = None,
    *,
    api: str,
    **options: Any,
) -> dict[str, Any]:
    """`rows` (by field name) as a CSV upload of `resource` (by a province admin unless
    `headers` say who), run to its end."""
    columns = sorted({name for row in rows for name in row})
    lines = [columns, *([_cell(row.get(name, "")) for name in columns] for row in rows)]
    return await run(
        client,
        csv_file(lines),
        headers or support.auth(),
        resource=resource,
        name=f"{resource}.csv",
        api=api,
        **options,
    )


def _cell(value: Any) -> Any:
    return ";".join(value) if isinstance(value, list) else value


def same_values(spec: Spec, row: Row, read: Row) -> None:
    for name, value in row.items():
        if name not in spec.via:
            assert str(read[name]) == str(value), (name, read[name], value)


async def counts(client: httpx.AsyncClient) -> dict[str, int]:
    """Rows of every table of the service but its jobs and stored answers (its records, their
    audit rows and changes): what "nothing written" is measured by."""
    from sqlalchemy import func, select

    entries = client.app.state.imports  # type: ignore[attr-defined]
    metadata = next(iter(entries.values())).resource.model.metadata
    skip = {"import_jobs", "idempotency_keys"}
    db = client.app.state.db  # type: ignore[attr-defined]
    out: dict[str, int] = {}
    async with db.session() as session:
        for table in metadata.sorted_tables:
            if table.name not in skip:
                count = await session.scalar(select(func.count()).select_from(table))
                out[table.name] = int(count or 0)
    return out


async def resources(client: httpx.AsyncClient, api: str, headers: dict[str, str]) -> list[Row]:
    answer = await client.get(f"{api}/imports/resources", headers=headers)
    assert answer.status_code == 200, answer.text
    items: list[Row] = answer.json()["items"]
    return items


async def template_round_trip(
    client: httpx.AsyncClient, api: str, spec: Spec, reader: dict[str, str], writer: dict[str, str]
) -> None:
    """The resource's template downloaded, a row filled under its field names, uploaded: the
    job is done and the record's GET answers the row's values."""
    answer = await client.get(f"{api}/imports/templates/{spec.resource}", headers=reader)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == XLSX_MEDIA
    book = openpyxl.load_workbook(io.BytesIO(answer.content))
    sheet = book.worksheets[0]
    names = [cell.value for cell in sheet[2]]
    row = await spec.row(client)
    assert set(row) <= set(names)
    sheet.append([_cell(row.get(name)) for name in names])
    out = io.BytesIO()
    book.save(out)
    done = await run(
        client, out.getvalue(), writer, resource=spec.resource, name="filled.xlsx", api=api
    )
    assert (done["status"], done["created"], done["errors"]) == ("done", 1, []), done
    read = await spec.find(client, row)
    assert read is not None
    same_values(spec, row, read)


async def broken_rule(
    client: httpx.AsyncClient, api: str, spec: Spec, writer: dict[str, str]
) -> None:
    """A good row and a row breaking the rule: the second row's error, and nothing written."""
    good, bad = await spec.row(client), await spec.row(client)
    before = await counts(client)
    failed = await job(client, spec.resource, [good, bad | spec.broken], writer, api=api)
    assert failed["status"] == "failed", failed
    assert errors_of(failed) == [(3, spec.field, spec.code)]
    assert failed["errors"][0]["message"]
    assert await counts(client) == before
    assert await spec.find(client, good) is None


async def on_existing(
    client: httpx.AsyncClient, api: str, spec: Spec, writer: dict[str, str]
) -> None:
    """A row whose key names a record: `error` refuses it, `skip` leaves the record as it is,
    `update` applies the row's PATCH fields at its current version."""
    row = await spec.row(client)
    first = await job(client, spec.resource, [row], writer, api=api)
    assert first["status"] == "done", first
    assert spec.changed is not None
    name, value = spec.changed
    again = row | {name: value}
    refused = await job(client, spec.resource, [again], writer, api=api)
    assert refused["status"] == "failed"
    assert errors_of(refused) == [(2, spec.natural_key[0], "exists")]
    skipped = await job(client, spec.resource, [again], writer, api=api, on_existing="skip")
    assert (skipped["status"], skipped["skipped"], skipped["created"]) == ("done", 1, 0)
    kept = await spec.find(client, row)
    assert kept is not None and kept["version"] == 1 and str(kept[name]) != str(value)
    updated = await job(client, spec.resource, [again], writer, api=api, on_existing="update")
    assert (updated["status"], updated["updated"], updated["created"]) == ("done", 1, 0), updated
    changed = await spec.find(client, row)
    assert changed is not None and changed["version"] == 2
    same_values(spec, again, changed)


async def no_update(
    client: httpx.AsyncClient, api: str, resource: str, row: Row, writer: dict[str, str]
) -> None:
    """A resource without a PATCH refuses on_existing=update at the upload (422)."""
    answer = await client.post(
        f"{api}/imports",
        data={"resource": resource, "mode": "commit", "on_existing": "update"},
        files={"file": ("rows.csv", csv_file([list(row), list(row.values())]), "text/csv")},
        headers=writer,
    )
    assert answer.status_code == 422, answer.text
