"""Which of a service's resources are imported from a spreadsheet, and how (API.md section 10).

A service declares one `Importable` per resource in its `imports.py` (`IMPORTS`), and the app
factory serves `/imports/resources`, `/imports/templates/{resource}` and `/imports` for them.
An import calls the resource's own single-create service function (`add`) with each row's
validated body, inside one transaction, so every row meets the same rules, area checks, audit
and change feed as `POST` does; `add_many`, when given, is the same rules for many rows at
once (the speed path); `update` with `change` is how `on_existing=update` applies a row's
PATCH fields to the record's current version.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from mtqg_shared.kit.resource import Resource
from mtqg_shared.writes import WriteContext


@dataclass(frozen=True, slots=True)
class Existing:
    """The record a row's natural key names: its id and current version."""

    id: uuid.UUID
    version: int


@dataclass(frozen=True)
class Importable:
    """One importable resource.

    - `name`: the form's `resource` and the template's name: the collection's last path
      segment ("cases", "zones", "ocop-products");
    - `resource`: the kit resource its rows create;
    - `create`: the single create's body schema; its fields are the template's columns, and
      every row is validated by it;
    - `add(ctx, body)`: the single create's own service function;
    - `natural_key`: the fields of `create` that name an existing record (API.md section 10);
    - `existing(session, values)`: the record the key values name, or None; without it the
      kit looks up the model's columns of the same names;
    - `update`, `change(ctx, id, body)`: the PATCH body and service function, for
      `on_existing=update` (without them that mode is 422 for this resource);
    - `add_many(ctx, bodies)`: optional, the same rules as `add` for many bodies at once;
    - `example`: the template's example row, by field name.
    """

    name: str
    resource: Resource[Any]
    create: type[BaseModel]
    add: Callable[[WriteContext, Any], Awaitable[Any]]
    natural_key: tuple[str, ...]
    example: Mapping[str, Any]
    existing: Callable[[AsyncSession, Mapping[str, Any]], Awaitable[Existing | None]] | None = None
    update: type[BaseModel] | None = None
    change: Callable[[WriteContext, uuid.UUID, Any], Awaitable[Any]] | None = None
    add_many: Callable[[WriteContext, Sequence[Any]], Awaitable[Sequence[Any]]] | None = None
    # Fields of `create` left out of the template (a client-made `id`, say).
    hidden: tuple[str, ...] = field(default=("id",))
