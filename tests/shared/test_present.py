"""kit.present: an answer read from a record's attributes, with only the computed fields
given by hand."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from pydantic import BaseModel, ConfigDict, Field

from mtqg_shared.kit.present import present


class Answer(BaseModel):
    model_config = ConfigDict(serialize_by_alias=True, populate_by_name=True)

    id: int
    name: str
    total: int
    from_: str | None = Field(alias="from")


def test_columns_come_from_the_record_and_the_rest_by_hand() -> None:
    row = SimpleNamespace(id=7, name="Páo", total=1, from_status="registered")
    answer = present(Answer, row, total=42, from_=row.from_status)
    assert answer.model_dump() == {"id": 7, "name": "Páo", "total": 42, "from": "registered"}


def test_a_field_neither_on_the_record_nor_given_is_an_error() -> None:
    with pytest.raises(AttributeError, match="from_"):
        present(Answer, SimpleNamespace(id=1, name="x", total=0))
