"""`/api/v1/webhooks` (API.md section 9): subscriptions of system clients to the services'
change feeds. A system client manages its own; an admin manages those of the clients in its
areas (naming `client_id` to create one). The secret is shown once, in the answer that made it
(create, `rotate_secret`), and such an answer is never replayed for a repeated
Idempotency-Key (409), as for client secrets.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import JSONResponse, Response

from gateway.apidoc.problems import declared
from gateway.identity.accounts import audit_communes
from gateway.identity.tokens import NO_STORE
from gateway.models import Webhook
from gateway.webhooks import repository, urls
from gateway.webhooks.schemas import (
    DeliveryPage,
    DeliveryRead,
    ReplayAnswer,
    ReplayRequest,
    WebhookCreate,
    WebhookPage,
    WebhookRead,
    WebhookUpdate,
    WebhookWithSecret,
)
from gateway.webhooks.signing import new_secret
from mtqg_shared.audit import SecretChange
from mtqg_shared.auth import CurrentPrincipal, Principal
from mtqg_shared.db import ReadSession
from mtqg_shared.errors import Problem, not_found, validation_problem
from mtqg_shared.fields import IdempotencyKey, IfMatch
from mtqg_shared.messages import msg, word
from mtqg_shared.openapi import NOT_MODIFIED
from mtqg_shared.pagination import Listing
from mtqg_shared.types import new_id, utcnow
from mtqg_shared.writes import WriteContext, etag, open_write

router = APIRouter(prefix="/api/v1/webhooks", tags=["webhooks"])
WebhookIdPath = Annotated[uuid.UUID, Path(description="The subscription's id.")]
# After a rotation the previous secret also signs for this long (API.md section 9).
PREVIOUS_SECRET_SIGNS = dt.timedelta(hours=24)


async def require_owner(principal: CurrentPrincipal) -> Principal:
    """System clients (their own subscriptions) and admins; other people 403."""
    if principal.is_person and not principal.has_role("admin"):
        raise Problem(403, msg("forbidden.webhooks"))
    return principal


Owner = Annotated[Principal, Depends(require_owner)]


async def _create_context(
    request: Request, principal: Owner, key: IdempotencyKey = None
) -> AsyncIterator[WriteContext]:
    async with open_write(request, principal, key=key, if_match=None, change=False) as ctx:
        yield ctx


async def _change_context(
    request: Request, principal: Owner, if_match: IfMatch = None, key: IdempotencyKey = None
) -> AsyncIterator[WriteContext]:
    async with open_write(request, principal, key=key, if_match=if_match, change=True) as ctx:
        yield ctx


# The kit's `Write` and `Change`, for the callers of this router (clients and admins).
OwnerWrite = Annotated[WriteContext, Depends(_create_context, scope="function")]
OwnerChange = Annotated[WriteContext, Depends(_change_context, scope="function")]


def webhook_read(webhook: Webhook, client_id: str) -> WebhookRead:
    return WebhookRead(
        id=webhook.id,
        client_id=client_id,
        url=webhook.url,
        services=list(webhook.services),
        resources=None if webhook.resources is None else list(webhook.resources),
        description=webhook.description,
        disabled=webhook.disabled,
        disabled_at=webhook.disabled_at,
        failing_since=webhook.failing_since,
        next_attempt_at=webhook.next_attempt_at,
        created_at=webhook.created_at,
        updated_at=webhook.updated_at,
        created_by=webhook.created_by,
        version=webhook.version,
    )


async def check_url(request: Request, url: str) -> None:
    """422 for a URL the dispatcher would refuse to call (API.md section 9)."""
    try:
        await urls.check(url, allow_private=request.app.state.settings.webhook_allow_private)
    except urls.RefusedUrl as exc:
        raise validation_problem("body.url", f"invalid.webhook_{exc.reason}") from None


def wake(request: Request) -> None:
    """Tell this replica's dispatcher that there is something to deliver now."""
    dispatcher = getattr(request.app.state, "webhooks", None)
    if dispatcher is not None:
        dispatcher.wake()


def check_scopes(scopes: list[str], services: list[str]) -> None:
    """The client reads each service's feed with its own token: it needs `<service>:read`."""
    for service in services:
        if f"{service}:read" not in scopes:
            raise validation_problem(
                "body.services", "invalid_choice.webhook_scope", scope=f"{service}:read"
            )


@router.post(
    "",
    status_code=201,
    response_model=WebhookWithSecret,
    summary="Subscribe a system client to changes; the answer shows the secret once",
    openapi_extra={"x-never-replayed": True},
)
async def create_webhook(
    request: Request, principal: Owner, write: OwnerWrite, body: WebhookCreate
) -> Response:
    session = write.session
    if principal.is_person:
        if body.client_id is None:
            raise validation_problem("body.client_id", "required.client_id")
        client_id = body.client_id
    else:
        if body.client_id not in (None, principal.subject):
            raise Problem(403, msg("forbidden.webhook_client"))
        client_id = principal.subject
    found = await repository.owner(session, principal, client_id)
    if found is None:
        raise validation_problem("body.client_id", "not_found", what=word("client"))
    client, areas = found
    check_scopes(list(client.scopes), body.services)
    await check_url(request, body.url)
    secret = new_secret()
    webhook = Webhook(
        id=new_id(),
        owner_id=client.id,
        url=body.url,
        services=body.services,
        resources=body.resources,
        description=body.description,
        secret=secret,
        disabled=False,
        failed_attempts=0,
        created_by=principal.subject,
        version=1,
    )
    session.add(webhook)
    await session.flush()
    await repository.add_positions(session, webhook.id, body.services)
    write.audit(
        "create",
        "webhook",
        webhook.id,
        {
            "client_id": [None, client_id],
            "url": [None, body.url],
            "services": [None, body.services],
            "resources": [None, body.resources],
            "secret": SecretChange.SET,
        },
        audit_communes(areas),
    )
    answer = WebhookWithSecret(**webhook_read(webhook, client_id).model_dump(), secret=secret)
    headers = {**etag(1), **NO_STORE, "Location": f"/api/v1/webhooks/{webhook.id}"}
    committed = await write.commit(answer, status=201, headers=headers)
    wake(request)
    return committed


@router.get("", response_model=WebhookPage, summary="List webhook subscriptions")
async def list_webhooks(principal: Owner, session: ReadSession, listing: Listing) -> WebhookPage:
    rows, cursor = await repository.page(session, principal, listing)
    return WebhookPage(items=[webhook_read(w, c) for w, c in rows], next_cursor=cursor)


@router.get(
    "/{webhook_id}",
    response_model=WebhookRead,
    summary="Read a webhook subscription",
    responses={**declared(404), **NOT_MODIFIED},
)
async def read_webhook(
    principal: Owner, session: ReadSession, webhook_id: WebhookIdPath
) -> JSONResponse:
    found = await repository.get(session, principal, webhook_id)
    if found is None:
        raise not_found("webhook")
    webhook, client_id = found
    body = webhook_read(webhook, client_id).model_dump(mode="json")
    return JSONResponse(body, headers=etag(webhook.version))


@router.patch(
    "/{webhook_id}",
    response_model=WebhookWithSecret | WebhookRead,
    summary="Change a subscription's URL, disable or enable it, or rotate its secret",
    openapi_extra={"x-never-replayed": True},
    responses=declared(404, 412, 428),
)
async def update_webhook(
    request: Request,
    principal: Owner,
    write: OwnerChange,
    webhook_id: WebhookIdPath,
    body: WebhookUpdate,
) -> Response:
    session = write.session
    found = await repository.get(session, principal, webhook_id, for_update=True)
    if found is None:
        raise not_found("webhook")
    webhook, client_id = found
    write.check_version(webhook.version)
    now = utcnow()
    changes: dict[str, Any] = {}
    if body.url is not None and body.url != webhook.url:
        await check_url(request, body.url)
        changes["url"] = [webhook.url, body.url]
        webhook.url = body.url
    if "description" in body.model_fields_set and body.description != webhook.description:
        changes["description"] = [webhook.description, body.description]
        webhook.description = body.description
    if body.disabled is not None and body.disabled != webhook.disabled:
        changes["disabled"] = [webhook.disabled, body.disabled]
        webhook.disabled = body.disabled
        webhook.disabled_at = now if body.disabled else None
        if not body.disabled:  # resume where it stopped, the held-back event first, now
            webhook.failing_since = None
            webhook.failed_attempts = 0
            webhook.next_attempt_at = None
    secret: str | None = None
    if body.rotate_secret:
        secret = new_secret()
        webhook.previous_secret = webhook.secret
        webhook.previous_secret_until = now + PREVIOUS_SECRET_SIGNS
        webhook.secret = secret
        changes["secret"] = SecretChange.ROTATED
    if changes:
        webhook.version += 1
        webhook.updated_at = now
        await session.flush()
        areas = await repository.owner_areas(session, webhook.owner_id)
        write.audit("update", "webhook", webhook.id, changes, audit_communes(areas))
    read = webhook_read(webhook, client_id)
    headers = etag(webhook.version)
    if secret is None:
        committed = await write.commit(read, headers=headers)
    else:
        answer = WebhookWithSecret(**read.model_dump(), secret=secret)
        committed = await write.commit(answer, headers={**headers, **NO_STORE})
    wake(request)
    return committed


@router.delete(
    "/{webhook_id}",
    status_code=204,
    summary="Delete a webhook subscription (its delivery attempts go with it)",
    responses=declared(404),
)
async def delete_webhook(
    principal: Owner, write: OwnerWrite, webhook_id: WebhookIdPath
) -> Response:
    session = write.session
    found = await repository.get(session, principal, webhook_id, for_update=True)
    if found is None:
        raise not_found("webhook")
    webhook, client_id = found
    areas = await repository.owner_areas(session, webhook.owner_id)
    await session.delete(webhook)
    await session.flush()
    write.audit(
        "delete",
        "webhook",
        webhook.id,
        {"client_id": [client_id, None], "url": [webhook.url, None]},
        audit_communes(areas),
    )
    return await write.commit(None, status=204)


@router.get(
    "/{webhook_id}/deliveries",
    response_model=DeliveryPage,
    summary="Delivery attempts of a subscription, newest first",
    responses=declared(404),
)
async def list_deliveries(
    principal: Owner, session: ReadSession, webhook_id: WebhookIdPath, listing: Listing
) -> DeliveryPage:
    if await repository.get(session, principal, webhook_id) is None:
        raise not_found("webhook")
    rows, cursor = await repository.deliveries(session, webhook_id, listing)
    items = [
        DeliveryRead(
            id=d.id,
            webhook_id=d.event_id,
            type=d.type,
            attempt=d.attempt,
            succeeded=d.succeeded,
            status=d.status,
            duration_ms=d.duration_ms,
            error=d.error,
            at=d.at,
        )
        for d in rows
    ]
    return DeliveryPage(items=items, next_cursor=cursor)


@router.post(
    "/{webhook_id}/replay",
    status_code=202,
    response_model=ReplayAnswer,
    summary="Deliver a service's changes again, from the one after `after`",
    operation_id="webhooks.replay",
    responses=declared(404),
)
async def replay(
    request: Request,
    principal: Owner,
    write: OwnerWrite,
    webhook_id: WebhookIdPath,
    body: ReplayRequest,
) -> Response:
    session = write.session
    found = await repository.get(session, principal, webhook_id, for_update=True)
    if found is None:
        raise not_found("webhook")
    webhook, _client_id = found
    if body.service not in webhook.services:
        raise validation_problem(
            "body.service", "invalid_choice.webhook_service", service=body.service
        )
    await repository.set_position(session, webhook.id, body.service, body.after)
    # The replay goes first: whatever was held back waits no longer.
    webhook.failing_since = None
    webhook.failed_attempts = 0
    webhook.next_attempt_at = None
    areas = await repository.owner_areas(session, webhook.owner_id)
    write.audit(
        "replay",
        "webhook",
        webhook.id,
        {"service": [None, body.service], "after": [None, body.after]},
        audit_communes(areas),
    )
    answer = ReplayAnswer(service=body.service, after=body.after)
    committed = await write.commit(answer, status=202)
    wake(request)
    return committed
