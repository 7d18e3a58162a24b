"""The webhook dispatcher, in every gateway process (API.md section 9).

Each pass takes the subscriptions that are due (enabled, no retry waiting, no other replica
holding them) and, for each one, leases it in the database (`webhooks.lease_owner`,
`lease_until`: a compare-and-set UPDATE, the same on PostgreSQL and SQLite), so that with
several replicas each subscription is served by one of them at a time and each delivery is
made once. Holding the lease, it reads each subscribed service's change feed as the owning
client (a token minted as the client credentials grant mints it, so the client's scopes, areas
and masking apply, the services deciding), and POSTs every change in `seq` order, one at a
time, signed (Standard Webhooks), to the subscription's URL.

A 2xx within 10 s is success: the place in the feed moves past the change (in the transaction
that records the attempt, only while the lease is still ours). Anything else, a redirect
included, is a failure: recorded, retried after an exponential back-off with jitter, and
holding back every later change of the subscription until it succeeds, the subscription is
replayed, or it has failed for `MTQG_WEBHOOK_DISABLE_AFTER_HOURS` and is disabled (its place
kept: enabled again, it resumes at the held-back change). A receiver that answers 2xx after
we gave up on it, or a replica that dies between a delivery and its record, delivers the
change again: at least once, with the same `webhook-id`.

Connections to receivers resolve the host afresh and are refused unless every address is
allowed (`urls.GuardedResolver`), so a name that now points inside (DNS rebinding) is not
called.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import logging
import os
import random
import socket
import time
import uuid
from dataclasses import dataclass
from typing import Any, cast

import aiohttp
from sqlalchemy import CursorResult, and_, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.config import Settings
from gateway.edge.forward import Forwarder
from gateway.identity.accounts import clients
from gateway.identity.tokens import TokenService
from gateway.models import Client, Webhook, WebhookDelivery, webhook_positions
from gateway.views.calls import BadAnswer, Refusal, ServiceCalls
from gateway.webhooks import signing, urls
from mtqg_shared.db import Database
from mtqg_shared.types import new_id, utcnow

log = logging.getLogger("mtqg.gateway.webhooks")

DELIVERY_SECONDS = 10.0  # a 2xx within this is success (API.md section 9)
LEASE = dt.timedelta(seconds=60)  # longer than one delivery; renewed before each one
PAGE_SIZE = 100
PAGES_PER_PASS = 20  # then the subscription waits for the next pass, so others get a turn
DUE_PER_PASS = 200
RESPONSE_BYTES = 64 * 1024  # read of a receiver's answer, so the connection can be reused
USER_AGENT = "MTQG-Webhooks/1.0"


@dataclass(frozen=True, slots=True)
class Outcome:
    ok: bool
    status: int | None
    duration_ms: int
    error: str | None


@dataclass(slots=True)
class Position:
    cursor: str | None
    seq: int


class FeedUnavailable(Exception):
    """The service's feed gave no page now; the subscription is tried again next pass."""


class FeedReset(Exception):
    """410: the cursor expired, or the client's areas, roles or scopes changed."""


def backoff(attempts: int, base: float, cap: float) -> float:
    """Seconds before attempt `attempts + 1`: doubling from `base` up to `cap`, then half of
    it random ("equal jitter"), so that receivers coming back are not met by every retry at
    once."""
    delay = min(cap, base * 2.0 ** max(0, attempts - 1))
    return delay / 2 + random.uniform(0, delay / 2)


def event_body(service: str, item: dict[str, Any]) -> bytes:
    payload = {
        "type": f"{service}.{item.get('resource')}.{item.get('action')}",
        "timestamp": item.get("at"),
        "data": item,
    }
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()


def _refused_in(exc: BaseException) -> urls.RefusedUrl | None:
    seen = 0
    current: BaseException | None = exc
    while current is not None and seen < 8:
        if isinstance(current, urls.RefusedUrl):
            return current
        current = current.__cause__ or current.__context__
        seen += 1
    return None


class Dispatcher:
    """Delivers the webhook events of one gateway replica; `run_once` is one pass."""

    def __init__(
        self,
        db: Database,
        forwarder: Forwarder,
        tokens: TokenService,
        settings: Settings,
        *,
        replica: str | None = None,
    ) -> None:
        self.db = db
        self.forwarder = forwarder
        self.tokens = tokens
        self.settings = settings
        self.replica = replica or f"{socket.gethostname()}:{os.getpid()}:{new_id().hex[:8]}"
        self._sessions: dict[str, aiohttp.ClientSession] = {}
        self._task: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()

    # -- life --------------------------------------------------------------------------

    def _session(self, scheme: str) -> aiohttp.ClientSession:
        session = self._sessions.get(scheme)
        if session is None or session.closed:
            resolver = urls.GuardedResolver(
                scheme, allow_private=self.settings.webhook_allow_private
            )
            connector = aiohttp.TCPConnector(
                resolver=resolver, use_dns_cache=False, limit=0, keepalive_timeout=15
            )
            session = aiohttp.ClientSession(
                connector=connector,
                trust_env=False,  # never through a proxy named by the environment
                auto_decompress=False,
                headers={"User-Agent": USER_AGENT},
            )
            self._sessions[scheme] = session
        return session

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="webhooks")

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        for session in self._sessions.values():
            await session.close()
        self._sessions.clear()

    async def _run(self) -> None:
        while True:
            try:
                await self.run_once()
            except Exception:  # a database or network fault; the next pass tries again
                log.warning("webhook pass failed", exc_info=True)
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.settings.webhook_poll_seconds):
                    await self._wake.wait()
            self._wake.clear()

    # -- one pass ------------------------------------------------------------------------

    async def run_once(self) -> int:
        """Serve every due subscription once; the number of successful deliveries."""
        now = utcnow()
        async with self.db.session(write=False) as session:
            due = (
                await session.scalars(
                    select(Webhook.id)
                    .where(
                        Webhook.disabled.is_(False),
                        or_(Webhook.next_attempt_at.is_(None), Webhook.next_attempt_at <= now),
                        or_(Webhook.lease_until.is_(None), Webhook.lease_until < now),
                    )
                    .order_by(Webhook.next_attempt_at, Webhook.id)
                    .limit(DUE_PER_PASS)
                )
            ).all()
        if not due:
            return 0
        gate = asyncio.Semaphore(self.settings.webhook_concurrency)

        async def serve(webhook_id: uuid.UUID) -> int:
            async with gate:
                try:
                    return await self.serve(webhook_id)
                except Exception:
                    log.warning("webhook %s: pass failed", webhook_id, exc_info=True)
                    return 0

        return sum(await asyncio.gather(*(serve(w) for w in due)))

    async def serve(self, webhook_id: uuid.UUID) -> int:
        """Deliver what is due to one subscription, if no other replica holds it."""
        if not await self._lease(webhook_id, claim=True):
            return 0
        try:
            return await self._deliver_due(webhook_id)
        finally:
            await self._release(webhook_id)

    # -- the lease ---------------------------------------------------------------------

    async def _lease(self, webhook_id: uuid.UUID, *, claim: bool) -> bool:
        """Take (claim) or extend the lease; False when another replica holds it, or the
        subscription was disabled or deleted meanwhile."""
        now = utcnow()
        held = (
            or_(Webhook.lease_until.is_(None), Webhook.lease_until < now)
            if claim
            else Webhook.lease_owner == self.replica
        )
        async with self.db.session() as session:
            result = cast(
                CursorResult[Any],
                await session.execute(
                    update(Webhook)
                    .where(Webhook.id == webhook_id, Webhook.disabled.is_(False), held)
                    .values(lease_owner=self.replica, lease_until=now + LEASE)
                    .execution_options(synchronize_session=False)
                ),
            )
            await session.commit()
        return result.rowcount == 1

    async def _release(self, webhook_id: uuid.UUID) -> None:
        with contextlib.suppress(Exception):  # else it lapses on its own within LEASE
            async with self.db.session() as session:
                await session.execute(
                    update(Webhook)
                    .where(Webhook.id == webhook_id, Webhook.lease_owner == self.replica)
                    .values(lease_owner=None, lease_until=None)
                    .execution_options(synchronize_session=False)
                )
                await session.commit()

    # -- delivering --------------------------------------------------------------------

    async def _load(
        self, session: AsyncSession, webhook_id: uuid.UUID
    ) -> tuple[Webhook, Client, list[str]] | None:
        webhook = await session.get(Webhook, webhook_id, populate_existing=True)
        if webhook is None or webhook.disabled:
            return None
        client = await session.get(Client, webhook.owner_id)
        if client is None or client.disabled:
            return None  # a disabled client gets nothing; its place waits
        areas = (await clients.areas_of(session, [client.id]))[client.id]
        return webhook, client, areas

    async def _positions(self, session: AsyncSession, webhook_id: uuid.UUID) -> dict[str, Position]:
        rows = (
            await session.execute(
                select(
                    webhook_positions.c.service,
                    webhook_positions.c.cursor,
                    webhook_positions.c.delivered_seq,
                ).where(webhook_positions.c.webhook_id == webhook_id)
            )
        ).all()
        return {service: Position(cursor, seq) for service, cursor, seq in rows}

    async def _deliver_due(self, webhook_id: uuid.UUID) -> int:
        async with self.db.session(write=False) as session:
            loaded = await self._load(session, webhook_id)
            if loaded is None:
                return 0
            webhook, client, areas = loaded
            positions = await self._positions(session, webhook_id)
        token = self.tokens.client_token(client, areas, list(client.scopes))
        feeds = ServiceCalls.with_token(
            self.forwarder,
            self.settings.forward_timeout_seconds,
            token,
            self.settings.default_language,
        )
        made = 0
        for service in webhook.services:
            position = positions.get(service) or Position(None, 0)
            for _ in range(PAGES_PER_PASS):
                try:
                    page = await self._page(feeds, service, position)
                except FeedUnavailable:
                    break  # the other services' changes go on
                except FeedReset:
                    # Follow the feed again from its start: every current record once more.
                    if not await self._move(webhook_id, service, position, None, 0):
                        return made
                    position = Position(None, 0)
                    continue
                items = [i for i in page["items"] if i["seq"] > position.seq]
                for item in items:
                    if webhook.resources is not None and item["resource"] not in webhook.resources:
                        continue
                    outcome = await self.deliver(webhook, service, item)
                    fresh = await self._record(webhook.id, service, position, item, outcome)
                    if fresh is None or not outcome.ok:
                        return made  # lease lost, disabled, replayed, or a failure holding back
                    webhook = fresh
                    made += 1
                    position.seq = item["seq"]
                last = max([position.seq, *(i["seq"] for i in items)])
                next_cursor = page["next_cursor"]
                if next_cursor != position.cursor or last != position.seq:
                    if not await self._move(webhook_id, service, position, next_cursor, last):
                        return made
                    position = Position(next_cursor, last)
                if not page["items"]:
                    break  # caught up with the feed
        return made

    async def _page(self, feeds: ServiceCalls, service: str, position: Position) -> dict[str, Any]:
        query = {"limit": str(PAGE_SIZE)}
        if position.cursor is not None:
            query["cursor"] = position.cursor
        try:
            page = await feeds.get(service, f"/api/v1/{service}/changes", query)
        except Refusal as exc:
            if exc.status == 410 and position.cursor is not None:
                log.info("webhook feed %s: cursor gone; from the start", service)
                raise FeedReset from exc
            log.warning("webhook feed %s refused the client: %s", service, exc.status)
            raise FeedUnavailable from exc
        except (BadAnswer, OSError, TimeoutError, aiohttp.ClientError) as exc:
            log.warning("webhook feed %s unavailable: %s", service, type(exc).__name__)
            raise FeedUnavailable from exc
        if (
            not isinstance(page, dict)
            or not isinstance(page.get("items"), list)
            or not all(isinstance(i, dict) and isinstance(i.get("seq"), int) for i in page["items"])
        ):
            raise FeedUnavailable
        if not isinstance(page.get("next_cursor"), str):
            page["next_cursor"] = position.cursor
        return cast(dict[str, Any], page)

    def _secrets(self, webhook: Webhook) -> list[str]:
        found = [webhook.secret]
        until = webhook.previous_secret_until
        if webhook.previous_secret and until is not None and until > utcnow():
            found.append(webhook.previous_secret)
        return found

    async def deliver(self, webhook: Webhook, service: str, item: dict[str, Any]) -> Outcome:
        """One attempt: POST the signed event, 2xx within 10 s or it failed."""
        event_id = f"{service}:{item['seq']}"
        body = event_body(service, item)
        started = time.monotonic()

        def done(ok: bool, status: int | None, error: str | None) -> Outcome:
            return Outcome(ok, status, int((time.monotonic() - started) * 1000), error)

        try:
            target = urls.parse(webhook.url)
            fixed = urls.literal(target.host)
            if fixed is not None:  # aiohttp does not resolve an address; check it here
                reason = urls.refusal(
                    fixed,
                    scheme=target.scheme,
                    allow_private=self.settings.webhook_allow_private,
                )
                if reason is not None:
                    raise urls.RefusedUrl(reason)
            headers = {
                "Content-Type": "application/json",
                **signing.headers(self._secrets(webhook), event_id, int(time.time()), body),
            }
            async with (
                asyncio.timeout(DELIVERY_SECONDS),
                self._session(target.scheme).post(
                    webhook.url, data=body, headers=headers, allow_redirects=False
                ) as response,
            ):
                status = response.status
                await response.content.read(RESPONSE_BYTES)
                if not response.content.at_eof():
                    response.close()
        except TimeoutError:
            return done(False, None, "timeout")
        except Exception as exc:
            refused = _refused_in(exc)
            if refused is not None:
                return done(False, None, f"refused: {refused.reason}")
            if isinstance(exc, aiohttp.ClientError | OSError | ValueError):
                return done(False, None, type(exc).__name__)
            raise
        if 200 <= status < 300:
            return done(True, status, None)
        return done(False, status, "redirect" if 300 <= status < 400 else f"status {status}")

    async def _record(
        self,
        webhook_id: uuid.UUID,
        service: str,
        position: Position,
        item: dict[str, Any],
        outcome: Outcome,
    ) -> Webhook | None:
        """Record the attempt and, on success, the new place in the feed; on failure the
        retry's time (and, after long enough, disable); extend the lease. Only while the lease
        is ours: else nothing but the attempt is written. The subscription as it now stands
        (URL, secrets: changed meanwhile, they apply from the next delivery), or None when it
        is not to be served on (lease lost, disabled, deleted, replayed)."""
        now = utcnow()
        mine = and_(Webhook.id == webhook_id, Webhook.lease_owner == self.replica)
        async with self.db.session() as session:
            current = (await session.scalars(select(Webhook).where(mine))).first()
            attempts = 0 if current is None else current.failed_attempts
            await session.execute(
                insert(WebhookDelivery).values(
                    id=new_id(),
                    webhook_id=webhook_id,
                    at=now,
                    event_id=f"{service}:{item['seq']}",
                    type=f"{service}.{item.get('resource')}.{item.get('action')}"[:128],
                    attempt=attempts + 1,
                    succeeded=outcome.ok,
                    status=outcome.status,
                    duration_ms=outcome.duration_ms,
                    error=None if outcome.error is None else outcome.error[:300],
                )
            )
            if current is None:
                await session.commit()
                return None
            values: dict[str, Any] = {"lease_until": now + LEASE}
            if outcome.ok:
                if attempts or current.failing_since is not None:
                    values.update(failing_since=None, failed_attempts=0, next_attempt_at=None)
                moved = await self._move_in(
                    session, webhook_id, service, position, position.cursor, item["seq"]
                )
                if not moved:  # replayed meanwhile: the replay's place stands
                    await session.commit()
                    return None
            else:
                since = current.failing_since or now
                wait = backoff(
                    attempts + 1,
                    self.settings.webhook_retry_seconds,
                    self.settings.webhook_retry_max_seconds,
                )
                values.update(
                    failing_since=since,
                    failed_attempts=attempts + 1,
                    next_attempt_at=now + dt.timedelta(seconds=wait),
                )
                limit = dt.timedelta(hours=self.settings.webhook_disable_after_hours)
                if now - since >= limit:
                    values.update(disabled=True, disabled_at=now)
                    log.warning("webhook %s disabled after failing since %s", webhook_id, since)
            await session.execute(
                update(Webhook)
                .where(mine)
                .values(**values)
                .execution_options(synchronize_session=False)
            )
            await session.commit()
        return None if current.disabled else current

    async def _move(
        self, webhook_id: uuid.UUID, service: str, position: Position, cursor: str | None, seq: int
    ) -> bool:
        async with self.db.session() as session:
            moved = await self._move_in(session, webhook_id, service, position, cursor, seq)
            await session.commit()
        return moved

    async def _move_in(
        self,
        session: AsyncSession,
        webhook_id: uuid.UUID,
        service: str,
        position: Position,
        cursor: str | None,
        seq: int,
    ) -> bool:
        """Move the place from `position` (compare-and-set: a replay since wins)."""
        positions = webhook_positions.c
        result = cast(
            CursorResult[Any],
            await session.execute(
                update(webhook_positions)
                .where(
                    positions.webhook_id == webhook_id,
                    positions.service == service,
                    positions.cursor.is_not_distinct_from(position.cursor),
                    positions.delivered_seq == position.seq,
                )
                .values(cursor=cursor, delivered_seq=seq)
            ),
        )
        return result.rowcount == 1

    def wake(self) -> None:
        """Look for work now (a new subscription, a replay, an enabled one)."""
        self._wake.set()
