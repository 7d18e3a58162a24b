"""Input types of the gender service beyond the common ones (`mtqg_shared.fields`)."""

from __future__ import annotations

from typing import Annotated, TypeVar

from pydantic import Field

from mtqg_shared.fields import STORABLE, bounded
from mtqg_shared.rules import RuleViolation

Count = Annotated[int, Field(strict=True, ge=0, le=10_000_000)]
Members = Annotated[int, Field(strict=True, ge=1, le=10_000_000)]
Village = Annotated[str, bounded(1, 200), STORABLE]
Title = Annotated[str, bounded(1, 300), STORABLE]
Body = Annotated[str, bounded(1, 20_000), STORABLE]
Url = Annotated[str, bounded(1, 2000), STORABLE, Field(pattern=r"^https?://\S+$")]

T = TypeVar("T")


def once_each(values: list[T], field: str) -> list[T]:
    """A list of choices names each at most once (422 on the repeat, by its index)."""
    seen: set[T] = set()
    for index, value in enumerate(values):
        if value in seen:
            raise RuleViolation(f"{field}.{index}", "listed_twice")
        seen.add(value)
    return values


def at_most(part: int | None, whole: int | None, field: str, other: str) -> None:
    """A part (women among members, among participants) never exceeds its whole."""
    if part is not None and whole is not None and part > whole:
        raise RuleViolation(field, "over_cap.field", other=other)
