"""The key that signs access tokens: loaded from settings or a 0600 file, published as JWKS."""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import os
import stat
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from gateway.config import Settings
from mtqg_shared.auth import ALGORITHM, KeyStore, TokenVerifier
from mtqg_shared.types import new_id

log = logging.getLogger("mtqg.gateway.keys")

KEY_FILE = "jwt_private.pem"


def _b64(number: int) -> str:
    raw = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def rsa_thumbprint(e: int, n: int) -> str:
    """RFC 7638: SHA-256 of the required members in lexicographic order, no whitespace."""
    members = {"e": _b64(e), "kty": "RSA", "n": _b64(n)}
    canonical = json.dumps(members, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(hashlib.sha256(canonical).digest()).decode().rstrip("=")


@dataclass(frozen=True, slots=True)
class SigningKey:
    """An RSA private key, its RFC 7638 thumbprint as key id, and its public JWK."""

    private_key: rsa.RSAPrivateKey
    kid: str
    public_jwk: dict[str, str]

    @classmethod
    def from_private_key(cls, key: Any) -> SigningKey:
        if not isinstance(key, rsa.RSAPrivateKey):
            raise ValueError("the token-signing key must be an RSA private key")
        if key.key_size < 2048:
            raise ValueError("the token-signing key must have at least 2048 bits")
        numbers = key.public_key().public_numbers()
        kid = rsa_thumbprint(numbers.e, numbers.n)
        jwk = {
            "kty": "RSA",
            "e": _b64(numbers.e),
            "n": _b64(numbers.n),
            "kid": kid,
            "alg": ALGORITHM,
            "use": "sig",
        }
        return cls(private_key=key, kid=kid, public_jwk=jwk)

    @classmethod
    def from_pem(cls, pem: str | bytes) -> SigningKey:
        data = pem.encode() if isinstance(pem, str) else pem
        return cls.from_private_key(serialization.load_pem_private_key(data, password=None))

    @property
    def public_key(self) -> rsa.RSAPublicKey:
        return self.private_key.public_key()

    def jwks(self) -> dict[str, list[dict[str, str]]]:
        return {"keys": [dict(self.public_jwk)]}

    def verifier(self, settings: Settings) -> TokenVerifier:
        """A verifier that accepts exactly the tokens this key signs."""
        return TokenVerifier(
            KeyStore({self.kid: self.public_key}),
            issuer=settings.jwt_issuer,
            audience=settings.jwt_audience,
        )

    def sign(self, claims: dict[str, Any]) -> str:
        return jwt.encode(claims, self.private_key, algorithm=ALGORITHM, headers={"kid": self.kid})


def access_token(
    key: SigningKey,
    settings: Settings,
    *,
    subject: str,
    kind: str,
    areas: list[str],
    roles: list[str] | None = None,
    scope: str | None = None,
) -> str:
    """An access token with exactly the claims `mtqg_shared.auth.principal_from_claims` reads."""
    now = int(time.time())
    claims: dict[str, Any] = {
        "sub": subject,
        "kind": kind,
        "areas": areas,
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "iat": now,
        "exp": now + settings.access_token_ttl_seconds,
        "jti": new_id().hex,
    }
    if roles is not None:
        claims["roles"] = roles
    if scope is not None:
        claims["scope"] = scope
    return key.sign(claims)


def load_signing_key(settings: Settings) -> SigningKey:
    """MTQG_JWT_PRIVATE_KEY if set; else data_dir/jwt_private.pem, made once (mode 0600)."""
    pem = settings.jwt_private_key.get_secret_value().strip()
    if pem:
        if "\n" not in pem and "\\n" in pem:  # a PEM squeezed onto one line in an .env file
            pem = pem.replace("\\n", "\n")
        return SigningKey.from_pem(pem)
    path = settings.data_dir / KEY_FILE
    if not path.exists():
        _create_key_file(path)
    _warn_if_readable_by_others(path)
    return SigningKey.from_pem(path.read_bytes())


def _create_key_file(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    # Written to a private temporary file, then linked into place: a replica starting at the
    # same moment either wins or reads the winner's complete key, never a half-written one.
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(pem)
        try:
            os.link(tmp, path)
            log.info("generated a new token-signing key in %s", path)
        except FileExistsError:
            pass
    finally:
        tmp.unlink(missing_ok=True)


def _warn_if_readable_by_others(path: Path) -> None:
    mode = path.stat().st_mode
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        log.warning("%s is readable by other users; it should be mode 0600", path)
