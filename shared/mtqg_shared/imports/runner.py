"""The background runner of a service's import jobs, started with the app.

- **Taking a job.** The oldest `queued` job, or a `running` one whose lease ran out (the
  process that ran it died: a restart, a crash), is claimed by one conditional UPDATE that
  moves it to `running`, counts the attempt and sets `lease_until`: of several replicas, one
  wins. A job claimed `MAX_ATTEMPTS` times without finishing is `failed` with a message,
  never left running for ever.
- **Running it.** From the start every time: its writes are one transaction, which died with
  the process that ran it. Every row goes through `engine.run_rows`; then a `commit` with no
  error commits the rows, their audit rows and change rows and the job's `done` together (so
  a job is never run twice to completion); otherwise everything is rolled back and the job
  ends `failed` (a commit with errors) or `done` (a dry run, with what it would have done).
- **Progress.** `processed_rows` is kept in this process for the job it runs, and GET reads
  it there first. On PostgreSQL it is also committed, with a longer lease, every
  `import_progress_rows` rows (at most once a second) or few seconds in a short transaction
  of its own, so another replica answers it too and never takes over a job that is still
  running. SQLite has one writer at a time, and the job's own transaction is that writer
  until it ends: a second transaction would wait for it, so there the progress lives in
  memory only, and the lease is long enough for the whole job.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import anyio
from sqlalchemy import Table, and_, or_, select, update

from mtqg_shared.auth import Principal
from mtqg_shared.collector import bulk_write
from mtqg_shared.db import Database
from mtqg_shared.errors import Problem
from mtqg_shared.imports.engine import Outcome, Rows, run_rows
from mtqg_shared.imports.reading import header_names, read_sheet
from mtqg_shared.kit.importing import Importable
from mtqg_shared.messages import Text, msg
from mtqg_shared.types import utcnow
from mtqg_shared.writes import IN_PARTS, WriteContext

log = logging.getLogger("mtqg.imports")

MAX_ATTEMPTS = 3
_PROGRESS_SECONDS = 5.0


@dataclass(frozen=True)
class RunnerSettings:
    lease_seconds: int = 120
    poll_seconds: float = 5.0
    progress_rows: int = 200
    max_rows: int = 100_000


def principal_of(snapshot: Mapping[str, Any]) -> Principal:
    """The submitting principal, rebuilt from what its token said."""
    return Principal.build(
        str(snapshot["subject"]),
        str(snapshot["kind"]),
        roles=snapshot.get("roles", ()),
        scopes=snapshot.get("scopes", ()),
        areas=snapshot.get("areas", ()),
    )


def snapshot_of(principal: Principal) -> dict[str, Any]:
    return {
        "subject": principal.subject,
        "kind": principal.kind,
        "roles": sorted(principal.roles),
        "scopes": sorted(principal.scopes),
        "areas": list(principal.areas),
    }


class Runner:
    """One per service process: runs its import jobs one after another."""

    def __init__(self, state: Any, table: Table, settings: RunnerSettings) -> None:
        self.state = state
        self.table = table
        self.settings = settings
        # processed_rows of the job this process runs (GET reads it here first).
        self.progress: dict[uuid.UUID, int] = {}
        self._wake = asyncio.Event()
        # Set while the loop finds nothing to do (tests wait for it).
        self.idle = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    @property
    def db(self) -> Database:
        db: Database = self.state.db
        return db

    # -- the loop ---------------------------------------------------------------------------

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._loop())

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    def wake(self) -> None:
        self._wake.set()

    async def _loop(self) -> None:
        while True:
            try:
                worked = await self.run_once()
            except asyncio.CancelledError:
                raise
            except Exception:  # the database away, say: try again later
                log.warning("the import runner could not take a job", exc_info=True)
                worked = False
            if worked:
                self.idle.clear()
            else:
                self.idle.set()
                self._wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), self.settings.poll_seconds)

    async def drain(self) -> int:
        """Run every job waiting (tests, and a process that runs no loop); how many ran."""
        count = 0
        while await self.run_once():
            count += 1
        return count

    # -- claiming ---------------------------------------------------------------------------

    def _claimable(self, now: dt.datetime) -> Any:
        t = self.table
        return or_(
            t.c.status == "queued",
            and_(t.c.status == "running", t.c.lease_until < now),
        )

    def _lease(self, now: dt.datetime) -> dt.datetime:
        seconds = self.settings.lease_seconds
        if not self.db.is_postgres:
            seconds *= 10  # no heartbeat while the job's transaction holds SQLite's lock
        return now + dt.timedelta(seconds=seconds)

    async def run_once(self) -> bool:
        """Claim one job and run it; False when none waits."""
        t = self.table
        now = utcnow()
        async with self.db.session() as session:
            found = (
                await session.execute(
                    select(t.c.id, t.c.attempts, t.c.language)
                    .where(self._claimable(now))
                    .order_by(t.c.created_at, t.c.id)
                    .limit(1)
                )
            ).first()
            if found is None:
                return False
            job_id, attempts, language = found
            claim = t.c.id == job_id, t.c.attempts == attempts, self._claimable(now)
            if attempts >= MAX_ATTEMPTS:
                await session.execute(
                    update(t)
                    .where(*claim)
                    .values(
                        status="failed",
                        lease_until=None,
                        finished_at=now,
                        message=msg("import_gave_up", attempts=attempts).render(language),
                    )
                )
                await session.commit()
                return True
            taken = await session.execute(
                update(t)
                .where(*claim)
                .values(
                    status="running",
                    attempts=attempts + 1,
                    lease_until=self._lease(now),
                    started_at=now,
                    processed_rows=0,
                )
            )
            await session.commit()
            if getattr(taken, "rowcount", 0) != 1:
                return True  # another replica took it first
            job = (await session.execute(select(t).where(t.c.id == job_id))).one()
        attempt = attempts + 1
        self.progress[job_id] = 0
        try:
            with bulk_write():  # the file read, every row, the commit
                await self._run(job, attempt)
        except Exception:
            log.exception("import %s failed on attempt %s", job_id, attempt)
            await self._attempt_failed(job, attempt)
        finally:
            self.progress.pop(job_id, None)
        return True

    # -- running ----------------------------------------------------------------------------

    async def _run(self, job: Any, attempt: int) -> None:
        state = self.state
        imports: Mapping[str, Importable] = state.imports
        entry = imports.get(job.resource)
        language = job.language
        outcome = Outcome(language)
        if entry is None:
            await self._finish(job, attempt, outcome, "failed", msg("import_resource_gone"))
            return
        try:
            rows = await anyio.to_thread.run_sync(self._read, job, entry)
        except Problem as problem:
            await self._finish(job, attempt, outcome, "failed", problem.detail or problem.title)
            return
        principal = principal_of(job.principal)
        last = [0, time.monotonic()]

        async def progress(processed: int) -> None:
            self.progress[job.id] = processed
            if not self.db.is_postgres:
                return
            every = self.settings.progress_rows
            if processed - last[0] >= every or time.monotonic() - last[1] > _PROGRESS_SECONDS:
                last[0], last[1] = processed, time.monotonic()
                await self._heartbeat(job.id, attempt, processed)

        async with self.db.session() as session:
            session.info[IN_PARTS] = True
            ctx = WriteContext(
                session=session,
                principal=principal,
                request_id=f"import-{job.id}",
                idempotency=state.idempotency,
                audit_table=state.audit_table,
                feed=getattr(state, "feed", None),
            )
            await run_rows(ctx, rows, outcome, progress)
            if job.mode == "commit" and outcome.error_count == 0:
                done = await session.execute(self._final(job, attempt, outcome, "done", None))
                if getattr(done, "rowcount", 0) != 1:
                    await session.rollback()  # another replica runs it now
                    return
                await ctx.commit(None)
                return
            await session.rollback()
        status = "failed" if job.mode == "commit" else "done"
        await self._finish(job, attempt, outcome, status, None)

    def _read(self, job: Any, entry: Importable) -> Rows:
        service: str = self.state.service_name
        found = read_sheet(
            job.file,
            self.settings.max_rows,
            header_names(service, entry.create.model_fields),
            entry.name,
        )
        return Rows(entry, found, job.on_existing, getattr(self.state, "vocabulary", None))

    async def _heartbeat(self, job_id: uuid.UUID, attempt: int, processed: int) -> None:
        t = self.table
        async with self.db.session() as session:
            await session.execute(
                update(t)
                .where(t.c.id == job_id, t.c.attempts == attempt, t.c.status == "running")
                .values(processed_rows=processed, lease_until=self._lease(utcnow()))
            )
            await session.commit()

    def _final(
        self, job: Any, attempt: int, outcome: Outcome, status: str, message: Text | None
    ) -> Any:
        t = self.table
        return (
            update(t)
            .where(t.c.id == job.id, t.c.attempts == attempt, t.c.status == "running")
            .values(
                status=status,
                total_rows=outcome.total_rows or job.total_rows,
                processed_rows=outcome.processed_rows,
                created=outcome.created,
                updated=outcome.updated,
                skipped=outcome.skipped,
                error_count=outcome.error_count,
                errors=outcome.errors,
                message=message.render(job.language) if message is not None else None,
                lease_until=None,
                finished_at=utcnow(),
            )
        )

    async def _finish(
        self, job: Any, attempt: int, outcome: Outcome, status: str, message: Text | None
    ) -> None:
        async with self.db.session() as session:
            await session.execute(self._final(job, attempt, outcome, status, message))
            await session.commit()

    async def _attempt_failed(self, job: Any, attempt: int) -> None:
        """An unexpected failure: queued again for another attempt, or failed for good."""
        t = self.table
        values: dict[str, Any] = {"status": "queued", "lease_until": None}
        if attempt >= MAX_ATTEMPTS:
            values = {
                "status": "failed",
                "lease_until": None,
                "finished_at": utcnow(),
                "message": msg("import_gave_up", attempts=attempt).render(job.language),
            }
        try:
            async with self.db.session() as session:
                await session.execute(
                    update(t)
                    .where(t.c.id == job.id, t.c.attempts == attempt, t.c.status == "running")
                    .values(**values)
                )
                await session.commit()
        except Exception:  # its lease runs out and the job is taken again
            log.warning("could not record the failed attempt of import %s", job.id)
