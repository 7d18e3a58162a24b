"""A report's window of days (a year, or everything to a day) and the shape of its keyed
counts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Window:
    """What the overview counts: records dated from `start` (None: from the beginning) to
    `end`, both included. Models count from the beginning (established by `end`)."""

    start: dt.date | None
    end: dt.date


def window(year: int | None, as_of: dt.date) -> Window:
    """With `year`: that year, up to `as_of` when it falls inside it; without: up to `as_of`."""
    if year is None:
        return Window(None, as_of)
    return Window(dt.date(year, 1, 1), min(dt.date(year, 12, 31), as_of))


def every_key(keys: Iterable[str], counts: Mapping[str, int]) -> dict[str, int]:
    """A map keyed by an enum lists every key, zeros included."""
    return {key: int(counts.get(key, 0)) for key in keys}
