"""System clients: `/api/v1/auth/clients` (admins, within their areas).

A client secret is shown once, in the answer that made it, and kept only as a hash; the
create answer is therefore never replayed for a repeated Idempotency-Key (409 instead).
Changing a client's scopes, areas or disabled flag applies to tokens issued afterwards; access
tokens already out keep working until they expire (at most 15 minutes).
"""

from __future__ import annotations

import secrets
from typing import Annotated, Any

from fastapi import APIRouter, Path
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import IntegrityError

from gateway.apidoc.problems import declared
from gateway.identity.accounts import audit_communes, check_grant, clients
from gateway.identity.schemas import (
    ClientCreate,
    ClientPage,
    ClientRead,
    ClientUpdate,
    ClientWithSecret,
)
from gateway.identity.tokens import NO_STORE, new_client_secret
from gateway.models import Client
from mtqg_shared.audit import SecretChange
from mtqg_shared.auth import Admin
from mtqg_shared.db import ReadSession
from mtqg_shared.errors import conflict, not_found
from mtqg_shared.messages import msg, word
from mtqg_shared.openapi import NOT_MODIFIED
from mtqg_shared.pagination import Listing
from mtqg_shared.types import new_id
from mtqg_shared.writes import Change, Write, etag

router = APIRouter(prefix="/api/v1/auth", tags=["clients"])
ClientIdPath = Annotated[str, Path(max_length=64, description="The client_id.")]


def client_read(client: Client, areas: list[str]) -> ClientRead:
    return ClientRead(
        id=client.id,
        client_id=client.client_id,
        name=client.name,
        scopes=list(client.scopes),
        areas=areas,
        disabled=client.disabled,
        created_at=client.created_at,
        updated_at=client.updated_at,
        created_by=client.created_by,
        version=client.version,
    )


def with_secret(client: Client, areas: list[str], secret: str) -> ClientWithSecret:
    return ClientWithSecret(**client_read(client, areas).model_dump(), client_secret=secret)


@router.post(
    "/clients",
    status_code=201,
    response_model=ClientWithSecret,
    summary="Create a system client; the answer shows its secret once (admins)",
    openapi_extra={"x-never-replayed": True},
    responses=declared(409),
)
async def create_client(principal: Admin, write: Write, body: ClientCreate) -> Response:
    check_grant(principal, body.areas)
    session = write.session
    if body.id is not None and await clients.id_taken(session, body.id):
        raise conflict(msg("id_taken", what=word("client")))
    secret, secret_hash = new_client_secret()
    client = Client(
        id=body.id or new_id(),
        client_id=f"mtqg-{secrets.token_hex(8)}",
        secret_hash=secret_hash,
        name=body.name,
        scopes=body.scopes,
        disabled=False,
        created_by=principal.subject,
        version=1,
    )
    session.add(client)
    try:
        await session.flush()
    except IntegrityError as exc:
        raise conflict(msg("id_taken", what=word("client"))) from exc
    await clients.set_areas(session, client.id, body.areas)
    write.audit(
        "create",
        "client",
        client.id,
        {
            "client_id": [None, client.client_id],
            "name": [None, client.name],
            "scopes": [None, body.scopes],
            "areas": [None, body.areas],
            "disabled": [None, False],
            "secret": SecretChange.SET,
        },
        audit_communes(body.areas),
    )
    headers = {
        **etag(client.version),
        **NO_STORE,
        "Location": f"/api/v1/auth/clients/{client.client_id}",
    }
    return await write.commit(with_secret(client, body.areas, secret), status=201, headers=headers)


@router.get("/clients", response_model=ClientPage, summary="List system clients (admins)")
async def list_clients(principal: Admin, session: ReadSession, listing: Listing) -> ClientPage:
    items, areas, cursor = await clients.page(session, listing, principal)
    return ClientPage(items=[client_read(c, areas[c.id]) for c in items], next_cursor=cursor)


@router.get(
    "/clients/{client_id}",
    response_model=ClientRead,
    summary="Read a system client (admins)",
    responses={**declared(404), **NOT_MODIFIED},
)
async def read_client(
    principal: Admin, session: ReadSession, client_id: ClientIdPath
) -> JSONResponse:
    client = await clients.get(session, client_id, principal)
    if client is None:
        raise not_found("client")
    areas = (await clients.areas_of(session, [client.id]))[client.id]
    body = client_read(client, areas).model_dump(mode="json")
    return JSONResponse(body, headers=etag(client.version))


@router.patch(
    "/clients/{client_id}",
    response_model=ClientWithSecret | ClientRead,
    summary="Change a client or rotate its secret (admins)",
    responses=declared(404, 412, 428),
)
async def update_client(
    principal: Admin, write: Change, client_id: ClientIdPath, body: ClientUpdate
) -> Response:
    session = write.session
    client = await clients.get(session, client_id, principal, for_update=True)
    if client is None:
        raise not_found("client")
    write.check_version(client.version)
    areas = (await clients.areas_of(session, [client.id]))[client.id]
    before_communes = audit_communes(areas)
    changes: dict[str, Any] = {}
    if body.name is not None and body.name != client.name:
        changes["name"] = [client.name, body.name]
        client.name = body.name
    if body.scopes is not None and body.scopes != client.scopes:
        changes["scopes"] = [client.scopes, body.scopes]
        client.scopes = list[str](body.scopes)
    if body.areas is not None and body.areas != areas:
        check_grant(principal, body.areas)
        changes["areas"] = [areas, body.areas]
        await clients.set_areas(session, client.id, body.areas)
        areas = body.areas
    if body.disabled is not None and body.disabled != client.disabled:
        changes["disabled"] = [client.disabled, body.disabled]
        client.disabled = body.disabled
    secret: str | None = None
    if body.rotate_secret:
        secret, client.secret_hash = new_client_secret()
        changes["secret"] = SecretChange.ROTATED  # never the secret or its hash
    if changes:
        client.version += 1
        await session.flush()
        write.audit(
            "update",
            "client",
            client.id,
            changes,
            sorted({*before_communes, *audit_communes(areas)}),
        )
    headers = etag(client.version)
    if secret is not None:
        answer: ClientRead = with_secret(client, areas, secret)
        headers = {**headers, **NO_STORE}
    else:
        answer = client_read(client, areas)
    return await write.commit(answer, headers=headers)
