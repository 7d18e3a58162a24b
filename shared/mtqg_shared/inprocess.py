"""A request answered by the service's own app in the process, with no network: how a batch
runs each of its operations and how the change feed reads each record as its `GET` answers.

One piece builds the request (`request_scope`, from the request that asked for it: its
server, scheme and client) and one collects the answer (`call`), so the two callers differ
only in which app they call (the whole app, or its routes without the outer layers) and in
what they pass on.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import anyio
from starlette.types import ASGIApp, Message, Receive, Scope


@dataclass
class Answer:
    """What the app sent: status, headers (lower-case names) and the whole body; `started`
    is false when it failed before sending anything."""

    status: int = 500
    headers: list[tuple[bytes, bytes]] = field(default_factory=list)
    body: bytes = b""
    started: bool = False


def request_scope(
    outer: Scope,
    *,
    method: str,
    path: str,
    raw_path: bytes | None = None,
    query: bytes = b"",
    headers: Iterable[tuple[bytes, bytes]] = (),
    root_path: str = "",
    state: Mapping[str, Any] | None = None,
) -> Scope:
    """An HTTP request to `path` made beside `outer` (the request that asked for it)."""
    return {
        "type": "http",
        "asgi": outer.get("asgi", {"version": "3.0"}),
        "http_version": outer.get("http_version", "1.1"),
        "method": method,
        "scheme": outer.get("scheme", "http"),
        "path": path,
        "raw_path": raw_path if raw_path is not None else path.encode(),
        "root_path": root_path,
        "query_string": query,
        "headers": list(headers),
        "client": outer.get("client"),
        "server": outer.get("server"),
        "app": outer.get("app"),
        "state": dict(state or {}),
    }


async def call(
    app: ASGIApp,
    scope: Scope,
    body: bytes = b"",
    *,
    then: Receive | None = None,
    answer: Answer | None = None,
) -> Answer:
    """The app's answer to `scope` with `body`. After the body, `then` (the asking request's
    own `receive`) tells the app when the caller leaves; without it the caller never leaves.
    `answer` is filled as the app sends, so a caller still has what was sent when it raises."""
    answer = answer if answer is not None else Answer()
    chunks: list[bytes] = []
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        if then is not None:
            return await then()
        await anyio.sleep_forever()  # the caller stays: cancelled with the answer's tasks
        raise AssertionError("unreachable")

    async def send(message: Message) -> None:
        if message["type"] == "http.response.start":
            answer.started = True
            answer.status = int(message["status"])
            answer.headers = [(k.lower(), v) for k, v in message.get("headers", ())]
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    try:
        await app(scope, receive, send)
    finally:
        answer.body = b"".join(chunks)
    return answer
