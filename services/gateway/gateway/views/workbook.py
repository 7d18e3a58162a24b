"""`GET /api/v1/overview?format=xlsx` (API.md section 10): the overview as a workbook.

One sheet per programme service that answered, then one sheet listing the services left out
(`unavailable`: failed or too slow; `forbidden`: not the caller's to read). A service's part
is what the service answered, so its sheet is made from the data, not from a model the gateway
would have to share with the service:

- the sheet opens with the programme's name, the area, the year and the day the figures stand
  on (a sheet printed alone still says what it is about);
- every figure of the part, nested maps followed down (`by_status.registered`), is a row of
  two cells: its header in the caller's language and its value (numbers as numbers, dates as
  dates);
- a list of objects inside the part (`zones_by_crop`, ...) follows as a table of its own: a
  bold title, a bold header row, a row per element.

Headers come from `mtqg_shared.labels` with the service's own `GET /vocabulary` answer for
enum values, the very words the service's own export uses. A figure the shared catalogue does
not name (a service newer than this gateway) is headed by its field path rather than dropped,
and logged.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from mtqg_shared.export import Column, Kind, XlsxBook, XlsxSheet
from mtqg_shared.labels import VocabularyAnswer, label
from mtqg_shared.messages import msg

log = logging.getLogger("mtqg.gateway.views")

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


@dataclass(frozen=True, slots=True)
class Part:
    """What one service answered for the overview, and its vocabulary's words."""

    body: Mapping[str, Any]
    vocabulary: VocabularyAnswer


def _kind(value: Any) -> Kind:
    if isinstance(value, str):
        if _DAY.match(value):
            return "date"
        if _MOMENT.match(value):
            return "datetime"
        return "text"
    if isinstance(value, list):
        return "list" if all(not isinstance(v, dict | list) for v in value) else "json"
    return "json" if isinstance(value, dict) else "text"


def _cell(path: tuple[str, ...], value: Any) -> tuple[Column, Any]:
    return Column(path, _kind(value)), value


def _is_table(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def _leaves(
    body: Mapping[str, Any], prefix: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], Any]]:
    """Each figure of a part (maps followed down), lists of objects apart (see `_tables`)."""
    for name, value in body.items():
        path = (*prefix, name)
        if isinstance(value, dict) and value:
            yield from _leaves(value, path)
        elif isinstance(value, dict):
            yield path, None  # an empty map (no departures by country): nothing to count
        elif not _is_table(value):
            yield path, value


def _tables(
    body: Mapping[str, Any], prefix: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], list[dict[str, Any]]]]:
    for name, value in body.items():
        path = (*prefix, name)
        if isinstance(value, dict):
            yield from _tables(value, path)
        elif _is_table(value):
            yield path, value


class _Headers:
    """One service's headers in one language."""

    def __init__(self, service: str, vocabulary: VocabularyAnswer, language: str) -> None:
        self.service = service
        self.vocabulary = vocabulary
        self.language = language

    def __call__(self, path: tuple[str, ...]) -> str:
        dotted = ".".join(path)
        try:
            return label(self.service, dotted, self.language, vocabulary=self.vocabulary)
        except KeyError:
            log.warning("no header for %s of %s in the overview workbook", dotted, self.service)
            return dotted


def _gateway(path: str, language: str) -> str:
    return label("gateway", path, language)


def _context(sheet: XlsxSheet, overview: Mapping[str, Any], language: str) -> None:
    area = overview.get("area") or {}
    for path, value in (
        ("area.code", area.get("code")),
        ("area.name", area.get("name")),
        ("year", overview.get("year")),
        ("as_of", overview.get("as_of")),
    ):
        sheet.row([(None, _gateway(path, language)), _cell((path,), value)])


def _service_sheet(
    book: XlsxBook,
    service: str,
    part: Part,
    overview: Mapping[str, Any],
    language: str,
) -> None:
    words = _Headers(service, part.vocabulary, language)
    figure = msg("export_figure").render(language)
    value = msg("export_value").render(language)
    sheet = book.sheet(service, [figure, value])
    sheet.title([_gateway(service, language)])
    _context(sheet, overview, language)
    for path, found in _leaves(part.body):
        sheet.row([(None, words(path)), _cell(path, found)])
    for path, items in _tables(part.body):
        fields: dict[tuple[str, ...], None] = {}
        for item in items:
            fields.update(dict.fromkeys(p for p, _ in _leaves(item)))
        sheet.skip()
        sheet.title([words(path)])
        sheet.title([words((*path, *field)) for field in fields])
        for item in items:
            sheet.row([_cell(field, _at(item, field)) for field in fields])


def _at(item: Mapping[str, Any], path: tuple[str, ...]) -> Any:
    found: Any = item
    for name in path:
        if not isinstance(found, Mapping):
            return None
        found = found.get(name)
    return found


def _left_out_sheet(book: XlsxBook, overview: Mapping[str, Any], language: str) -> None:
    """The services whose figures are not in the workbook, and why."""
    header = [_gateway("service", language), msg("export_reason").render(language)]
    sheet = book.sheet("unavailable", header)
    for reason in ("unavailable", "forbidden"):
        for service in overview.get(reason) or ():
            sheet.row([(None, _gateway(service, language)), (None, _gateway(reason, language))])


def fill(
    book: XlsxBook, overview: Mapping[str, Any], parts: Mapping[str, Part], language: str
) -> None:
    """Write the overview's sheets into `book` (in a worker thread: see `workbook_answer`)."""
    for service, part in parts.items():
        _service_sheet(book, service, part, overview, language)
    _left_out_sheet(book, overview, language)


def file_name(overview: Mapping[str, Any]) -> str:
    """`overview-15-2024-12-31.xlsx`: the area and the day the figures stand on."""
    area = (overview.get("area") or {}).get("code") or "15"
    day = overview.get("as_of") or dt.date.today().isoformat()
    return f"overview-{area}-{day}.xlsx"
