"""The gateway's app factory.

What uvicorn serves is a pure ASGI stack: CORS outermost (so that every answer, errors
included, carries its headers), request ids, logs, metrics and the body-size limit in one
layer, compression and 304s (`mtqg_shared.delivery`; a service's compressed answer passes
through as it is), then the edge (per-caller rate limit; forwarding of /api/v1/<service>/* to each
service in the registry). Everything else goes to `Gateway.api`, the FastAPI app of the
gateway's own endpoints: tokens, JWKS, users, clients, admin units, programmes, the
cross-programme views (overview, household), webhook subscriptions, the merged OpenAPI
document with Swagger UI and ReDoc, health. The webhook dispatcher runs beside them in every
replica (`gateway.webhooks`).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI, Request
from fastapi.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from gateway import admin_units_router, programmes_router
from gateway.apidoc.catalog import ApiCatalog, docs_router
from gateway.config import Settings
from gateway.counters import Counters, counters_for
from gateway.edge.cors import Cors
from gateway.edge.dispatch import Edge
from gateway.edge.forward import Forwarder
from gateway.edge.ratelimit import RateLimiter
from gateway.identity import clients_router, passwords, token_router, users_router
from gateway.identity.bootstrap import ensure_first_admin
from gateway.identity.housekeeping import run_housekeeping
from gateway.identity.keys import SigningKey, load_signing_key
from gateway.identity.throttle import SigninThrottle
from gateway.identity.tokens import TokenService
from gateway.models import audit_log, idempotency_keys
from gateway.views import disbursement as disbursement_view
from gateway.views import router as views_router
from gateway.vocabulary import VOCABULARY
from gateway.webhooks import router as webhooks_router
from gateway.webhooks.dispatcher import Dispatcher
from mtqg_shared.audit import audit_router
from mtqg_shared.auth import TokenVerifier
from mtqg_shared.collector import freeze_start_up_objects
from mtqg_shared.db import Database
from mtqg_shared.delivery import weak_network_layers
from mtqg_shared.errors import install_error_handlers
from mtqg_shared.export import Exports, document_exports
from mtqg_shared.kit.vocabulary import vocabulary_router
from mtqg_shared.middleware import Observability
from mtqg_shared.openapi import operation_id
from mtqg_shared.registry import GATEWAY, SERVICE_NAMES, process, spoken_list
from mtqg_shared.service_app import add_health_routes, make_database, openapi_tags
from mtqg_shared.strict import json_body_only, reject_unknown_query
from mtqg_shared.writes import Idempotency, Replay


class Gateway:
    """The ASGI app of the gateway process; `.api` is the FastAPI app behind the edge."""

    def __init__(
        self,
        app: ASGIApp,
        api: FastAPI,
        forwarder: Forwarder,
        counters: Counters,
        limiter: RateLimiter | None,
    ) -> None:
        self._app = app
        self.api = api
        self.forwarder = forwarder
        self.counters = counters
        self.limiter = limiter

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self._app(scope, receive, send)

    @asynccontextmanager
    async def running(self) -> AsyncIterator[Gateway]:
        """Run start-up and shut-down as a server would (for tests and tools)."""
        async with self.api.router.lifespan_context(self.api):
            yield self


def _api(
    settings: Settings,
    *,
    db: Database,
    owns_db: bool,
    verifier: TokenVerifier,
    signing_key: SigningKey,
    forwarder: Forwarder,
    counters: Counters,
) -> FastAPI:
    throttle = SigninThrottle(
        counters,
        per_name=settings.signin_failures_per_username,
        per_address=settings.signin_failures_per_address,
        window_seconds=settings.signin_failure_window_seconds,
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        await forwarder.start()
        await passwords.dummy_hash()  # the first unknown user costs what the others do
        await ensure_first_admin(db, settings)
        counters.start()
        catalog.start()
        housekeeping = asyncio.create_task(run_housekeeping(db, counters), name="housekeeping")
        dispatcher.start()
        freeze_start_up_objects()
        try:
            yield
        finally:
            await dispatcher.close()
            housekeeping.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await housekeeping
            await catalog.stop()
            await counters.stop()
            await forwarder.close()
            if owns_db:
                await db.dispose()

    api = FastAPI(
        title=process(GATEWAY).title,
        description=(
            "Identity (people, system clients, OAuth2 tokens, JWKS), administrative units, "
            "the national target programmes, "
            f"and the single entry that forwards to the {spoken_list(SERVICE_NAMES)} services."
        ),
        version="1.0.0",
        lifespan=lifespan,
        # /openapi.json, /docs and /redoc serve the merged document of every service (apidoc).
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
        # A trailing slash is 404, never a redirect that names the gateway's own address.
        redirect_slashes=False,
        generate_unique_id_function=operation_id,
        openapi_tags=openapi_tags(
            {
                "auth": "OAuth2 tokens (password, client_credentials, refresh_token) and the "
                "public keys that verify them.",
                "users": "People who sign in: roles and areas (admins).",
                "clients": "Other systems that call the API with a client secret (admins).",
                "admin units": "Provinces, districts and communes in both geographies (no token).",
                "programmes": "The national target programmes, their projects and the service "
                "that records each one's money (no token).",
                "views": (
                    "Across the programmes: the overview of an area, one household, and "
                    "capital planned and disbursed."
                ),
                "changes": "Every service's change feed followed with one cursor.",
                "webhooks": "Signed deliveries of the services' changes to other systems "
                "(system clients, or admins for them).",
            }
        ),
    )
    state = api.state
    state.service_name = settings.service_name
    state.settings = settings
    state.db = db
    state.idempotency = Idempotency(
        db, idempotency_keys, abandoned=dt.timedelta(seconds=settings.idempotency_abandoned_seconds)
    )
    state.audit_table = audit_log
    state.verifier = verifier
    state.signing_key = signing_key
    state.throttle = throttle
    state.tokens = TokenService(db, signing_key, settings, throttle)
    state.forwarder = forwarder
    dispatcher = Dispatcher(db, forwarder, state.tokens, settings)
    state.webhooks = dispatcher
    catalog = ApiCatalog(
        api,
        forwarder,
        ttl_seconds=settings.api_document_ttl_seconds,
        timeout_seconds=settings.view_timeout_seconds,
    )
    state.api_catalog = catalog

    install_error_handlers(api)

    async def on_replay(_request: Request, exc: Exception) -> Response:
        assert isinstance(exc, Replay)
        return exc.response()

    api.add_exception_handler(Replay, on_replay)

    strict = [Depends(reject_unknown_query)]
    json_only = [*strict, Depends(json_body_only)]
    for router, dependencies in (
        (token_router.router, strict),
        (users_router.router, json_only),
        (clients_router.router, json_only),
        (admin_units_router.router, strict),
        (programmes_router.router, strict),
        (audit_router("/api/v1/auth"), strict),
        (views_router.router, strict),
        (disbursement_view.router, strict),
        (webhooks_router.router, json_only),
        (vocabulary_router("/api/v1/auth", VOCABULARY), strict),
    ):
        api.include_router(router, dependencies=dependencies)
    api.include_router(docs_router())
    add_health_routes(api)
    api.add_middleware(Exports)  # format=csv|xlsx on its own lists (mtqg_shared.export)
    document_exports(api)
    return api


def create_app(
    settings: Settings | None = None,
    *,
    db: Database | None = None,
    verifier: TokenVerifier | None = None,
    signing_key: SigningKey | None = None,
) -> Gateway:
    """The gateway. Tests inject `db`, `verifier` and `signing_key`; a server passes none."""
    settings = settings or Settings()
    signing_key = signing_key or load_signing_key(settings)
    owns_db = db is None
    db = db or make_database(settings)
    verifier = verifier or signing_key.verifier(settings)
    forwarder = Forwarder(settings)
    counters = counters_for(settings, db)
    limiter = (
        RateLimiter(settings.rate_limit_per_minute, counters)
        if settings.rate_limit_per_minute
        else None
    )
    api = _api(
        settings,
        db=db,
        owns_db=owns_db,
        verifier=verifier,
        signing_key=signing_key,
        forwarder=forwarder,
        counters=counters,
    )
    edge = Edge(api, forwarder, limiter, verifier)
    stack = Cors(
        Observability(
            weak_network_layers(edge),
            service=settings.service_name,
            max_body_bytes=settings.max_body_bytes,
            upload_bytes=settings.import_max_bytes,
            log_requests=settings.access_log,
            default_language=settings.default_language,
        ),
        settings.allowed_origins(),
    )
    return Gateway(stack, api, forwarder, counters, limiter)
