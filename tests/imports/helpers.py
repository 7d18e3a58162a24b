"""Files and calls the import tests share: CSV and XLSX built in the test, uploads, jobs."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from typing import Any

import httpx

from mtqg_shared.imports.runner import Runner

API = "/api/v1/housing"
XLSX_MEDIA = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

CASE_COLUMNS = (
    "household_code",
    "head_of_household",
    "commune_code",
    "beneficiary_group",
    "support_type",
    "registered_on",
)


def csv_file(rows: Iterable[Sequence[Any]], *, delimiter: str = ",", bom: bool = False) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(row)
    text = out.getvalue()
    return (("\ufeff" if bom else "") + text).encode("utf-8")


def xlsx_file(rows: Iterable[Sequence[Any]]) -> bytes:
    """A workbook whose first sheet holds `rows` from A1: numbers as numbers, dates as dates."""
    import xlsxwriter  # type: ignore[import-untyped]

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_numbers": False})
    sheet = book.add_worksheet("data")
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is None or value == "":
                continue
            if isinstance(value, dt.date):
                sheet.write_datetime(r, c, dt.datetime.combine(value, dt.time()), day)
            elif isinstance(value, int | float):
                sheet.write_number(r, c, value)
            else:
                sheet.write_string(r, c, str(value))
    book.close()
    return out.getvalue()


async def upload(
    client: httpx.AsyncClient,
    content: bytes,
    headers: dict[str, str],
    *,
    resource: str = "cases",
    mode: str = "commit",
    on_existing: str | None = None,
    name: str = "cases.csv",
    media: str = "text/csv",
    extra: dict[str, str] | None = None,
    api: str = API,
) -> httpx.Response:
    data = {"resource": resource, "mode": mode, **(extra or {})}
    if on_existing is not None:
        data["on_existing"] = on_existing
    return await client.post(
        f"{api}/imports", data=data, files={"file": (name, content, media)}, headers=headers
    )


def runner(client: httpx.AsyncClient) -> Runner:
    found: Runner = client.app.state.import_runner  # type: ignore[attr-defined]
    return found


async def run(
    client: httpx.AsyncClient, content: bytes, headers: dict[str, str], **options: Any
) -> dict[str, Any]:
    """Upload, run the queued job to its end, and answer the job as GET reads it."""
    sent = await upload(client, content, headers, **options)
    assert sent.status_code == 202, sent.text
    await runner(client).drain()
    read = await client.get(sent.headers["location"], headers=headers)
    assert read.status_code == 200, read.text
    job: dict[str, Any] = read.json()
    return job


async def counts(client: httpx.AsyncClient) -> dict[str, int]:
    """Rows of the housing tables an import writes: what "nothing written" is measured by."""
    from sqlalchemy import func, select

    from housing.models import Case, FundingEntry, Norm, audit_log, changes

    db = client.app.state.db  # type: ignore[attr-defined]
    out: dict[str, int] = {}
    async with db.session() as session:
        for name, table in (
            ("cases", Case.__table__),
            ("funding", FundingEntry.__table__),
            ("norms", Norm.__table__),
            ("audit", audit_log),
            ("changes", changes),
        ):
            out[name] = int(await session.scalar(select(func.count()).select_from(table)) or 0)
    return out


def errors_of(job: dict[str, Any]) -> list[tuple[int, str | None, str]]:
    return [(e["row"], e["field"], e["code"]) for e in job["errors"]]
