"""What the export tests share: reading the files back, and the headers they should have."""

from __future__ import annotations

import csv
import io
from typing import Any

import httpx
import openpyxl  # type: ignore[import-untyped]

from mtqg_shared.labels import label

BOM = "\ufeff".encode()


def read_csv(answer: httpx.Response) -> list[list[str]]:
    assert answer.content.startswith(BOM), answer.content[:20]
    return list(csv.reader(io.StringIO(answer.content[len(BOM) :].decode())))


def read_xlsx(answer: httpx.Response, sheet: int = 0) -> list[tuple[Any, ...]]:
    book = openpyxl.load_workbook(io.BytesIO(answer.content))
    return list(book.worksheets[sheet].iter_rows(values_only=True))


def sheet_names(answer: httpx.Response) -> list[str]:
    return list(openpyxl.load_workbook(io.BytesIO(answer.content)).sheetnames)


def heading(service: str, name: str, language: str, *, row: bool = False) -> str:
    """The header of a column: its label (mtqg_shared.labels), as a report row's (`row`)."""
    return label(service, name, language, row=row)


def flat(item: Any, prefix: str = "") -> dict[str, Any]:
    """An item's JSON as dotted columns."""
    out: dict[str, Any] = {}
    for key, value in item.items():
        if isinstance(value, dict) and value:
            out.update(flat(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out
