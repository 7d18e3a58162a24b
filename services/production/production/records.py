"""What production records show in the audit log: their own fields, by the contract's names."""

from __future__ import annotations

from pydantic import BaseModel

RECORD_FIELDS = frozenset({"id", "created_at", "updated_at", "created_by", "version"})


def contract_fields(read: type[BaseModel], *, besides: tuple[str, ...] = ()) -> tuple[str, ...]:
    """A read model's fields without the bookkeeping ones (nor `besides`, the fields that are
    no attribute of the record): what a resource's audit trail follows."""
    return tuple(name for name in read.model_fields if name not in RECORD_FIELDS | set(besides))
