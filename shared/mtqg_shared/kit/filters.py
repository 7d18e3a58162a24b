"""A list's optional equality filters, written once: `where_given(stmt, (Zone.crop, crop),
(Zone.year, year))` adds `column = value` for each query parameter the caller gave."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import Select

T = TypeVar("T", bound=Select[Any])


def where_given(stmt: T, *filters: tuple[Any, Any]) -> T:
    """`stmt` narrowed by every (column, value) whose value is not None."""
    for column, value in filters:
        if value is not None:
            stmt = stmt.where(column == value)
    return stmt
