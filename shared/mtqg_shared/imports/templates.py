"""An import template (`GET /imports/templates/{resource}`): an XLSX workbook an officer fills.

- First sheet: row 1 the Vietnamese labels, row 2 the field names (both bold and frozen;
  both skipped on import), a drop-down of the Vietnamese words for every enum column (the
  import takes values and labels alike), dates formatted YYYY-MM-DD and text columns kept as
  text (a commune code keeps its leading zero).
- Second sheet: the example row, then one line of notes per column: label, field, required
  or not, type, unit (VND for `*_vnd`, hectares for `*_ha`), format, allowed values.
- A hidden third sheet holds the drop-downs' lists (a list written in place is limited to
  255 characters).

Text written is never a formula: every string goes in as a string, and one beginning with
`=`, `+`, `-` or `@` gets a leading `'` (as exports do, API.md section 10).
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from mtqg_shared.imports.reading import Kind, column_letter, kinds
from mtqg_shared.kit.importing import Importable
from mtqg_shared.kit.vocabulary import Vocabulary
from mtqg_shared.labels import label
from mtqg_shared.messages import msg

XLSX_MEDIA = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The fixed creation stamp every template carries (see build).
TEMPLATE_STAMP = dt.datetime(2025, 7, 1, tzinfo=dt.UTC)
_TEMPLATE_ROWS = 5000  # rows the drop-downs and formats cover
_FORMULA_START = ("=", "+", "-", "@")


def safe_text(text: str) -> str:
    """A text cell that a spreadsheet would read as a formula gets a leading `'`."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def header(service: str, name: str, language: str) -> str:
    """A column's header (tests/shared/test_labels.py checks every template column has one)."""
    return label(service, name, language)


def _unit(name: str) -> str:
    if name.endswith("_vnd"):
        return "VND"
    if name.endswith("_ha"):
        return "ha"
    return ""


def _words(kind: Kind) -> list[str]:
    """The Vietnamese words of an enum column's values (a value without words as it is)."""
    return [kind.vi.get(value, value) for value in kind.values]


def build(entry: Importable, service: str, vocabulary: Vocabulary | None, language: str) -> bytes:
    import xlsxwriter  # type: ignore[import-untyped]

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False})
    # A template is the same bytes for the same declaration, so its ETag holds: the workbook's
    # own creation stamp would otherwise change it every second.
    book.set_properties({"created": TEMPLATE_STAMP})
    bold = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    text = book.add_format({"num_format": "@"})
    data = book.add_worksheet(entry.name[:31])
    notes = book.add_worksheet(msg("template.notes_sheet").render(language)[:31])
    lists = book.add_worksheet("lists")
    lists.hide()
    field_kinds = kinds(entry.create, vocabulary)
    columns = entry.fields
    for index, name in enumerate(columns):
        kind = field_kinds[name]
        data.write_string(0, index, safe_text(header(service, name, "vi")), bold)
        data.write_string(1, index, name, bold)
        width = max(14, len(header(service, name, "vi")) + 2)
        if kind.base == "date":
            data.set_column(index, index, width, day)
        elif kind.base in ("text", "enum"):
            data.set_column(index, index, width, text)
        else:
            data.set_column(index, index, width)
        if kind.base == "enum":
            words = _words(kind)
            for row, word_text in enumerate(words):
                lists.write_string(row, index, safe_text(word_text))
            letter = column_letter(index)
            data.data_validation(
                2,
                index,
                _TEMPLATE_ROWS,
                index,
                {
                    "validate": "list",
                    "source": f"=lists!${letter}$1:${letter}${len(words)}",
                    # A value (not a word) is taken too: warn, do not refuse.
                    "error_type": "warning",
                },
            )
    data.freeze_panes(2, 0)
    _notes(notes, entry, service, field_kinds, language, bold, day)
    book.close()
    return out.getvalue()


def _notes(
    sheet: Any,
    entry: Importable,
    service: str,
    field_kinds: dict[str, Kind],
    language: str,
    bold: Any,
    day: Any,
) -> None:
    columns = entry.fields
    sheet.write_string(0, 0, msg("template.example").render(language), bold)
    for index, name in enumerate(columns):
        sheet.write_string(1, index, safe_text(header(service, name, "vi")), bold)
        sheet.write_string(2, index, name, bold)
        value = entry.example.get(name)
        if value is None:
            continue
        if isinstance(value, dt.date):
            sheet.write_datetime(3, index, dt.datetime.combine(value, dt.time()), day)
        elif isinstance(value, bool):
            sheet.write_boolean(3, index, value)
        elif isinstance(value, int | float):
            sheet.write_number(3, index, value)
        else:
            sheet.write_string(3, index, safe_text(str(getattr(value, "value", value))))
    heads = ("label", "field", "required", "type", "unit", "format", "allowed")
    for index, head in enumerate(heads):
        sheet.write_string(5, index, msg(f"template.{head}").render(language), bold)
    model_fields = entry.create.model_fields
    for row, name in enumerate(columns, start=6):
        kind = field_kinds[name]
        required = model_fields[name].is_required()
        allowed = ""
        if kind.base == "enum":
            allowed = "; ".join(
                f"{value} ({word})" if word != value else value
                for value, word in zip(kind.values, _words(kind), strict=True)
            )
        cells = (
            header(service, name, language),
            name,
            msg("template.yes" if required else "template.no").render(language),
            msg(f"template.type.{kind.base}").render(language),
            _unit(name),
            "YYYY-MM-DD" if kind.base == "date" else "",
            allowed,
        )
        for index, cell in enumerate(cells):
            sheet.write_string(row, index, safe_text(cell))
    sheet.set_column(0, len(heads) - 1, 22)
