"""The period lock (API.md section 11): while a period report is approved, the records of its
service dated inside its period and lying in its area are not written. Reports declare it
(kit.periods); `Resource` (kit.resource) asks it on every write of a dated record."""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, text

from mtqg_shared.errors import Problem
from mtqg_shared.messages import msg
from mtqg_shared.writes import WriteContext

APPROVED = "approved"

# The advisory locks of the period lock (PostgreSQL): one key per service table in this space.
LOCK_SPACE = 0x4D545147  # "MTQG"
_SHARED = text("SELECT pg_advisory_xact_lock_shared(:space, :key)")
_EXCLUSIVE = text("SELECT pg_advisory_xact_lock(:space, :key)")


@dataclass(frozen=True, slots=True)
class Locked:
    """An approved report: its period and the current communes of its area."""

    period: str
    start: dt.date
    end: dt.date
    area_code: str
    communes: frozenset[str]


class Lock:
    """The approved periods of one service, read at most once per write transaction."""

    def __init__(self, model: Any) -> None:
        self.model = model
        m = model
        self._approved = select(
            m.period, m.period_start, m.period_end, m.area_code, m.communes
        ).where(m.status == APPROVED)
        self._memo = f"periods:{m.__table__.fullname}"
        # A signed 32-bit key of the table's name (PostgreSQL's two-int advisory locks).
        self._key = zlib.crc32(m.__table__.fullname.encode()) - 2**31

    async def _hold(self, ctx: WriteContext, statement: Any) -> None:
        """On PostgreSQL, the service's period-lock advisory lock for this transaction. A
        write of dated records holds it shared while it reads the approved periods and until
        it commits; an approval holds it alone. So an approval waits for the writes already
        running, and a write that starts meanwhile reads the periods once the approval has
        committed: no write lands inside a period approved while it ran. (SQLite runs one
        writer at a time, which gives the same.)"""
        if ctx.session.get_bind().dialect.name == "postgresql":
            # Not flushing what the write holds yet (see `load`).
            with ctx.session.sync_session.no_autoflush:
                await ctx.session.execute(statement, {"space": LOCK_SPACE, "key": self._key})

    async def approving(self, ctx: WriteContext) -> None:
        """Before a report is approved: wait for the dated writes running now."""
        await self._hold(ctx, _EXCLUSIVE)

    async def load(self, ctx: WriteContext) -> list[Locked]:
        found = ctx.memo.get(self._memo)
        if found is None:
            await self._hold(ctx, _SHARED)
            # Not flushing what the write holds yet: its unique rules are met where it flushes
            # (flush_or_conflict), as a 409, not here.
            with ctx.session.sync_session.no_autoflush:
                rows = (await ctx.session.execute(self._approved)).all()
            found = [
                Locked(
                    r.period,
                    r.period_start,
                    r.period_end,
                    r.area_code,
                    frozenset(r.communes.split()),
                )
                for r in rows
            ]
            ctx.memo[self._memo] = found
        return found

    def loaded(self, ctx: WriteContext) -> list[Locked] | None:
        return ctx.memo.get(self._memo)

    @staticmethod
    def refuse(
        locked: Sequence[Locked], on: Any, communes: Iterable[str], *, inside: bool = False
    ) -> None:
        """409 period-locked when `on` lies in an approved period of an area holding one of
        `communes` (`inside`: all of them, for a record that only a report of an area
        holding it all counts, such as a capital plan of the province)."""
        if isinstance(on, str) and len(on) == 7:  # a month, YYYY-MM: periods hold whole months
            on = dt.date(int(on[:4]), int(on[5:]), 1)
        if not isinstance(on, dt.date) or not locked:
            return
        places = set(communes)
        for period in locked:
            held = places <= period.communes if inside else not places.isdisjoint(period.communes)
            if period.start <= on <= period.end and held:
                raise Problem(
                    409,
                    msg("period_locked", period=period.period, area=period.area_code),
                    type="period-locked",
                )

    async def check(
        self, ctx: WriteContext, on: Any, communes: Iterable[str], *, inside: bool = False
    ) -> None:
        if on is None:
            return
        self.refuse(await self.load(ctx), on, communes, inside=inside)


# Each service's lock, by its prefix: what its resources check (kit.resource).
LOCKS: dict[str, Lock] = {}


def lock_of(prefix: str) -> Lock | None:
    return LOCKS.get(prefix)
