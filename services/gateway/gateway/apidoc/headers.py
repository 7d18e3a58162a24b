"""The answer headers the gateway documents once, as header components that answers refer to:
the rate limit's (draft-ietf-httpapi-ratelimit-headers, on every forwarded answer) and
`Retry-After` (429, 503)."""

from __future__ import annotations

from typing import Any

RATE_LIMIT = "RateLimit"
RATE_LIMIT_POLICY = "RateLimit-Policy"
RETRY_AFTER = "Retry-After"

COMPONENTS: dict[str, dict[str, Any]] = {
    RATE_LIMIT_POLICY: {
        "description": (
            "The caller's quota: `q` requests in any window of `w` seconds "
            "(draft-ietf-httpapi-ratelimit-headers)."
        ),
        "schema": {"type": "string", "examples": ['"default";q=6000;w=60']},
    },
    RATE_LIMIT: {
        "description": (
            "What is left of the quota named in RateLimit-Policy: `r` more requests, the window "
            "freeing up within `t` seconds."
        ),
        "schema": {"type": "string", "examples": ['"default";r=5998;t=60']},
    },
    RETRY_AFTER: {
        "description": "Seconds to wait before sending the request again.",
        "schema": {"type": "integer", "minimum": 0, "examples": [1]},
    },
}


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/headers/{name}"}


def rate_limited(responses: dict[str, Any]) -> None:
    """Every answer in `responses` (a forwarded operation's) carries the rate limit headers."""
    for answer in responses.values():
        if isinstance(answer, dict) and "$ref" not in answer:
            documented = answer.setdefault("headers", {})
            documented.setdefault(RATE_LIMIT_POLICY, ref(RATE_LIMIT_POLICY))
            documented.setdefault(RATE_LIMIT, ref(RATE_LIMIT))
