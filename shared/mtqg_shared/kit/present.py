"""A record's answer from its row: every field of the answer schema read from the record's
attribute of the same name, and only the fields that are not columns (sums, areas, names the
contract spells differently) given by hand, so no service writes out `id`, `created_at`,
`updated_at`, `created_by`, `version` and each column again for every answer."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel

R = TypeVar("R", bound=BaseModel)


def present(schema: type[R], record: Any, **computed: Any) -> R:
    """`schema` filled from `record`'s attributes, `computed` for the fields it lacks or
    names otherwise (by field name, not alias)."""
    values = {
        name: computed[name] if name in computed else getattr(record, name)
        for name in schema.model_fields
    }
    return schema.model_validate(values)
