"""`POST /api/v1/auth/token` (form-encoded, RFC 6749) and `GET /.well-known/jwks.json`."""

from __future__ import annotations

import base64
import binascii
from urllib.parse import unquote_plus

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from starlette.datastructures import FormData

from gateway.identity.schemas import TOKEN_REQUEST_BODY, PublicKeys, TokenAnswer
from gateway.identity.tokens import (
    NO_STORE,
    TokenService,
    invalid_client,
    invalid_request,
    oauth_error,
)
from mtqg_shared.fields import is_storable
from mtqg_shared.messages import msg

router = APIRouter(tags=["auth"])
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
_PROBLEM: dict[str, object] = {"content": {"application/problem+json": {}}}
OAUTH_ERRORS: dict[int | str, dict[str, object]] = {
    400: {
        "description": "invalid_request, invalid_grant, invalid_scope, unsupported_grant_type",
        **_PROBLEM,
    },
    401: {"description": "invalid_client", **_PROBLEM},
    429: {"description": "Too many failed sign-ins (Retry-After)", **_PROBLEM},
}
_FIELDS = (
    "grant_type",
    "username",
    "password",
    "client_id",
    "client_secret",
    "refresh_token",
    "scope",
)


def _single(form: FormData, name: str) -> str | None:
    values = form.getlist(name)
    if len(values) > 1:
        raise invalid_request(msg("token.field_repeated", name=name))
    if not values:
        return None
    value = values[0]
    if not isinstance(value, str):
        raise invalid_request(msg("token.field_not_plain", name=name))
    return value


def _basic_credentials(request: Request) -> tuple[str, str] | None:
    header = request.headers.get("authorization")
    if header is None or header[:6].lower() != "basic ":
        return None
    try:
        decoded = base64.b64decode(header[6:].strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError) as exc:
        raise invalid_client(msg("token.basic_malformed")) from exc
    client_id, sep, secret = decoded.partition(":")
    if not sep:
        raise invalid_client(msg("token.basic_malformed"))
    # RFC 6749 2.3.1: both parts are form-urlencoded before being joined.
    client_id, secret = unquote_plus(client_id), unquote_plus(secret)
    # Text no client can have (NUL, control characters) never reaches the database.
    if not (is_storable(client_id) and is_storable(secret)):
        raise invalid_client(msg("token.basic_malformed"))
    return client_id, secret


def _address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@router.post(
    "/api/v1/auth/token",
    response_model=TokenAnswer,
    response_model_exclude_none=True,
    summary="Get an access token (OAuth2: password, client_credentials, refresh_token)",
    operation_id="auth.token",
    openapi_extra=TOKEN_REQUEST_BODY,
    responses=OAUTH_ERRORS,
)
async def issue_token(request: Request) -> JSONResponse:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type not in _FORM_TYPES:
        raise invalid_request(msg("token.not_form"))
    form = await request.form()
    values = {name: _single(form, name) for name in _FIELDS}
    tokens: TokenService = request.app.state.tokens
    grant = values["grant_type"]
    if not grant:
        raise invalid_request(msg("token.grant_missing"))
    if grant == "password":
        answer = await tokens.password_grant(
            values["username"] or "", values["password"] or "", _address(request)
        )
    elif grant == "client_credentials":
        basic = _basic_credentials(request)
        in_form = values["client_id"] is not None or values["client_secret"] is not None
        if basic is not None and in_form:
            raise invalid_request(msg("token.client_twice"))
        client_id, secret = basic or (values["client_id"] or "", values["client_secret"] or "")
        answer = await tokens.client_grant(client_id, secret, values["scope"], _address(request))
    elif grant == "refresh_token":
        answer = await tokens.refresh_grant(values["refresh_token"] or "")
    else:
        raise oauth_error(
            400,
            "unsupported_grant_type",
            msg("token.grant_unknown"),
        )
    return JSONResponse(answer.model_dump(exclude_none=True), headers=NO_STORE)


@router.get(
    "/.well-known/jwks.json",
    summary="Public keys that verify access tokens",
    operation_id="auth.jwks.get",
    response_model=PublicKeys,
)
async def jwks(request: Request) -> JSONResponse:
    return JSONResponse(
        request.app.state.signing_key.jwks(), headers={"Cache-Control": "public, max-age=300"}
    )
