"""Reversible money entries, one mechanism for every service (housing funding, labour
remittances, production disbursements, gender spending): an entry is never edited; a mistake
is undone by a new entry of the opposite amount that names it in `reverses_id`, which is
unique, so an entry is reversed at most once even by racing requests; a reversal is never
reversed."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import Any, Generic, Protocol, TypeVar

from pydantic import BaseModel
from sqlalchemy import Label, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from mtqg_shared.errors import Problem, field_error
from mtqg_shared.kit.money import COPIED, ProgrammeTags
from mtqg_shared.messages import Msg, msg, require_word, word
from mtqg_shared.rules import RuleViolation, StateConflict


class Entry(Protocol):
    id: Any
    amount_vnd: Any
    reverses_id: Any


E = TypeVar("E", bound=Entry)


class Ledger(Generic[E]):
    """The entries of `model` kept under an owner record (`owner` is the entry's column
    naming it: a case, a placement, a project), or standing on their own (`owner` None: gender
    spending). `service` names the service whose programme money the entries are (None for
    money that is no programme's: remittances)."""

    def __init__(
        self,
        model: type[E],
        owner: Any,
        *,
        name: str,
        owner_name: str | None = None,
        service: str | None = None,
    ) -> None:
        self.model = model
        self.owner = owner
        self.name = require_word(name)
        self.owner_name = require_word(owner_name) if owner_name is not None else None
        self.tags = ProgrammeTags(service) if service is not None else None

    def reversed_by(self) -> Label[Any]:
        """Per entry row: the id of the entry that reversed it, or NULL."""
        later: Any = aliased(self.model)
        m: Any = self.model
        return (
            select(later.id).where(later.reverses_id == m.id).scalar_subquery().label("reversed_by")
        )

    def form(self, body: BaseModel, own: Sequence[str]) -> bool:
        """Whether `body` reverses an entry: either `reverses` alone or the `own` fields of a
        new entry, never both (422 naming every offending field). A reversal of programme
        money may repeat what it copies (`reversal` checks it is the entry's)."""
        if getattr(body, "reverses", None) is not None:
            repeatable = COPIED if self.tags is not None else ()
            wrong = [
                name
                for name in own
                if name not in repeatable and getattr(body, name, None) is not None
            ]
            errors = [field_error(f"body.{name}", "unknown_field.with_reverses") for name in wrong]
        else:
            wrong = [name for name in own if getattr(body, name, None) is None]
            errors = [field_error(f"body.{name}", "required.unless_reverses") for name in wrong]
        if errors:
            raise Problem(422, errors=errors)
        return getattr(body, "reverses", None) is not None

    async def to_reverse(
        self, session: AsyncSession, owner_id: uuid.UUID | None, entry_id: Any
    ) -> E:
        """The entry a reversal undoes: one of this owner's and not itself a reversal (else
        422 on `body.reverses`: a reversal is undone by recording the entry again), not
        reversed already (else 409 duplicate, as when two reversals race and the unique
        `reverses_id` refuses the second). Reversing then means the negative amount."""
        m: Any = self.model
        stmt = select(m).where(m.id == entry_id)
        if self.owner is not None:
            stmt = stmt.where(self.owner == owner_id)
        entry = (await session.scalars(stmt)).first()
        if entry is None:
            raise self.not_found()
        if entry.reverses_id is not None:
            raise RuleViolation("body.reverses", "invalid_choice.reversal")
        already = await session.scalar(select(m.id).where(m.reverses_id == entry.id).limit(1))
        if already is not None:
            raise StateConflict(msg("already_reversed", what=word(self.name)), kind="duplicate")
        return entry  # type: ignore[no-any-return]

    def new_tags(self, body: BaseModel) -> dict[str, str]:
        """A new entry's `project_code` and `capital_type` (kit.money)."""
        assert self.tags is not None, "a ledger of programme money names its service"
        return self.tags.new(body)

    async def reversal(
        self,
        session: AsyncSession,
        owner_id: uuid.UUID | None,
        body: BaseModel,
        *,
        allowed: Callable[[E], bool] | None = None,
        date: str = "on",
    ) -> tuple[E, dict[str, Any]]:
        """The entry `body` reverses (`to_reverse`; one that is not `allowed` to the caller
        is as one that does not exist) and what the reversal copies from it: its source,
        project and capital type (a body naming another is 422), dated on or after it (422
        on `body.<date>`)."""
        assert self.tags is not None, "a ledger of programme money names its service"
        entry = await self.to_reverse(session, owner_id, getattr(body, "reverses", None))
        if allowed is not None and not allowed(entry):
            raise self.not_found()
        return entry, self.tags.reversal(body, entry, date=date)

    def not_found(self) -> RuleViolation:
        """No entry to reverse (or none the caller may see): 422 on `body.reverses`."""
        if self.owner_name is None:
            return RuleViolation("body.reverses", "not_found", what=word(self.name))
        return RuleViolation(
            "body.reverses", "not_found.entry", what=word(self.name), owner=word(self.owner_name)
        )

    def conflict(self) -> Msg:
        """What a unique rule lost to a racing request means for an entry."""
        return msg("reversed_or_id_taken", what=word(self.name))
