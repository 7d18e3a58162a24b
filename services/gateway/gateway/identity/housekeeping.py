"""Periodic clean-up: refresh tokens past expiry and counts out of their window."""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy import delete

from gateway.counters import Counters
from gateway.models import RefreshToken
from mtqg_shared.db import Database
from mtqg_shared.types import utcnow

log = logging.getLogger("mtqg.gateway.housekeeping")


async def purge_expired(db: Database, counters: Counters) -> None:
    # Used tokens are kept until they expire, so that their reuse is still recognised.
    async with db.session() as session:
        await session.execute(delete(RefreshToken).where(RefreshToken.expires_at < utcnow()))
        await session.commit()
    await counters.purge()


async def run_housekeeping(db: Database, counters: Counters, every: float = 600) -> None:
    while True:
        await asyncio.sleep(every)  # not at once: start-up has enough to do
        try:
            await purge_expired(db, counters)
        except Exception:  # the next round tries again
            log.warning("housekeeping failed", exc_info=True)
