"""Calling the programme services for the cross-programme views.

The views ask several services at the same time, each under the view deadline, with the
caller's own token (so each service applies the caller's areas and roles itself) and the
request id. They go through the forwarder's keep-alive pools and retry rule; no client is
made per request. What each service did comes back as a value, never as an exception, so
that one failing service cannot take the others' answers down with it.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from fastapi import Request
from yarl import URL

from gateway.edge.forward import UPSTREAM_FAILURES, Forwarder, failure_kind
from mtqg_shared.auth import Principal
from mtqg_shared.errors import request_language
from mtqg_shared.registry import SERVICE_NAMES, SERVICES

log = logging.getLogger("mtqg.gateway.views")

T = TypeVar("T")
# A service answers a list in pages of at most 200; a household's records fit in one or two.
PAGE_SIZE = 200
MAX_PAGES = 25


@dataclass(frozen=True, slots=True)
class Failed:
    """The service gave no usable answer: unavailable, timeout, error (5xx) or bad_answer."""

    kind: str


@dataclass(frozen=True, slots=True)
class Refused:
    """The service refused the request (4xx) with this problem."""

    status: int
    problem: dict[str, Any]


class Refusal(Exception):
    """The service answered 4xx (`status`) with this problem."""

    def __init__(self, status: int, problem: dict[str, Any]) -> None:
        super().__init__(status)
        self.status = status
        self.problem = problem


class BadAnswer(Exception):
    """The service answered, but not what the contract says it answers (or a 5xx: "error")."""

    def __init__(self, kind: str = "bad_answer") -> None:
        super().__init__(kind)
        self.kind = kind


def readable_services(principal: Principal) -> list[str]:
    """The services whose data the caller may read: every one for a person with a role,
    those of its `<service>:read` scopes for a client."""
    if principal.is_person:
        return list(SERVICE_NAMES) if principal.has_role("viewer") else []
    return [s.name for s in SERVICES if s.read_scope in principal.scopes]


class ServiceCalls:
    """GET requests to the services on behalf of one caller."""

    def __init__(self, forwarder: Forwarder, deadline: float, request: Request) -> None:
        self.forwarder = forwarder
        self.deadline = deadline
        self.request_id = str(request.scope.get("state", {}).get("request_id") or "")
        headers = [("Accept", "application/json")]
        authorization = request.headers.get("authorization")
        if authorization:
            headers.append(("Authorization", authorization))
        if self.request_id:
            headers.append(("X-Request-ID", self.request_id))
        # A refusal passed on is worded in the caller's language, as the gateway's own are.
        headers.append(("Accept-Language", request_language(request.scope)))
        self.headers = headers

    @classmethod
    def with_token(
        cls, forwarder: Forwarder, deadline: float, token: str, language: str
    ) -> ServiceCalls:
        """Calls made on behalf of a caller that is not the request's: the webhook dispatcher
        reads the feeds with the subscribing client's own token."""
        calls = cls.__new__(cls)
        calls.forwarder = forwarder
        calls.deadline = deadline
        calls.request_id = ""
        calls.headers = [
            ("Accept", "application/json"),
            ("Authorization", f"Bearer {token}"),
            ("Accept-Language", language),
        ]
        return calls

    async def get(self, service: str, path: str, params: Mapping[str, str]) -> Any:
        """The JSON a service answers with 200; raises on anything else."""
        upstream = self.forwarder.upstreams[service]
        target = str(URL(path).with_query(params))
        response = await self.forwarder.request(
            upstream, "GET", target, headers=self.headers, retry=True, deadline=self.deadline
        )
        try:
            body = await response.read()
        except BaseException:
            response.close()  # never hand a half-read connection back to the pool
            raise
        response.release()
        status = response.status
        if status == 200:
            try:
                return json.loads(body)
            except ValueError as exc:
                raise BadAnswer() from exc
        if 400 <= status < 500:
            try:
                problem = json.loads(body)
            except ValueError:
                problem = {}
            raise Refusal(status, problem if isinstance(problem, dict) else {})
        raise BadAnswer("error")

    async def get_all(self, service: str, path: str, params: Mapping[str, str]) -> list[Any]:
        """Every item of a list, following `next_cursor`."""
        items: list[Any] = []
        query = {**params, "limit": str(PAGE_SIZE)}
        for _ in range(MAX_PAGES):
            page = await self.get(service, path, query)
            if not isinstance(page, dict) or not isinstance(page.get("items"), list):
                raise BadAnswer()
            items.extend(page["items"])
            cursor = page.get("next_cursor")
            if not cursor:
                return items
            query = {**query, "cursor": str(cursor)}
        log.warning("%s %s: more than %d pages; the view shows the first", service, path, MAX_PAGES)
        return items

    async def gather(
        self, jobs: Mapping[str, Callable[[], Awaitable[T]]]
    ) -> dict[str, T | Failed | Refused]:
        """Run one job per service at the same time, each under the deadline."""
        names = list(jobs)
        results = await asyncio.gather(*(self._run(name, jobs[name]) for name in names))
        return dict(zip(names, results, strict=True))

    async def _run(self, service: str, job: Callable[[], Awaitable[T]]) -> T | Failed | Refused:
        try:
            async with asyncio.timeout(self.deadline):
                return await job()
        except Exception as exc:  # whatever went wrong on the way, the other services answer
            while isinstance(exc, ExceptionGroup):  # a job that asked twice at once
                exc = exc.exceptions[0]
            if isinstance(exc, Refusal):
                return Refused(exc.status, exc.problem)
            kind = exc.kind if isinstance(exc, BadAnswer) else failure_kind(exc)
            if kind == "bad_answer" and not isinstance(exc, BadAnswer | OSError | ValueError):
                log.warning("view call to %s failed: %r", service, exc)
        if kind in ("unavailable", "timeout"):
            self.forwarder.upstreams[service].mark_failed()
        UPSTREAM_FAILURES.labels(service, kind).inc()
        log.warning("request %s: %s is %s for a view", self.request_id, service, kind)
        return Failed(kind)
