"""A status path, declared once per resource: which moves it allows, which of them only an
approver (a person) takes, and which need a note. Services keep their own date rules; the
moves, the approver rule and the wording of a refused move are the same everywhere."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import Generic, TypeVar

from mtqg_shared.auth import Principal
from mtqg_shared.errors import Problem
from mtqg_shared.messages import msg, require_word, word
from mtqg_shared.rules import RuleViolation, StateConflict

S = TypeVar("S", bound=StrEnum)


class StatusPath(Generic[S]):
    def __init__(
        self,
        noun: str,
        moves: Mapping[S, Iterable[S]],
        *,
        approval: Iterable[S] = (),
        note_required: Iterable[S] = (),
    ) -> None:
        self.noun = require_word(noun)
        self.moves: dict[S, frozenset[S]] = {k: frozenset(v) for k, v in moves.items()}
        self.approval = frozenset(approval)
        self.note_required = frozenset(note_required)

    def allowed(self, current: S) -> frozenset[S]:
        return self.moves.get(current, frozenset())

    def check(
        self,
        current: S,
        to: S,
        *,
        note: str | None = None,
        allowed: Iterable[S] | None = None,
    ) -> None:
        """409 for a move the path does not allow from `current` (`allowed` overrides the
        declared moves, for a path whose next step depends on history); 422 for a step that
        needs a note and has none."""
        options = frozenset(allowed) if allowed is not None else self.allowed(current)
        if to not in options:
            listed: list[object] = [*sorted(options, key=lambda s: s.value)] or [word("none")]
            raise StateConflict(
                msg("status_move", what=word(self.noun), current=current, to=to, allowed=listed)
            )
        if to in self.note_required and not (note and note.strip()):
            raise RuleViolation("body.note", "required.note", what=word(self.noun), to=to)

    def require_approver(self, principal: Principal, to: S) -> None:
        """Approval steps are people's, and only approvers'."""
        if to not in self.approval:
            return
        if not principal.is_person:
            raise Problem(403, msg("forbidden.approval_clients"))
        if not principal.has_role("approver"):
            raise Problem(403, msg("forbidden.approver_step", what=word(self.noun)))
