"""Every query of the webhook endpoints: subscriptions as their owner or an admin sees them,
their feed positions and delivery attempts."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, insert, literal, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.identity.accounts import clients
from gateway.models import Client, Webhook, WebhookDelivery, webhook_positions
from mtqg_shared.auth import Principal
from mtqg_shared.pagination import ListParams, decode_cursor, encode_cursor, keyset, page_of


def _visible(principal: Principal) -> Select[Webhook, str]:
    """A client sees its own subscriptions; an admin those of the clients in its areas."""
    stmt = select(Webhook, Client.client_id).join(Client, Client.id == Webhook.owner_id)
    if not principal.is_person:
        return stmt.where(Client.client_id == principal.subject)
    inside = clients.inside(principal)
    return stmt if inside is None else stmt.where(inside)


async def get(
    session: AsyncSession, principal: Principal, id_: uuid.UUID, *, for_update: bool = False
) -> tuple[Webhook, str] | None:
    stmt = _visible(principal).where(Webhook.id == id_)
    if for_update:
        stmt = stmt.with_for_update(of=Webhook)
    row = (await session.execute(stmt)).first()
    return None if row is None else (row[0], row[1])


async def page(
    session: AsyncSession, principal: Principal, params: ListParams
) -> tuple[list[tuple[Webhook, str]], str | None]:
    stmt = keyset(_visible(principal), params, Webhook.created_at, Webhook.updated_at, Webhook.id)
    rows = (await session.execute(stmt)).all()
    owners = {webhook.id: client_id for webhook, client_id in rows}
    items, cursor = page_of([webhook for webhook, _ in rows], params)
    return [(w, owners[w.id]) for w in items], cursor


async def owner(
    session: AsyncSession, principal: Principal, client_id: str
) -> tuple[Client, list[str]] | None:
    """The client a subscription is for, within an admin's areas; with its areas."""
    client = await clients.get(session, client_id, principal if principal.is_person else None)
    if client is None:
        return None
    return client, (await clients.areas_of(session, [client.id]))[client.id]


async def owner_areas(session: AsyncSession, owner_id: uuid.UUID) -> list[str]:
    return (await clients.areas_of(session, [owner_id]))[owner_id]


async def add_positions(session: AsyncSession, webhook_id: uuid.UUID, services: list[str]) -> None:
    """A new subscription starts at the start of each service's feed."""
    await session.execute(
        insert(webhook_positions),
        [
            {"webhook_id": webhook_id, "service": s, "cursor": None, "delivered_seq": 0}
            for s in services
        ],
    )


async def set_position(
    session: AsyncSession, webhook_id: uuid.UUID, service: str, seq: int
) -> None:
    """Deliver `service`'s changes after `seq` next: from the feed's start, skipping up to it
    (a feed cursor names a page, not a change)."""
    await session.execute(
        update(webhook_positions)
        .where(webhook_positions.c.webhook_id == webhook_id, webhook_positions.c.service == service)
        .values(cursor=None, delivered_seq=seq)
    )


async def deliveries(
    session: AsyncSession, webhook_id: uuid.UUID, params: ListParams
) -> tuple[Sequence[WebhookDelivery], str | None]:
    """Attempts newest first (`order=updated`: oldest first), keyset paginated."""
    stmt = select(WebhookDelivery).where(WebhookDelivery.webhook_id == webhook_id)
    at, id_ = WebhookDelivery.at, WebhookDelivery.id
    if params.order == "updated":
        if params.updated_after is not None:
            stmt = stmt.where(at > params.updated_after)
        if params.cursor:
            stmt = stmt.where(tuple_(at, id_) > tuple_(*_key(params.cursor)))
        stmt = stmt.order_by(at.asc(), id_.asc())
    else:
        if params.cursor:
            stmt = stmt.where(tuple_(at, id_) < tuple_(*_key(params.cursor)))
        stmt = stmt.order_by(at.desc(), id_.desc())
    rows = list((await session.scalars(stmt.limit(params.limit + 1))).all())
    items = rows[: params.limit]
    cursor = encode_cursor(items[-1].at, items[-1].id) if len(rows) > params.limit else None
    return items, cursor


def _key(cursor: str) -> tuple[Any, Any]:
    at, id_ = decode_cursor(cursor)
    return (
        literal(at, WebhookDelivery.__table__.c.at.type),
        literal(id_, WebhookDelivery.__table__.c.id.type),
    )
