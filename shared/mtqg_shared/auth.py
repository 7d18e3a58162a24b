"""Token verification and the access rules every service applies the same way.

Tokens are RS256 JWTs signed by the gateway. The algorithm is pinned (a token claiming any
other `alg`, including `none`, is refused), and `iss`, `aud`, `exp`, `iat` and `sub` are
required. Services verify tokens themselves, so calling a service directly grants nothing that
calling through the gateway would not.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Annotated, Any

import httpx
import jwt
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from mtqg_shared.admin_units import admin_units
from mtqg_shared.errors import Problem
from mtqg_shared.messages import Msg, msg
from mtqg_shared.registry import SCOPES as SCOPES
from mtqg_shared.registry import SERVICE_NAMES

ALGORITHM = "RS256"
ROLES = ("viewer", "officer", "approver", "admin")
_RANK = {role: rank for rank, role in enumerate(ROLES)}
# Roles held beside a ranked one, outside the ranks: `protection` reads and handles the records
# of victims (gender's protection cases); no other role implies it, a client never holds it.
PROTECTION = "protection"
BESIDE_ROLES = (PROTECTION,)
# The programme services and their scopes (`<service>:read`, `<service>:write`): the registry's.
SERVICES = SERVICE_NAMES


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: a person (roles) or a system client (scopes), and where they may act."""

    subject: str
    kind: str  # "person" | "client"
    roles: frozenset[str] = frozenset()
    scopes: frozenset[str] = frozenset()
    areas: tuple[str, ...] = ()
    # The current communes the areas cover; None means the whole province.
    communes: frozenset[str] | None = field(default=None)

    @classmethod
    def build(
        cls,
        subject: str,
        kind: str,
        *,
        roles: Iterable[str] = (),
        scopes: Iterable[str] = (),
        areas: Iterable[str] = (),
    ) -> Principal:
        areas = tuple(areas)
        return cls(
            subject=subject,
            kind=kind,
            roles=frozenset(roles),
            scopes=frozenset(scopes),
            areas=areas,
            communes=admin_units().communes_for_areas(areas),
        )

    @property
    def key(self) -> str:
        """A stable identity for keys scoped to the caller (idempotency, rate limits)."""
        return f"{self.kind}:{self.subject}"

    @property
    def is_person(self) -> bool:
        return self.kind == "person"

    def has_role(self, role: str) -> bool:
        """Roles are ranked: an approver is also an officer and a viewer."""
        need = _RANK[role]
        return self.is_person and any(_RANK.get(r, -1) >= need for r in self.roles)

    def holds(self, role: str) -> bool:
        """A role held beside the ranked ones (`protection`): by people only, never implied."""
        return self.is_person and role in self.roles

    def can_read_any(self, communes: Iterable[str]) -> bool:
        if self.communes is None:
            return True
        return any(c in self.communes for c in communes)

    def can_write_all(self, communes: Iterable[str]) -> bool:
        if self.communes is None:
            return True
        communes = list(communes)
        return bool(communes) and all(c in self.communes for c in communes)

    def covers(self, area_communes: Iterable[str]) -> bool:
        """Whether an area filter overlaps what the caller may read (else: 404)."""
        return self.can_read_any(area_communes)


class KeyStore:
    """Public keys by key id: given directly, or fetched from the gateway's JWKS.

    An unknown key id triggers one fetch at most every `refetch_seconds`, so a rotated key
    is picked up without a restart and a flood of forged key ids costs nothing.
    """

    def __init__(
        self,
        keys: dict[str, Any] | None = None,
        *,
        jwks_url: str | None = None,
        refetch_seconds: float = 10.0,
    ) -> None:
        self._keys: dict[str, Any] = dict(keys or {})
        self._jwks_url = jwks_url
        self._refetch_seconds = refetch_seconds
        self._fetched_at = 0.0
        self._lock = asyncio.Lock()

    @classmethod
    def from_pem(cls, pem: str) -> KeyStore:
        from cryptography.hazmat.primitives.serialization import load_pem_public_key

        key = load_pem_public_key(pem.encode())
        return cls({"*": key})

    def add(self, kid: str, key: Any) -> None:
        self._keys[kid] = key

    async def get(self, kid: str | None) -> Any | None:
        key = self._keys.get(kid or "") or self._keys.get("*")
        if key is not None or not self._jwks_url:
            return key
        async with self._lock:
            key = self._keys.get(kid or "")
            if key is None and time.monotonic() - self._fetched_at > self._refetch_seconds:
                await self._fetch()
                key = self._keys.get(kid or "")
        return key

    async def _fetch(self) -> None:
        self._fetched_at = time.monotonic()
        assert self._jwks_url
        try:
            async with httpx.AsyncClient(timeout=5.0) as client:
                answer = await client.get(self._jwks_url)
                answer.raise_for_status()
                jwks = answer.json()
        except (httpx.HTTPError, ValueError):
            return
        for jwk in jwks.get("keys", []):
            if jwk.get("kty") == "RSA" and jwk.get("kid"):
                self._keys[jwk["kid"]] = jwt.algorithms.RSAAlgorithm.from_jwk(jwk)


def _unauthorized(detail: Msg, error: str = "invalid_token") -> Problem:
    return Problem(
        401,
        detail,
        headers={"WWW-Authenticate": f'Bearer error="{error}"'},
    )


class TokenVerifier:
    """Checks access tokens and turns their claims into a Principal (with a small cache)."""

    def __init__(self, keys: KeyStore, *, issuer: str, audience: str, cache_size: int = 4096):
        self.keys = keys
        self.issuer = issuer
        self.audience = audience
        self._cache: OrderedDict[str, tuple[Principal, float]] = OrderedDict()
        self._cache_size = cache_size

    async def verify(self, token: str) -> Principal:
        cached = self._cache.get(token)
        if cached is not None:
            principal, exp = cached
            if exp > time.time():
                self._cache.move_to_end(token)
                return principal
            del self._cache[token]
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise _unauthorized(msg("access_token.malformed")) from exc
        if header.get("alg") != ALGORITHM:
            raise _unauthorized(msg("access_token.algorithm"))
        key = await self.keys.get(header.get("kid"))
        if key is None:
            raise _unauthorized(msg("access_token.unknown_key"))
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=[ALGORITHM],
                audience=self.audience,
                issuer=self.issuer,
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
            )
        except jwt.ExpiredSignatureError as exc:
            raise _unauthorized(msg("access_token.expired")) from exc
        except jwt.PyJWTError as exc:
            raise _unauthorized(msg("access_token.invalid")) from exc
        principal = principal_from_claims(claims)
        self._remember(token, principal, float(claims["exp"]))
        return principal

    def _remember(self, token: str, principal: Principal, exp: float) -> None:
        self._cache[token] = (principal, exp)
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)


def principal_from_claims(claims: dict[str, Any]) -> Principal:
    kind = claims.get("kind")
    if kind not in ("person", "client"):
        raise _unauthorized(msg("access_token.unknown_kind"))
    roles = claims.get("roles") or []
    areas = claims.get("areas") or []
    scope = claims.get("scope") or ""
    if not isinstance(roles, list) or not isinstance(areas, list) or not isinstance(scope, str):
        raise _unauthorized(msg("access_token.claims"))
    # A client acts by its scopes alone: roles in its token grant nothing.
    known = [str(r) for r in roles if r in _RANK or r in BESIDE_ROLES] if kind == "person" else []
    return Principal.build(
        str(claims["sub"]),
        kind,
        roles=known,
        scopes=scope.split(),
        areas=[str(a) for a in areas],
    )


_bearer = HTTPBearer(auto_error=False, description="An access token from POST /api/v1/auth/token")


async def current_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Problem(
            401,
            msg("access_token.required"),
            headers={"WWW-Authenticate": "Bearer"},
        )
    verifier: TokenVerifier = request.app.state.verifier
    principal = await verifier.verify(credentials.credentials)
    request.state.principal = principal
    return principal


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


def _service(request: Request) -> str:
    return str(request.app.state.service_name)


def _forbid(detail: Msg) -> Problem:
    return Problem(403, detail)


async def require_read(request: Request, principal: CurrentPrincipal) -> Principal:
    if principal.is_person:
        if not principal.has_role("viewer"):
            raise _forbid(msg("forbidden.read_role"))
    elif f"{_service(request)}:read" not in principal.scopes:
        raise _forbid(msg("forbidden.scope", scope=f"{_service(request)}:read"))
    return principal


async def require_write(request: Request, principal: CurrentPrincipal) -> Principal:
    if principal.is_person:
        if not principal.has_role("officer"):
            raise _forbid(msg("forbidden.write_role"))
    elif f"{_service(request)}:write" not in principal.scopes:
        raise _forbid(msg("forbidden.scope", scope=f"{_service(request)}:write"))
    return principal


async def require_approver(principal: CurrentPrincipal) -> Principal:
    if not principal.is_person:
        raise _forbid(msg("forbidden.approval_clients"))
    if not principal.has_role("approver"):
        raise _forbid(msg("forbidden.approver_role"))
    return principal


async def require_admin(principal: CurrentPrincipal) -> Principal:
    if not principal.is_person or not principal.has_role("admin"):
        raise _forbid(msg("forbidden.admin_role"))
    return principal


Reader = Annotated[Principal, Depends(require_read)]
Writer = Annotated[Principal, Depends(require_write)]
Approver = Annotated[Principal, Depends(require_approver)]
Admin = Annotated[Principal, Depends(require_admin)]
