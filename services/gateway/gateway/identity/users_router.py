"""People: `/api/v1/auth/users` (admins, within their areas)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import IntegrityError

from gateway.apidoc.problems import declared
from gateway.identity.accounts import audit_communes, check_grant, check_protection_grant, users
from gateway.identity.passwords import hash_password
from gateway.identity.schemas import UserCreate, UserPage, UserRead, UserUpdate
from gateway.models import User
from mtqg_shared.audit import SecretChange
from mtqg_shared.auth import Admin
from mtqg_shared.db import ReadSession
from mtqg_shared.errors import conflict, not_found
from mtqg_shared.messages import msg, word
from mtqg_shared.openapi import NOT_MODIFIED
from mtqg_shared.pagination import Listing
from mtqg_shared.types import new_id
from mtqg_shared.writes import Change, Write, etag

router = APIRouter(prefix="/api/v1/auth", tags=["users"])
UsernamePath = Annotated[str, Path(max_length=64, description="The username.")]


def user_read(user: User, areas: list[str]) -> UserRead:
    return UserRead(
        id=user.id,
        username=user.username,
        full_name=user.full_name,
        roles=list(user.roles),
        areas=areas,
        disabled=user.disabled,
        created_at=user.created_at,
        updated_at=user.updated_at,
        created_by=user.created_by,
        version=user.version,
    )


@router.post(
    "/users",
    status_code=201,
    response_model=UserRead,
    summary="Create a person (admins)",
    responses=declared(409),
)
async def create_user(principal: Admin, write: Write, body: UserCreate) -> Response:
    check_protection_grant(principal, body.roles, body.areas)
    check_grant(principal, body.areas)
    session = write.session
    if await users.key_taken(session, body.username):
        raise conflict(msg("username_taken"))
    if body.id is not None and await users.id_taken(session, body.id):
        raise conflict(msg("id_taken", what=word("user")))
    password_hash = await hash_password(body.password)
    user = User(
        id=body.id or new_id(),
        username=body.username,
        full_name=body.full_name,
        password_hash=password_hash,
        roles=body.roles,
        disabled=False,
        credentials_version=1,
        created_by=principal.subject,
        version=1,
    )
    session.add(user)
    try:
        await session.flush()
    except IntegrityError as exc:  # another admin made the same username just now
        raise conflict(msg("username_taken")) from exc
    await users.set_areas(session, user.id, body.areas)
    write.audit(
        "create",
        "user",
        user.id,
        {
            "username": [None, user.username],
            "full_name": [None, user.full_name],
            "roles": [None, body.roles],
            "areas": [None, body.areas],
            "disabled": [None, False],
            "password": SecretChange.SET,
        },
        audit_communes(body.areas),
    )
    headers = {**etag(user.version), "Location": f"/api/v1/auth/users/{user.username}"}
    return await write.commit(user_read(user, body.areas), status=201, headers=headers)


@router.get("/users", response_model=UserPage, summary="List people (admins)")
async def list_users(principal: Admin, session: ReadSession, listing: Listing) -> UserPage:
    items, areas, cursor = await users.page(session, listing, principal)
    return UserPage(items=[user_read(u, areas[u.id]) for u in items], next_cursor=cursor)


@router.get(
    "/users/{username}",
    response_model=UserRead,
    summary="Read a person (admins)",
    responses={**declared(404), **NOT_MODIFIED},
)
async def read_user(principal: Admin, session: ReadSession, username: UsernamePath) -> JSONResponse:
    user = await users.get(session, username.lower(), principal)
    if user is None:
        raise not_found("user")
    areas = (await users.areas_of(session, [user.id]))[user.id]
    body = user_read(user, areas).model_dump(mode="json")
    return JSONResponse(body, headers=etag(user.version))


@router.patch(
    "/users/{username}",
    response_model=UserRead,
    summary="Change a person's roles, areas, password, name or disabled flag (admins)",
    responses=declared(404, 412, 428),
)
async def update_user(
    principal: Admin, write: Change, username: UsernamePath, body: UserUpdate
) -> Response:
    # Hash first: the slow part must not run while the row is locked.
    new_hash = await hash_password(body.password) if body.password is not None else None
    session = write.session
    user = await users.get(session, username.lower(), principal, for_update=True)
    if user is None:
        raise not_found("user")
    write.check_version(user.version)
    areas = (await users.areas_of(session, [user.id]))[user.id]
    if body.roles is not None or body.areas is not None:
        check_protection_grant(principal, body.roles or user.roles, body.areas or areas)
    before_communes = audit_communes(areas)
    changes: dict[str, Any] = {}
    credentials_changed = False
    if body.roles is not None and body.roles != user.roles:
        changes["roles"] = [user.roles, body.roles]
        user.roles = list[str](body.roles)
        credentials_changed = True
    if body.areas is not None and body.areas != areas:
        check_grant(principal, body.areas)
        changes["areas"] = [areas, body.areas]
        await users.set_areas(session, user.id, body.areas)
        areas = body.areas
        credentials_changed = True
    if body.disabled is not None and body.disabled != user.disabled:
        changes["disabled"] = [user.disabled, body.disabled]
        user.disabled = body.disabled
        credentials_changed = True
    if new_hash is not None:
        changes["password"] = SecretChange.CHANGED  # never the password or its hash
        user.password_hash = new_hash
        credentials_changed = True
    if "full_name" in body.model_fields_set and body.full_name != user.full_name:
        changes["full_name"] = [user.full_name, body.full_name]
        user.full_name = body.full_name
    if changes:
        user.version += 1
        if credentials_changed:
            user.credentials_version += 1
        await session.flush()
        write.audit(
            "update", "user", user.id, changes, sorted({*before_communes, *audit_communes(areas)})
        )
    return await write.commit(user_read(user, areas), headers=etag(user.version))
