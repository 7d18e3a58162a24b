"""How the merged document says to sign in: OAuth2 at `POST /api/v1/auth/token`.

The services and the gateway's own routes declare a bearer token (`HTTPBearer`) on exactly the
operations that need one; the token endpoint, the JWKS, the probes and the reference data
declare none. Those operations take the `OAuth2` scheme as well, so that a client generator,
and Swagger UI's Authorize dialog, know where a token comes from:

- the password flow, for people (what a token allows follows from their roles and areas);
- the client-credentials flow, for other systems, with the scopes of every service in the
  registry (`<service>:read`, `<service>:write`).

Both flows take `grant_type=refresh_token` at the same address. `HTTPBearer` stays as the other
choice, for a token obtained elsewhere (pasted into Swagger UI, say). The operations that need
no token say so with an empty `security`, so that no reader (or linter) has to guess.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from mtqg_shared.registry import SERVICES

SCHEME = "OAuth2"
BEARER = "HTTPBearer"
TOKEN_URL = "/api/v1/auth/token"
_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def scopes() -> dict[str, str]:
    """Every client scope, with what it allows."""
    described: dict[str, str] = {}
    for service in SERVICES:
        described[service.read_scope] = f"Read {service.label}'s records and reports."
        described[service.write_scope] = f"Create and change {service.label}'s records."
    return described


def scheme() -> dict[str, Any]:
    return {
        "type": "oauth2",
        "description": (
            "An access token from POST /api/v1/auth/token, sent as `Authorization: Bearer "
            "...`. People sign in with the password flow: their roles (viewer, officer, "
            "approver, admin) and areas decide what they may do. Other systems use the "
            "client-credentials flow (client id and secret in the form or in HTTP Basic): "
            "a client reads a service with its `<service>:read` scope and writes with "
            "`<service>:write`, within its areas. Approval steps and admin endpoints are "
            "for people only."
        ),
        "flows": {
            "password": {"tokenUrl": TOKEN_URL, "refreshUrl": TOKEN_URL, "scopes": {}},
            "clientCredentials": {
                "tokenUrl": TOKEN_URL,
                "refreshUrl": TOKEN_URL,
                "scopes": scopes(),
            },
        },
    }


def _operations(doc: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for item in doc.get("paths", {}).values():
        for method in _METHODS:
            operation = item.get(method)
            if isinstance(operation, dict):
                yield operation


def add_oauth2(doc: dict[str, Any]) -> None:
    """Add the `OAuth2` scheme, offer it on every operation that takes a bearer token, and
    mark the others as needing none."""
    components = doc.setdefault("components", {})
    # First, so that Swagger UI's Authorize dialog opens on the sign-in form.
    others = {k: v for k, v in components.get("securitySchemes", {}).items() if k != SCHEME}
    components["securitySchemes"] = {SCHEME: scheme(), **others}
    for operation in _operations(doc):
        requirements: list[dict[str, list[str]]] = operation.get("security") or []
        names = {name for requirement in requirements for name in requirement}
        if not requirements:
            operation["security"] = []  # no token needed, said outright
        elif BEARER in names and SCHEME not in names:
            operation["security"] = [{SCHEME: []}, *requirements]
