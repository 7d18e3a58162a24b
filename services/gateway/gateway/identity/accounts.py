"""Queries for people and clients, and the area rules admins work under.

An admin sees and changes only accounts whose areas all lie inside its own; an account's
areas are rows of `user_areas` / `client_areas`, so that rule is one NOT EXISTS in SQL and
lists stay keyset-paginated.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any, Generic, TypeVar

from sqlalchemy import Column, ColumnElement, Table, delete, exists, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.models import Client, User, client_areas, user_areas
from mtqg_shared.admin_units import admin_units
from mtqg_shared.auth import PROTECTION, Principal
from mtqg_shared.errors import Problem, validation_problem
from mtqg_shared.messages import msg
from mtqg_shared.pagination import ListParams, keyset, page_of

M = TypeVar("M", User, Client)


def areas_inside(principal: Principal, areas: Iterable[str]) -> bool:
    """Whether every area lies inside the principal's areas."""
    if principal.communes is None:
        return True
    areas = list(areas)
    return bool(areas) and all(a in principal.communes for a in areas)


def check_grant(principal: Principal, areas: Sequence[str]) -> None:
    """Admins grant only areas inside their own (422)."""
    if not areas_inside(principal, areas):
        raise validation_problem("body.areas", "not_in_your_areas.grant")


def check_protection_grant(
    principal: Principal, roles: Sequence[str], areas: Sequence[str]
) -> None:
    """`protection` opens the records of victims in the person's areas: only an admin whose
    own areas cover all of them may grant it, or move a holder's areas (403). Checked before
    the area grant itself, so that the answer names the role."""
    if PROTECTION in roles and not areas_inside(principal, areas):
        raise Problem(403, msg("forbidden.protection_grant"))


def audit_communes(areas: Iterable[str]) -> list[str]:
    """The communes an account's audit rows are filed under (none for the whole province, so
    only province-wide admins read those)."""
    communes = admin_units().communes_for_areas(list(areas))
    return [] if communes is None else sorted(communes)


class Accounts(Generic[M]):
    """Users or clients: `key` is the public identifier (username / client_id)."""

    def __init__(self, model: type[M], areas: Table, owner: str, key: str) -> None:
        self.model: type[M] = model
        self.areas = areas
        self.owner: Column[Any] = areas.c[owner]
        self.key_name = key

    def _key_column(self) -> Any:
        return getattr(self.model, self.key_name)

    def inside(self, principal: Principal) -> ColumnElement[bool] | None:
        """The accounts whose areas all lie inside the principal's (None: every account)."""
        if principal.communes is None:
            return None
        outside = (
            select(self.owner)
            .where(self.owner == self.model.id)
            .where(self.areas.c.area_code.not_in(sorted(principal.communes)))
        )
        return ~exists(outside)

    async def get(
        self,
        session: AsyncSession,
        key: str,
        principal: Principal | None = None,
        *,
        for_update: bool = False,
    ) -> M | None:
        """The account, or None when it does not exist or lies outside the principal's areas."""
        stmt = select(self.model).where(self._key_column() == key)
        if principal is not None and (inside := self.inside(principal)) is not None:
            stmt = stmt.where(inside)
        if for_update:
            stmt = stmt.with_for_update()
        return (await session.scalars(stmt)).first()

    async def key_taken(self, session: AsyncSession, key: str) -> bool:
        stmt = select(self.model.id).where(self._key_column() == key)
        return (await session.scalar(stmt)) is not None

    async def id_taken(self, session: AsyncSession, id_: uuid.UUID) -> bool:
        return (await session.get(self.model, id_)) is not None

    async def areas_of(
        self, session: AsyncSession, ids: Sequence[uuid.UUID]
    ) -> dict[uuid.UUID, list[str]]:
        found: dict[uuid.UUID, list[str]] = defaultdict(list)
        if not ids:
            return found
        stmt = (
            select(self.owner, self.areas.c.area_code)
            .where(self.owner.in_(list(ids)))
            .order_by(self.owner, self.areas.c.area_code)
        )
        for owner, code in (await session.execute(stmt)).all():
            found[owner].append(code)
        return found

    async def set_areas(self, session: AsyncSession, id_: uuid.UUID, areas: Sequence[str]) -> None:
        await session.execute(delete(self.areas).where(self.owner == id_))
        if areas:
            await session.execute(
                insert(self.areas), [{self.owner.name: id_, "area_code": a} for a in areas]
            )

    async def page(
        self, session: AsyncSession, params: ListParams, principal: Principal
    ) -> tuple[list[M], dict[uuid.UUID, list[str]], str | None]:
        stmt = select(self.model)
        if (inside := self.inside(principal)) is not None:
            stmt = stmt.where(inside)
        stmt = keyset(stmt, params, self.model.created_at, self.model.updated_at, self.model.id)
        rows = list((await session.scalars(stmt)).all())
        items, cursor = page_of(rows, params)
        return items, await self.areas_of(session, [i.id for i in items]), cursor


users = Accounts(User, user_areas, "user_id", "username")
clients = Accounts(Client, client_areas, "client_id", "client_id")
