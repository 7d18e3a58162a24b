"""`format=csv|xlsx` on every collection `GET` and every report `GET` (API.md section 10), as
one pure-ASGI layer of the app factory, so a new resource is exported with no code of its own.

**What is exported.** The layer finds the route the request matches and its `response_model`:
a `Page[X]` (`items`, `next_cursor`) is a collection; any other model of a route under
`/reports/`, or one with `rows`, is a report. `format` on any other `GET` (one record, the
vocabulary, the change feed) is 422 naming `format`, and an unknown value is 422.

**How.** The layer takes `format` off the query and calls the very same JSON route in the
process (`mtqg_shared.inprocess`), page after page with `limit=PAGE_LIMIT` and the previous
page's `cursor`, carrying the caller's `Authorization` and `Accept-Language`: area scoping,
masking, filters and the sensitive-read log (as action `export`) are the JSON answer's. A first
page that is not 200 (a bad filter, 401, 403, 404) is sent on as it is, a problem+json, never a
file. An export is the whole collection, so `limit` and `cursor` with `format` are 422.

**Columns** come from the response model, not from the data (an empty export still has its
header row): the item's fields in order, nested models as dotted columns
(`funding_vnd.central`), lists of scalars joined with "; ", anything else (maps keyed by data,
lists of objects, a field whose schema says `x-one-cell`: `schemas.ONE_CELL`) as JSON text.
Headers are `mtqg_shared.labels.label(service, path, language)` in the answer's language. Enum
cells hold the JSON value (what every other system reads, and what the import takes as readily
as the label; the words are the service's `/vocabulary`). A report gives its `rows`, then one
row of its `totals`; a first column (`Dòng`/`Row`) is empty on the rows and says `Tổng
cộng`/`Total` on the totals row (a row's first field is data, e.g. the unit's code, so it is
never overwritten). A report without `rows` is its scalar part as one row; in xlsx each list of
objects inside it (`zones_by_crop`, ...) is a sheet of its own.

**CSV** is UTF-8 with a BOM, RFC 4180 quoting (`\\r\\n`, fields quoted when needed), sent page
by page as the pages are read: memory stays one page whatever the size. **XLSX** is written by
xlsxwriter in `constant_memory` mode to a temporary file, then streamed out: integers (integer
VND: at most 10^15, exact in a double) as numbers, dates and datetimes (UTC) as Excel dates
with a date format, booleans as booleans; a bold, frozen header row and column widths. More
than `MAX_XLSX_ROWS` data rows is 422, known before the answer starts. **Formula guard**: a
text cell beginning with `=`, `+`, `-` or `@` gets a leading `'` in both (numbers are not text).
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import enum
import io
import json
import os
import re
import tempfile
import types
import typing
import uuid
from collections.abc import AsyncGenerator, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import parse_qsl, quote, urlencode
from zoneinfo import ZoneInfo

import anyio
from fastapi import FastAPI
from fastapi.routing import APIRoute
from pydantic import BaseModel
from starlette.background import BackgroundTask
from starlette.responses import FileResponse, Response
from starlette.routing import Match
from starlette.types import ASGIApp, Receive, Scope, Send

from mtqg_shared.errors import Problem, field_error, request_language
from mtqg_shared.inprocess import call, request_scope
from mtqg_shared.kit.sensitive import READ_VIA
from mtqg_shared.labels import label
from mtqg_shared.messages import msg
from mtqg_shared.middleware import send_problem
from mtqg_shared.schemas import is_one_cell
from mtqg_shared.strict import query_names

FORMATS = ("csv", "xlsx")
CSV_MEDIA = "text/csv; charset=utf-8"
XLSX_MEDIA = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The largest page every list takes (mtqg_shared.pagination: 1-200).
PAGE_LIMIT = 200
# Excel's own limit is 1,048,576 rows a sheet; the contract's is a round million.
MAX_XLSX_ROWS = 1_000_000
# What an export is named by: the day in Lào Cai.
_LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
_FORMULA_START = ("=", "+", "-", "@")
_PASSED_ON = frozenset({b"authorization", b"accept-language", b"x-request-id", b"host"})
_CHUNK = 64 * 1024

Kind = Literal["int", "float", "bool", "date", "datetime", "text", "list", "json"]


@dataclass(frozen=True, slots=True)
class Column:
    """One column: where its value lies in an item's JSON and what kind of cell it makes."""

    path: tuple[str, ...]
    kind: Kind

    @property
    def name(self) -> str:
        return ".".join(self.path)


@dataclass(frozen=True, slots=True)
class Sheet:
    """A list of objects inside a report without `rows`: a sheet of its own in xlsx."""

    path: tuple[str, ...]
    columns: tuple[Column, ...]
    keyed: bool = False


@dataclass(frozen=True, slots=True)
class Shape:
    """What a route's answer exports as: `collection` (pages of `items`), `rows` (a report's
    rows and totals) or `single` (a report's one row, and its `sheets`)."""

    kind: Literal["collection", "rows", "single"]
    columns: tuple[Column, ...]
    totals: bool = False
    sheets: tuple[Sheet, ...] = ()
    # A collection whose route pages (`limit`, `cursor`); one that answers all its items at
    # once (the import resources) is read once.
    paged: bool = True


def _unwrap(annotation: Any) -> Any:
    """`X | None` is X."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        kept = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(kept) == 1:
            return _unwrap(kept[0])
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    return annotation


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _scalar_kind(annotation: Any) -> Kind | None:
    if annotation is bool:
        return "bool"
    if isinstance(annotation, type):
        if issubclass(annotation, enum.Enum) or issubclass(annotation, str | uuid.UUID):
            return "text"
        if issubclass(annotation, bool):
            return "bool"
        if issubclass(annotation, int):
            return "int"
        if issubclass(annotation, float):
            return "float"
        if issubclass(annotation, dt.datetime):
            return "datetime"
        if issubclass(annotation, dt.date):
            return "date"
    if typing.get_origin(annotation) is Literal:
        return "text"
    return None


def _list_item(annotation: Any) -> Any | None:
    if typing.get_origin(annotation) in (list, tuple, set, frozenset, Sequence):
        args = typing.get_args(annotation)
        return _unwrap(args[0]) if args else Any
    return None


def columns_of(model: type[BaseModel], prefix: tuple[str, ...] = ()) -> list[Column]:
    """The columns of `model`'s JSON: fields in order, nested models dotted."""
    found: list[Column] = []
    for name, info in model.model_fields.items():
        path = (*prefix, info.serialization_alias or info.alias or name)
        annotation = _unwrap(info.annotation)
        if is_one_cell(info.json_schema_extra):
            found.append(Column(path, "json"))
            continue
        if _is_model(annotation):
            found.extend(columns_of(annotation, path))
            continue
        kind = _scalar_kind(annotation)
        if kind is None:
            item = _list_item(annotation)
            kind = "list" if item is not None and _scalar_kind(item) is not None else "json"
        found.append(Column(path, kind))
    return found


def _field_model(model: type[BaseModel], name: str) -> tuple[Any, Any] | None:
    info = model.model_fields.get(name)
    if info is None:
        return None
    annotation = _unwrap(info.annotation)
    return annotation, _list_item(annotation)


def shape_of(route: APIRoute) -> Shape | None:
    """What `route` exports as, or None when it is neither a collection nor a report."""
    if "GET" not in (route.methods or ()) or "changes" in route.tags:
        return None  # the change feed (kit.changes) is followed, not exported
    model = _unwrap(route.response_model)
    if not _is_model(model):
        return None
    items = _field_model(model, "items")
    if items is not None and "next_cursor" in model.model_fields and _is_model(items[1]):
        paged = "limit" in query_names(route.dependant)
        return Shape("collection", tuple(columns_of(items[1])), paged=paged)
    rows = _field_model(model, "rows")
    if rows is not None and _is_model(rows[1]):
        totals = _field_model(model, "totals")
        return Shape("rows", tuple(columns_of(rows[1])), totals=totals is not None)
    if "/reports/" not in route.path_format:
        return None
    scalar: list[Column] = []
    sheets: list[Sheet] = []
    for column in columns_of(model):
        sheet = _sheet_at(model, column.path)
        if sheet is not None:
            sheets.append(sheet)
        scalar.append(column)
    return Shape("single", tuple(scalar), sheets=tuple(sheets))


def _sheet_at(model: type[BaseModel], path: tuple[str, ...]) -> Sheet | None:
    """A list of objects, or a map keyed by data (`zones_by_crop`, `remittances_by_country`),
    at `path`: a sheet of its own, a map's key in its first column."""
    current: Any = model
    for name in path[:-1]:
        found = _field_model(current, name)
        if found is None:
            return None
        current = found[0]
    found = _field_model(current, path[-1])
    if found is None:
        return None
    annotation, item = found
    if _is_model(item):
        return Sheet(path, tuple(columns_of(item)))
    if typing.get_origin(annotation) is dict:
        args = typing.get_args(annotation)
        value: Any = _unwrap(args[1]) if len(args) == 2 else Any
        key = Column(("key",), "text")
        if _is_model(value):
            return Sheet(path, (key, *columns_of(value)), keyed=True)
        return Sheet(path, (key, Column(("value",), _scalar_kind(value) or "json")), keyed=True)
    return None


def sheet_items(sheet: Sheet, body: Any) -> Iterable[Any]:
    """The items of `sheet` in a report's answer."""
    found = value_at(body, sheet.path)
    if not sheet.keyed:
        yield from found or ()
        return
    for key, value in (found or {}).items():
        yield {"key": key, **value} if isinstance(value, dict) else {"key": key, "value": value}


# --- cells -------------------------------------------------------------------------------


def value_at(item: Any, path: Sequence[str]) -> Any:
    for name in path:
        if not isinstance(item, dict):
            return None
        item = item.get(name)
    return item


def guarded(text: str) -> str:
    """A text a spreadsheet would run as a formula is shown as text."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def _text(column: Column, value: Any) -> str:
    if column.kind == "list" and isinstance(value, list):
        return "; ".join("" if v is None else str(v) for v in value)
    if column.kind in ("list", "json") or isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return str(value)


def csv_cell(column: Column, value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return value
    return guarded(_text(column, value))


# --- the layer ---------------------------------------------------------------------------


def api_routes(app: FastAPI) -> list[APIRoute]:
    """Every `APIRoute` of `app`, those of its included routers too (FastAPI keeps an included
    router whole, as one route; its routes carry their full paths: every router here has its
    own prefix)."""
    found: list[APIRoute] = []
    for route in app.router.routes:
        if isinstance(route, APIRoute):
            found.append(route)
            continue
        contexts = getattr(route, "effective_route_contexts", None)
        if contexts is not None:
            found.extend(
                c.original_route for c in contexts() if isinstance(c.original_route, APIRoute)
            )
    return found


def _route_of(app: FastAPI, scope: Scope) -> APIRoute | None:
    routes: list[APIRoute] | None = app.state.__dict__.get("_export_routes")
    if routes is None:
        routes = app.state._export_routes = [
            r for r in api_routes(app) if "GET" in (r.methods or ())
        ]
    for route in routes:
        matched, _ = route.matches(scope)
        if matched is Match.FULL:
            return route
    return None


def own_format(route: APIRoute) -> bool:
    """Whether the route takes a `format` of its own, a filter of its records."""
    return "format" in query_names(route.dependant)


def _shape(app: FastAPI, route: APIRoute) -> Shape | None:
    shapes: dict[int, Shape | None] = app.state.__dict__.setdefault("_export_shapes", {})
    key = id(route)
    if key not in shapes:
        shapes[key] = shape_of(route)
    return shapes[key]


def file_name(route: APIRoute, extension: str) -> str:
    """`housing-cases-2026-12-02.csv`: the route's path after /api/v1/, without its
    parameters, and the day in Lào Cai."""
    parts = [p for p in route.path_format.split("/")[3:] if p and not p.startswith("{")]
    today = dt.datetime.now(_LOCAL).date().isoformat()
    return f"{'-'.join(parts) or 'export'}-{today}.{extension}"


def file_headers(name: str, media: str, language: str) -> list[tuple[bytes, bytes]]:
    """The headers of an exported file: its type, its name, its language, never cached."""
    return [
        (b"content-type", media.encode()),
        (b"content-disposition", disposition(name).encode()),
        (b"content-language", language.encode()),
        (b"vary", b"Accept-Language"),
        (b"cache-control", b"no-store"),
    ]


async def workbook_answer(fill: Callable[[XlsxBook], None], name: str, language: str) -> Response:
    """A workbook a route writes itself (`fill` adds its sheets): written to a temporary file
    in a worker thread, so the event loop goes on serving, and sent from it; the file is
    removed once sent."""
    handle, path = tempfile.mkstemp(suffix=".xlsx", prefix="mtqg-export-")
    os.close(handle)

    def write() -> None:
        book = XlsxBook(path)
        try:
            fill(book)
            book.close()
        finally:
            book.abandon()

    try:
        await anyio.to_thread.run_sync(write)
    except BaseException:
        os.unlink(path)
        raise
    headers = {k.decode(): v.decode() for k, v in file_headers(name, XLSX_MEDIA, language)}
    return FileResponse(
        path, headers=headers, media_type=XLSX_MEDIA, background=BackgroundTask(os.unlink, path)
    )


def disposition(name: str) -> str:
    """RFC 6266: an ASCII `filename` and the exact one as RFC 5987 `filename*`."""
    plain = re.sub(r"[^A-Za-z0-9._-]", "_", name)
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(name, safe='')}"


class Exports:
    """The layer: put it under the compression layer (so a CSV is compressed as it streams)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] != "GET"
            or b"format" not in scope.get("query_string", b"")
        ):
            await self.app(scope, receive, send)
            return
        query = parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True)
        chosen = [value for name, value in query if name == "format"]
        app = scope.get("app")
        route = _route_of(app, scope) if isinstance(app, FastAPI) and chosen else None
        if route is None or not isinstance(app, FastAPI):
            await self.app(scope, receive, send)  # not ours: the route says what it says
            return
        shape = _shape(app, route)
        if shape is None and own_format(route):
            # A view that makes its own file (the gateway's overview workbook).
            await self.app(scope, receive, send)
            return
        if shape is None:
            await send_problem(scope, send, _refused("format", "export_not_here"))
            return
        if own_format(route) and not (len(chosen) == 1 and chosen[0] in FORMATS):
            # The route's own `format` (gender's materials: leaflet, poster, ...) is its filter.
            await self.app(scope, receive, send)
            return
        if len(chosen) != 1 or chosen[0] not in FORMATS:
            problem = Problem(
                422,
                errors=[field_error("query.format", "invalid_choice.one_of", expected="csv, xlsx")],
            )
            await send_problem(scope, send, problem)
            return
        paged = sorted({n for n, _ in query if n in ("limit", "cursor")})
        if paged and shape.kind == "collection":
            await send_problem(scope, send, _refused(paged[0], "export_paged"))
            return
        rest = [(n, v) for n, v in query if n != "format"]
        export = Export(self.app, scope, route, shape, rest)
        if chosen[0] == "csv":
            await export.csv(send)
        else:
            await export.xlsx(send)


def _refused(name: str, key: str) -> Problem:
    return Problem(422, msg(key), errors=[field_error(f"query.{name}", "unknown_field.parameter")])


@dataclass
class _Failed(Exception):
    """A page that was not 200: the answer to send on as it is."""

    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes


@dataclass
class Export:
    """One export: its pages read through the route, and the file made of them."""

    inner: ASGIApp
    scope: Scope
    route: APIRoute
    shape: Shape
    query: list[tuple[str, str]]
    language: str = ""
    service: str = ""
    pages: int = field(default=0)

    def __post_init__(self) -> None:
        self.language = request_language(self.scope)
        app = self.scope.get("app")
        self.service = str(getattr(getattr(app, "state", None), "service_name", ""))
        self.headers = [
            (b"accept", b"application/json"),
            *((k, v) for k, v in self.scope["headers"] if k in _PASSED_ON),
        ]

    # The answers the file is made of.

    async def _read(self, query: list[tuple[str, str]]) -> Any:
        scope = request_scope(
            self.scope,
            method="GET",
            path=self.scope["path"],
            raw_path=self.scope.get("raw_path"),
            query=urlencode(query).encode(),
            headers=self.headers,
            root_path=self.scope.get("root_path", ""),
            state={**self.scope.get("state", {}), READ_VIA: "export"},
        )
        answer = await call(self.inner, scope)
        if answer.status != 200:
            raise _Failed(answer.status, answer.headers, answer.body)
        self.pages += 1
        return json.loads(answer.body)

    async def bodies(self) -> AsyncGenerator[Any, None]:
        """Each page's JSON (a report: its one answer)."""
        if self.shape.kind != "collection" or not self.shape.paged:
            yield await self._read(self.query)
            return
        cursor: str | None = None
        while True:
            query = [*self.query, ("limit", str(PAGE_LIMIT))]
            if cursor is not None:
                query.append(("cursor", cursor))
            page = await self._read(query)
            yield page
            cursor = page.get("next_cursor")
            if not cursor or not page.get("items"):
                return

    def rows(self, body: Any) -> Iterable[tuple[str | None, Any]]:
        """A page's rows as (marker, item): the marker is the totals row's word."""
        if self.shape.kind == "collection":
            for item in body.get("items") or ():
                yield None, item
        elif self.shape.kind == "rows":
            for item in body.get("rows") or ():
                yield None, item
            if self.shape.totals and body.get("totals") is not None:
                yield msg("export_total").render(self.language), body["totals"]
        else:
            yield None, body

    def header(self, columns: Iterable[Column], prefix: tuple[str, ...] = ()) -> list[str]:
        marker = [msg("export_row").render(self.language)] if self._marked(prefix) else []
        row = self.shape.kind == "rows" and not prefix
        return marker + [self._label((*prefix, *c.path), row=row) for c in columns]

    def _marked(self, prefix: tuple[str, ...]) -> bool:
        return not prefix and self.shape.totals

    def _label(self, path: tuple[str, ...], *, row: bool = False) -> str:
        # Every column has its header (tests/shared/test_labels.py walks every export).
        return label(self.service, ".".join(path), self.language, row=row)

    def _headers(self, media: str, extension: str) -> list[tuple[bytes, bytes]]:
        return file_headers(file_name(self.route, extension), media, self.language)

    async def _send_failed(self, send: Send, failed: _Failed) -> None:
        await send(
            {"type": "http.response.start", "status": failed.status, "headers": failed.headers}
        )
        await send({"type": "http.response.body", "body": failed.body})

    # CSV: streamed as the pages are read.

    async def csv(self, send: Send) -> None:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(self.header(self.shape.columns))
        started = False
        pages = self.bodies()
        try:
            async for body in pages:
                for marker, item in self.rows(body):
                    cells = [csv_cell(c, value_at(item, c.path)) for c in self.shape.columns]
                    writer.writerow(([marker or ""] if self.shape.totals else []) + cells)
                chunk = buffer.getvalue().encode()
                buffer.seek(0)
                buffer.truncate()
                if not started:
                    started = True
                    await send(
                        {
                            "type": "http.response.start",
                            "status": 200,
                            "headers": self._headers(CSV_MEDIA, "csv"),
                        }
                    )
                    chunk = "\ufeff".encode() + chunk
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
        except _Failed as failed:
            if started:
                raise RuntimeError("a page of an export failed after the answer began") from None
            await self._send_failed(send, failed)
            return
        finally:
            await pages.aclose()
        await send({"type": "http.response.body", "body": b""})

    # XLSX: written to a temporary file (constant memory), counted, then streamed.

    async def xlsx(self, send: Send) -> None:
        handle, path = tempfile.mkstemp(suffix=".xlsx", prefix="mtqg-export-")
        os.close(handle)
        try:
            try:
                count = await self._workbook(path)
            except _Failed as failed:
                await self._send_failed(send, failed)
                return
            if count > MAX_XLSX_ROWS:
                problem = Problem(422, msg("export_too_many_rows", limit=MAX_XLSX_ROWS))
                await send_problem(self.scope, send, problem)
                return
            size = (await anyio.Path(path).stat()).st_size
            headers = [*self._headers(XLSX_MEDIA, "xlsx"), (b"content-length", str(size).encode())]
            await send({"type": "http.response.start", "status": 200, "headers": headers})
            async with await anyio.open_file(path, "rb") as file:
                while chunk := await file.read(_CHUNK):
                    await send({"type": "http.response.body", "body": chunk, "more_body": True})
            await send({"type": "http.response.body", "body": b""})
        finally:
            os.unlink(path)

    async def _workbook(self, path: str) -> int:
        """Write the workbook; the number of data rows of its first sheet (it stops writing
        once past the limit: the answer is then a 422)."""
        book = XlsxBook(path)
        try:
            main = book.sheet(self._sheet_name(), self.header(self.shape.columns))
            extra = [
                book.sheet(".".join(s.path), self.header(s.columns, s.path))
                for s in self.shape.sheets
            ]
            count = 0
            async for body in self.bodies():
                for marker, item in self.rows(body):
                    count += 1
                    if count > MAX_XLSX_ROWS:
                        return count
                    lead = [(None, marker)] if self.shape.totals else []
                    main.row(lead + [(c, value_at(item, c.path)) for c in self.shape.columns])
                for sheet, writer in zip(self.shape.sheets, extra, strict=True):
                    for item in sheet_items(sheet, body):
                        writer.row([(c, value_at(item, c.path)) for c in sheet.columns])
            await anyio.to_thread.run_sync(book.close)
            return count
        finally:
            book.abandon()

    def _sheet_name(self) -> str:
        parts = [p for p in self.route.path_format.split("/")[4:] if p and not p.startswith("{")]
        return "-".join(parts) or self.service


class XlsxBook:
    """An xlsxwriter workbook in constant-memory mode: each sheet's rows go to disk as they
    are written."""

    def __init__(self, path: str) -> None:
        import xlsxwriter  # type: ignore[import-untyped]

        self.book = xlsxwriter.Workbook(
            path,
            {
                "constant_memory": True,
                "strings_to_numbers": False,
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "remove_timezone": True,
            },
        )
        self.bold = self.book.add_format({"bold": True})
        self.date = self.book.add_format({"num_format": "yyyy-mm-dd"})
        self.datetime = self.book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
        self.closed = False
        self.names: set[str] = set()

    def sheet(self, name: str, header: list[str]) -> XlsxSheet:
        name = re.sub(r"[\[\]:*?/\\]", "-", name)[:31] or "Sheet"
        while name in self.names:
            name = name[:28] + f"~{len(self.names)}"
        self.names.add(name)
        sheet = self.book.add_worksheet(name)
        for index, text in enumerate(header):
            sheet.set_column(index, index, min(max(len(text) + 2, 12), 50))
            sheet.write_string(0, index, text, self.bold)
        sheet.freeze_panes(1, 0)
        return XlsxSheet(self, sheet)

    def close(self) -> None:
        self.book.close()
        self.closed = True

    def abandon(self) -> None:
        """A book not closed leaves nothing behind (xlsxwriter's own temporary files)."""
        if not self.closed:
            self.closed = True
            for sheet in self.book.worksheets():
                handle = getattr(sheet, "row_data_fh", None)
                if handle is not None:
                    handle.close()
                name = getattr(sheet, "row_data_filename", None)
                if name:
                    with contextlib.suppress(OSError):
                        os.unlink(name)


class XlsxSheet:
    def __init__(self, book: XlsxBook, sheet: Any) -> None:
        self.book = book
        self.sheet = sheet
        self.next = 1

    def title(self, texts: Sequence[str]) -> None:
        """A bold row of our own words (a table's title or header inside a sheet)."""
        r = self.next
        self.next += 1
        for c, text in enumerate(texts):
            self.sheet.write_string(r, c, guarded(text), self.book.bold)

    def skip(self) -> None:
        """An empty row between two tables."""
        self.next += 1

    def row(self, cells: Sequence[tuple[Column | None, Any]]) -> None:
        r = self.next
        self.next += 1
        write: Callable[..., Any]
        for c, (column, value) in enumerate(cells):
            if value is None:
                continue
            if isinstance(value, bool):
                self.sheet.write_boolean(r, c, value)
            elif isinstance(value, int | float):
                self.sheet.write_number(r, c, value)
            elif column is not None and column.kind == "date" and isinstance(value, str):
                write = self.sheet.write_datetime
                write(r, c, dt.datetime.fromisoformat(value), self.book.date)
            elif column is not None and column.kind == "datetime" and isinstance(value, str):
                moment = dt.datetime.fromisoformat(value)
                if moment.tzinfo is not None:
                    moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
                self.sheet.write_datetime(r, c, moment, self.book.datetime)
            else:
                text = guarded(_text(column, value)) if column is not None else str(value)
                self.sheet.write_string(r, c, text)


# --- the OpenAPI document ----------------------------------------------------------------

FORMAT_PARAMETER: dict[str, Any] = {
    "name": "format",
    "in": "query",
    "required": False,
    "description": "`csv` or `xlsx`: the whole filtered answer as a file (API.md section 10), "
    "headers in the answer's language; without it, JSON.",
    "schema": {"type": "string", "pattern": "^(csv|xlsx)$"},
}


def document_exports(app: FastAPI) -> None:
    """Each operation that exports documents `format` and its two file types."""
    build = app.openapi
    done = False

    def openapi() -> dict[str, Any]:
        nonlocal done
        document = build()
        if not done:
            done = True
            paths = document.get("paths", {})
            for route in api_routes(app):
                if shape_of(route) is None:
                    continue
                operation = paths.get(route.path_format, {}).get("get")
                if operation is None:
                    continue
                parameters = operation.setdefault("parameters", [])
                own = [
                    p for p in parameters if p.get("name") == "format" and p.get("in") == "query"
                ]
                if own:  # the route's own filter: `csv` and `xlsx` export, as everywhere
                    own[0]["description"] = (
                        own[0].get("description", "") + " " + FORMAT_PARAMETER["description"]
                    ).strip()
                else:
                    parameters.append(dict(FORMAT_PARAMETER))
                content = operation.setdefault("responses", {}).setdefault("200", {})
                files = content.setdefault("content", {})
                files["text/csv"] = {"schema": {"type": "string"}}
                files[XLSX_MEDIA] = {"schema": {"type": "string", "format": "binary"}}
        return document

    app.openapi = openapi  # type: ignore[method-assign]
