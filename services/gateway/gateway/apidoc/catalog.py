"""The merged `/openapi.json`, and Swagger UI at `/docs` and ReDoc at `/redoc` showing it.

The services' documents are fetched over HTTP (no service's code is imported here), through
the forwarder's pools: at start-up in the background, then when `/openapi.json` is asked for
and a document is missing (at most every few seconds while its service stays away), older
than `api_document_ttl_seconds`, or fetched before the service last failed (it may have come
back as a new version). A document that cannot be fetched again is kept; one never fetched is
named in `x-missing-services` and the rest is served.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from dataclasses import dataclass

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import Response

from gateway.apidoc.merge import merge
from gateway.edge.forward import Forwarder
from mtqg_shared import docs_ui

log = logging.getLogger("mtqg.gateway.apidoc")

# How often a missing or outdated document is asked for again, at most.
RETRY_SECONDS = 2.0


@dataclass(slots=True)
class _Source:
    # Kept as the JSON it came as, parsed only to merge: tens of thousands of small objects
    # would otherwise sit in the garbage collector's oldest generation for good.
    document: bytes | None = None
    version: int = 0  # counts the changes of `document`
    fetched_at: float = float("-inf")  # last success (time.monotonic())
    tried_at: float = float("-inf")  # last attempt


class ApiCatalog:
    def __init__(
        self, api: FastAPI, forwarder: Forwarder, *, ttl_seconds: float, timeout_seconds: float
    ) -> None:
        self.api = api
        self.forwarder = forwarder
        self.ttl_seconds = ttl_seconds
        self.timeout_seconds = timeout_seconds
        self.sources = {name: _Source() for name in forwarder.upstreams}
        self._merged: bytes | None = None
        self._merged_from: tuple[int, ...] = ()
        self._lock = asyncio.Lock()
        self._prefetch: asyncio.Task[bytes] | None = None

    def start(self) -> None:
        """Fetch the services' documents in the background (they may start after us)."""
        self.api.openapi()  # the gateway's own part, made once (FastAPI keeps it)
        self._prefetch = asyncio.create_task(self.document(), name="openapi-prefetch")

    async def stop(self) -> None:
        if self._prefetch is not None:
            self._prefetch.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._prefetch
            self._prefetch = None

    async def document(self) -> bytes:
        """The merged document, as JSON."""
        async with self._lock:
            now = time.monotonic()
            due = [name for name, source in self.sources.items() if self._due(name, source, now)]
            if due:
                await asyncio.gather(*(self._fetch(name) for name in due))
            key = tuple(source.version for source in self.sources.values())
            if self._merged is None or key != self._merged_from:
                services = {
                    name: None if source.document is None else json.loads(source.document)
                    for name, source in self.sources.items()
                }
                merged = merge(self.api.openapi(), services)
                self._merged = json.dumps(merged, ensure_ascii=False).encode()
                self._merged_from = key
            return self._merged

    def _due(self, name: str, source: _Source, now: float) -> bool:
        if now - source.tried_at < RETRY_SECONDS:
            return False
        failed_since = self.forwarder.upstreams[name].failed_at > source.fetched_at
        stale = now - source.fetched_at >= self.ttl_seconds
        return source.document is None or failed_since or stale

    async def _fetch(self, name: str) -> None:
        source = self.sources[name]
        source.tried_at = time.monotonic()
        upstream = self.forwarder.upstreams[name]
        try:
            async with asyncio.timeout(self.timeout_seconds):
                response = await self.forwarder.request(
                    upstream,
                    "GET",
                    "/openapi.json",
                    headers=[("Accept", "application/json")],
                    retry=True,
                    deadline=self.timeout_seconds,
                )
                try:
                    body = await response.read()
                except BaseException:
                    response.close()
                    raise
                response.release()
            document = json.loads(body) if response.status == 200 else None
        except Exception as exc:  # an unreachable service must not break the document
            log.info("the %s service's API document cannot be fetched: %r", name, exc)
            return
        if not isinstance(document, dict) or not isinstance(document.get("paths"), dict):
            log.warning("the %s service answered no API document (%d)", name, response.status)
            return
        if body != source.document:
            source.document = body
            source.version += 1
        source.fetched_at = time.monotonic()


def docs_router() -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.get("/openapi.json")
    async def openapi(request: Request) -> Response:
        catalog: ApiCatalog = request.app.state.api_catalog
        return Response(
            await catalog.document(),
            media_type="application/json",
            headers={"Cache-Control": "no-cache"},
        )

    router.include_router(docs_ui.docs_router(title="MTQG API"))
    return router
