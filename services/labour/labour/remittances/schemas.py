"""Remittance bodies and answers."""

from __future__ import annotations

import uuid
from typing import Annotated

from pydantic import Field, StringConstraints

from mtqg_shared.fields import Note
from mtqg_shared.schemas import PositiveVnd, RecordRead, StrictInput

Month = Annotated[
    str,
    StringConstraints(pattern=r"^[0-9]{4}-(0[1-9]|1[0-2])$"),
    Field(description="YYYY-MM", examples=["2024-05"]),
]


class RemittanceCreate(StrictInput):
    """Either `month` and `amount_vnd` (money sent home), or `reverses` alone (a correction
    that records the negative of that entry)."""

    id: uuid.UUID | None = Field(default=None, description="Made by the client (offline).")
    month: Month | None = None
    amount_vnd: PositiveVnd | None = None
    reverses: uuid.UUID | None = Field(default=None, description="The entry this corrects.")
    note: Note | None = None


class RemittanceRead(RecordRead):
    placement_id: uuid.UUID
    month: str
    amount_vnd: int = Field(description="Negative for a reversal.")
    note: str | None
    reverses: uuid.UUID | None
    reversed_by: uuid.UUID | None
