"""Reading an uploaded spreadsheet: what kind of file it is (from its bytes, not its name),
its first sheet's rows numbered as the sheet numbers them, the header row that names the
columns, and each cell as the value a JSON body would carry.

- **Kinds.** An XLSX workbook (a ZIP: `PK\\x03\\x04`) is read with python-calamine, first
  sheet; anything else that is UTF-8 text (with or without a BOM, no NUL) is CSV, its
  delimiter `,`, `;` or tab, whichever the header line holds most of. Anything else (an old
  `.xls`, a PDF, a picture, another encoding) is 415.
- **Header.** The first row (of the first 20) with a cell that names a field of the resource
  by its name or its Vietnamese or English label (`mtqg_shared.labels.label`), compared
  without case or surrounding spaces. Rows right after it that are header rows too (the
  template's row of field names under its row of labels) are skipped. No such row: 422. A
  header cell that names no field, two columns naming one field, or data under a column with
  no header: 422 for the whole file, before any row runs (a column silently dropped would be
  data lost without a word).
- **Cells.** An empty cell is a field not sent. By the field's type: a whole number that
  XLSX gives as a float becomes an int, a fraction for an integer field is the row's error
  (never rounded); text digits are numbers; a date cell is a date; an enum cell is its value
  or its Vietnamese or English label (the service's vocabulary); text holding control
  characters is the row's error, as in a body.
"""

from __future__ import annotations

import csv
import datetime as dt
import enum
import io
import re
import types
import typing
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from mtqg_shared.errors import FieldError, Problem, field_error
from mtqg_shared.fields import is_storable, is_storable_utf8
from mtqg_shared.kit.vocabulary import Vocabulary, snake_case
from mtqg_shared.labels import label
from mtqg_shared.messages import LANGUAGES, msg

XLSX, CSV = "xlsx", "csv"
_ZIP = b"PK\x03\x04"
_HEADER_SEARCH = 20
_DELIMITERS = (",", ";", "\t")
_INTEGER_TEXT = re.compile(r"^[+-]?[0-9]+$")
_DECIMAL_TEXT = re.compile(r"^[+-]?[0-9]+(?:[.,][0-9]+)?$")
_TRUE = frozenset({"true", "1", "yes", "có", "x"})
_FALSE = frozenset({"false", "0", "no", "không"})


def _not_a_spreadsheet() -> Problem:
    return Problem(415, msg("import_not_spreadsheet"))


def kind_of(data: bytes) -> str:
    """XLSX or CSV, judged by the bytes; 415 for anything else."""
    if data.startswith(_ZIP):
        return XLSX
    if b"\x00" in data:
        raise _not_a_spreadsheet()
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        raise _not_a_spreadsheet() from None
    return CSV


Cell = Any
Row = tuple[int, list[Cell]]  # (the sheet's row number, its cells)


def sheet_rows(data: bytes, kind: str, max_rows: int) -> list[Row]:
    """Every row of the first sheet (or of the CSV), numbered from 1 as the sheet shows it;
    more than `max_rows` rows: 422."""
    if kind == XLSX:
        return _xlsx_rows(data, max_rows)
    return _csv_rows(data, max_rows)


def _too_many(max_rows: int) -> Problem:
    return Problem(422, msg("import_too_many_rows", limit=max_rows))


def _xlsx_rows(data: bytes, max_rows: int) -> list[Row]:
    import python_calamine

    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = book.get_sheet_by_index(0)
        if sheet.total_height > max_rows + _HEADER_SEARCH:
            raise _too_many(max_rows)
        # From A1 (empty leading rows kept), so that a row's index is its number minus one.
        cells = sheet.to_python(skip_empty_area=False)
    except Problem:
        raise
    except Exception as exc:  # a ZIP that is no workbook, a broken or encrypted one
        raise _not_a_spreadsheet() from exc
    return [(index + 1, list(row)) for index, row in enumerate(cells)]


def _csv_rows(data: bytes, max_rows: int) -> list[Row]:
    text = data.decode("utf-8").removeprefix("\ufeff")
    first = text.split("\n", 1)[0]
    delimiter = max(_DELIMITERS, key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    limit = max_rows + _HEADER_SEARCH
    rows: list[Row] = []
    # csv gives the number of a record's last line; a record is numbered by its first (the
    # number a spreadsheet shows for a one-line record): the line after the one before it.
    previous = 0
    try:
        for record in reader:
            if len(rows) > limit:
                raise _too_many(max_rows)
            rows.append((previous + 1, record))
            previous = reader.line_num
    except csv.Error as exc:
        raise _not_a_spreadsheet() from exc
    return rows


def is_empty(cell: Cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: as a spreadsheet names its columns."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(ord("A") + rest) + name
    return name


def labels_of(service: str, name: str) -> set[str]:
    """The field's headers in both languages (every template column has them:
    tests/shared/test_labels.py)."""
    return {label(service, name, language) for language in LANGUAGES}


def header_names(service: str, fields: Iterable[str]) -> dict[str, str]:
    """Every header text (normalised) that names a field: the name and its labels."""
    names: dict[str, str] = {}
    for name in fields:
        names[_norm(name)] = name
        for text in labels_of(service, name):
            names.setdefault(_norm(text), name)
    return names


@dataclass
class Layout:
    """Where the data is: the columns each field is read from and the rows that follow;
    `storable`: every text cell is known to be text a database stores (a CSV file looked at
    whole, `read_sheet`), so that its cells are not looked at again one by one."""

    columns: dict[int, str]  # column index -> field name
    rows: list[Row] = field(default_factory=list)
    storable: bool = False


def read_sheet(data: bytes, max_rows: int, names: Mapping[str, str], resource: str) -> Layout:
    """An uploaded file's data: its kind (415), its rows (422 for too many), its header
    (`layout`'s 422s)."""
    kind = kind_of(data)
    found = layout(sheet_rows(data, kind, max_rows), names, resource)
    found.storable = kind == CSV and is_storable_utf8(data)
    return found


def _named(cells: Sequence[Cell], names: Mapping[str, str]) -> dict[int, str]:
    out: dict[int, str] = {}
    for index, cell in enumerate(cells):
        if isinstance(cell, str) and _norm(cell) in names:
            out[index] = names[_norm(cell)]
    return out


def layout(rows: list[Row], names: Mapping[str, str], resource: str) -> Layout:
    """The header row and the data rows after it; 422 when no row names a field, when a
    header names nothing, when two name one field, or when a column with no header holds
    data."""
    position = next(
        (i for i, (_number, cells) in enumerate(rows[:_HEADER_SEARCH]) if _named(cells, names)),
        None,
    )
    if position is None:
        raise Problem(
            422,
            msg("import_no_header", resource=resource),
            errors=[field_error("file", "required.import_header")],
        )
    cells = rows[position][1]
    columns = _named(cells, names)
    errors: list[FieldError] = []
    seen: dict[str, int] = {}
    for index, name in columns.items():
        if name in seen:
            errors.append(
                field_error(f"file.{column_letter(index)}", "listed_twice.column", name=name)
            )
        seen[name] = index
    for index, cell in enumerate(cells):
        if index not in columns and not is_empty(cell):
            errors.append(
                field_error(
                    f"file.{column_letter(index)}",
                    "unknown_field.column",
                    column=str(cell).strip()[:80],
                    resource=resource,
                )
            )
    data = rows[position + 1 :]
    # The template's second header row (field names), or a repeated header: skipped.
    while data and _named(data[0][1], names) and _is_header(data[0][1], names):
        data = data[1:]
    # A filled cell under no header is an error; only those columns are looked at (none, in
    # a sheet whose every column is named), the list of them made once per row width.
    blank = {i for i, cell in enumerate(cells) if i not in columns and is_empty(cell)}
    headless: dict[int, list[int]] = {}
    for number, row in data:
        width = len(row)
        if width not in headless:
            headless[width] = [
                i for i in range(width) if i not in columns and (i >= len(cells) or i in blank)
            ]
        stray = next((i for i in headless[width] if not is_empty(row[i])), None)
        if stray is not None:
            errors.append(
                field_error(f"file.{column_letter(stray)}{number}", "unknown_field.no_header")
            )
        if len(errors) >= 20:
            break
    if errors:
        raise Problem(422, errors=errors)
    return Layout(columns, [(n, r) for n, r in data if not all(is_empty(c) for c in r)])


def _is_header(cells: Sequence[Cell], names: Mapping[str, str]) -> bool:
    filled = [c for c in cells if not is_empty(c)]
    return bool(filled) and len(_named(cells, names)) == len(filled)


# -- cells as values --------------------------------------------------------------------------


class CellError(Exception):
    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


@dataclass(frozen=True)
class Kind:
    """What a field holds, as far as reading a cell needs to know."""

    base: str  # "int", "float", "bool", "date", "datetime", "enum", "text", "list", "other"
    choices: Mapping[str, str] = field(default_factory=dict)  # normalised word -> value
    item: Kind | None = None
    values: tuple[str, ...] = ()  # an enum's values, in its order
    vi: Mapping[str, str] = field(default_factory=dict)  # value -> its Vietnamese word


def _unwrap(annotation: Any) -> Any:
    """The type inside Optional[...] and Annotated[...]."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
            continue
        if origin in (typing.Union, types.UnionType):
            inner = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(inner) == 1:
                annotation = inner[0]
                continue
        return annotation


def _enum(name: str, annotation: Any, vocabulary: Vocabulary | None) -> Kind:
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        values = [str(m.value) for m in annotation]
        enum_name: str | None = snake_case(annotation.__name__)
    else:
        values = [str(v) for v in typing.get_args(annotation)]
        enum_name = None
    out = {_norm(v): v for v in values}
    vi: dict[str, str] = {}
    if vocabulary is not None:
        entry = vocabulary.terms.get(enum_name or "") or vocabulary.terms.get(name)
        if entry is not None:
            for value, words in entry.labels.items():
                if value in values:
                    vi[value] = words.vi
                    out.setdefault(_norm(words.vi), value)
                    out.setdefault(_norm(words.en), value)
    return Kind("enum", out, values=tuple(values), vi=vi)


def kind_of_field(name: str, annotation: Any, vocabulary: Vocabulary | None) -> Kind:
    annotation = _unwrap(annotation)
    origin = typing.get_origin(annotation)
    if origin is typing.Literal:
        return _enum(name, annotation, vocabulary)
    if origin in (list, tuple, set, frozenset):
        args = typing.get_args(annotation)
        return Kind("list", item=kind_of_field(name, args[0] if args else Any, vocabulary))
    if isinstance(annotation, type):
        if issubclass(annotation, enum.Enum):
            return _enum(name, annotation, vocabulary)
        if issubclass(annotation, bool):
            return Kind("bool")
        if issubclass(annotation, int):
            return Kind("int")
        if issubclass(annotation, float | Decimal):
            return Kind("float")
        if issubclass(annotation, dt.datetime):
            return Kind("datetime")
        if issubclass(annotation, dt.date):
            return Kind("date")
        if issubclass(annotation, str) and vocabulary is not None and name in vocabulary.terms:
            # Text of a closed set the vocabulary names by its field (`geography`).
            return _enum(name, typing.Literal[tuple(vocabulary.terms[name].labels)], vocabulary)
        if issubclass(annotation, str | uuid.UUID):
            return Kind("text")
    return Kind("other")


def kinds(model: type[BaseModel], vocabulary: Vocabulary | None) -> dict[str, Kind]:
    return {
        name: kind_of_field(name, info.annotation, vocabulary)
        for name, info in model.model_fields.items()
    }


# Kinds whose text cell is the body's value as it is (the schema parses a date's text).
_AS_TEXT = frozenset({"text", "date", "datetime", "other"})


def _number_text(value: float) -> str:
    return str(int(value)) if value.is_integer() else repr(value)


def row_values(
    cells: Sequence[Cell], columns: Sequence[tuple[int, str, Kind]], storable: bool
) -> tuple[dict[str, Any], list[tuple[str, CellError]]]:
    """A row's body as JSON would carry it, from its cells under `columns` (index, field,
    kind), and the cells' errors by field. An empty cell is a field not sent. `storable`:
    every text cell is known to be storable (`Layout.storable`), so that the text most cells
    of a CSV file are is taken as it is, and an enum's own value found at once; any other
    cell is `cell_value`'s."""
    values: dict[str, Any] = {}
    errors: list[tuple[str, CellError]] = []
    width = len(cells)
    for index, name, kind in columns:
        cell = cells[index] if index < width else None
        if cell is None:
            continue
        if type(cell) is str:
            if not (cell := cell.strip()):
                continue
            if storable:
                base = kind.base
                if base in _AS_TEXT:
                    values[name] = cell
                    continue
                if base == "enum" and (member := kind.choices.get(cell)) is not None:
                    values[name] = member
                    continue
        try:
            values[name] = cell_value(cell, kind)
        except CellError as exc:
            errors.append((name, exc))
    return values, errors


def cell_value(cell: Cell, kind: Kind) -> Any:
    """The value a JSON body would carry for this cell (the schema then judges it)."""
    base = kind.base
    if isinstance(cell, str):
        cell = cell.strip()
        if not is_storable(cell):
            raise CellError("invalid_format.control_characters")
        if base in _AS_TEXT:  # what most cells of a CSV file are: the text as it is
            return cell
    if base == "int":
        if isinstance(cell, bool):
            return cell
        if isinstance(cell, float):
            if not cell.is_integer():
                raise CellError("not_a_number.integer")
            return int(cell)
        if isinstance(cell, str) and _INTEGER_TEXT.match(cell):
            return int(cell)
        return cell
    if base == "float":
        if isinstance(cell, str) and _DECIMAL_TEXT.match(cell):
            return float(cell.replace(",", "."))
        return cell
    if base == "bool":
        if isinstance(cell, str):
            word = cell.casefold()
            if word in _TRUE:
                return True
            if word in _FALSE:
                return False
        if isinstance(cell, float | int) and not isinstance(cell, bool) and cell in (0, 1):
            return bool(cell)
        return cell
    if base == "date":
        if isinstance(cell, dt.datetime):
            return cell.date() if cell.time() == dt.time() else cell.isoformat()
        if isinstance(cell, dt.date):
            return cell
        if isinstance(cell, float | int) and not isinstance(cell, bool):
            return _number_text(float(cell))  # a number is no date: the schema says so
        return cell
    if base == "datetime":
        if isinstance(cell, dt.datetime):
            return cell if cell.tzinfo else cell.replace(tzinfo=dt.UTC)
        return cell
    if base == "enum":
        text = _number_text(cell) if isinstance(cell, float) else str(cell)
        # A member's own value as it is (most cells), else its label or value in any case
        # and spacing (`_norm` leaves a text it made as it is).
        found = kind.choices.get(text)
        return found if found is not None else kind.choices.get(_norm(text), text)
    if base == "text":
        if isinstance(cell, float):
            return _number_text(cell)
        if isinstance(cell, dt.datetime):
            return cell.isoformat()
        if isinstance(cell, dt.date):
            return cell.isoformat()
        if isinstance(cell, bool | int):
            return str(cell).lower() if isinstance(cell, bool) else str(cell)
        return cell
    if base == "list" and kind.item is not None:
        if isinstance(cell, str):
            parts = [p for p in re.split(r"[;,\n]", cell) if p.strip()]
            return [cell_value(p, kind.item) for p in parts]
        return [cell_value(cell, kind.item)]
    if isinstance(cell, float) and cell.is_integer():
        return int(cell)
    return cell
