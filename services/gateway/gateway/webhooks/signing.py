"""Standard Webhooks signatures (https://www.standardwebhooks.com): the secret is `whsec_`
and the base64 of 32 random bytes; a delivery signs `<webhook-id>.<webhook-timestamp>.<body>`
with HMAC-SHA256 under the decoded secret, and `webhook-signature` lists `v1,<base64>` once
per secret in use (two during the 24 hours after a rotation), separated by spaces.
`tests/gateway/test_webhooks_signing.py` checks them with the reference implementation."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Iterable

PREFIX = "whsec_"


def new_secret() -> str:
    return PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def signature(secret: str, event_id: str, timestamp: int, body: bytes) -> str:
    key = base64.b64decode(secret.removeprefix(PREFIX))
    signed = b"%s.%d.%s" % (event_id.encode(), timestamp, body)
    digest = hmac.new(key, signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def headers(
    secrets_in_use: Iterable[str], event_id: str, timestamp: int, body: bytes
) -> dict[str, str]:
    """The three Standard Webhooks headers of one attempt."""
    return {
        "webhook-id": event_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": " ".join(
            signature(secret, event_id, timestamp, body) for secret in secrets_in_use
        ),
    }
