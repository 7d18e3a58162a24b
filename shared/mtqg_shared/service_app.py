"""The app factory every programme service uses: same shape, same endpoints, same rules, and
an OpenAPI document in which every error answer is a documented problem."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import Table

from mtqg_shared.access_log import access_log_router
from mtqg_shared.audit import audit_router
from mtqg_shared.auth import KeyStore, TokenVerifier
from mtqg_shared.batch import BATCH_TAG, METHOD_TERMS, batch_router, document_batch
from mtqg_shared.collector import freeze_start_up_objects
from mtqg_shared.db import Database
from mtqg_shared.delivery import WeakNetworks
from mtqg_shared.docs_ui import docs_router
from mtqg_shared.errors import Problem, install_error_handlers
from mtqg_shared.export import Exports, document_exports
from mtqg_shared.imports.router import IMPORTS_TAG, imports_router
from mtqg_shared.imports.runner import Runner, RunnerSettings
from mtqg_shared.imports.schemas import IMPORT_TERMS
from mtqg_shared.kit.changes import Feed, changes_router, feed_table, page_model, record_models
from mtqg_shared.kit.disbursement import Disbursement
from mtqg_shared.kit.importing import Importable, imports_table
from mtqg_shared.kit.money_routes import MONEY_TAGS, MONEY_TERMS, money_router
from mtqg_shared.kit.periods import PERIOD_TERMS, PERIODS_TAG
from mtqg_shared.kit.sensitive import Sensitive
from mtqg_shared.kit.vocabulary import Vocabulary, vocabulary_router
from mtqg_shared.messages import msg
from mtqg_shared.middleware import Observability
from mtqg_shared.openapi import document_problems, operation_id
from mtqg_shared.settings import CommonSettings
from mtqg_shared.strict import json_body_only, reject_unknown_query
from mtqg_shared.writes import Idempotency, Replay


def make_verifier(settings: CommonSettings) -> TokenVerifier:
    if settings.jwt_public_key:
        keys = KeyStore.from_pem(settings.jwt_public_key)
    else:
        keys = KeyStore(jwks_url=settings.public_keys_url)
    return TokenVerifier(keys, issuer=settings.jwt_issuer, audience=settings.jwt_audience)


def make_database(settings: CommonSettings) -> Database:
    return Database(
        settings.async_database_url,
        settings.service_name,
        pool_size=settings.db_pool_size,
        echo=settings.db_echo,
    )


# The tags every process's document has beside its own (its routers').
COMMON_TAGS = {
    "audit": "Every write of this service, who made it and what changed (admins).",
    "health": "Whether the process is alive and its database answers; Prometheus metrics.",
    "vocabulary": "The Vietnamese and English words of every enum value (no token).",
}

CHANGES_TAG = {
    "changes": "Every change of the records the caller may read, in commit order, from a "
    "cursor (phones' sync, other systems)."
}

ACCESS_LOG_TAG = {
    "access-log": "Every read of this service's sensitive records, who read which (admins)."
}


def openapi_tags(tags: Mapping[str, str]) -> list[dict[str, str]]:
    """FastAPI's `openapi_tags`: each tag of the process's routers with what it groups."""
    return [{"name": name, "description": text} for name, text in {**tags, **COMMON_TAGS}.items()]


def add_health_routes(app: FastAPI) -> None:
    @app.get("/healthz", tags=["health"], summary="The process is alive")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get(
        "/readyz",
        tags=["health"],
        summary="The process's database answers",
        response_model=dict[str, str],
    )
    async def readyz(request: Request) -> JSONResponse:
        db: Database = request.app.state.db
        try:
            await db.ping()
        except Exception as exc:  # any failure to reach the database means "not ready"
            raise Problem(503, msg("database_not_ready")) from exc
        return JSONResponse({"status": "ready"})

    @app.get("/metrics", tags=["health"], summary="Prometheus metrics", include_in_schema=True)
    async def metrics() -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)


def create_service_app(
    settings: CommonSettings,
    *,
    title: str,
    description: str,
    routers: Sequence[APIRouter],
    audit_table: Table,
    idempotency_table: Table,
    vocabulary: Vocabulary | None = None,
    db: Database | None = None,
    verifier: TokenVerifier | None = None,
    tags: Mapping[str, str] | None = None,
    sensitive: Sequence[Any] = (),
    imports: Sequence[Importable] = (),
    money: Disbursement | None = None,
    periods: Any = None,
) -> FastAPI:
    """The service's app. `tags` describes each tag its routers use; `vocabulary`: the labels
    of the service's enums (the shared ones alone when None; tests/test_vocabulary.py checks
    that each service's covers its OpenAPI document); `sensitive`: its resources declared with
    `sensitive=` (kit.sensitive), whose audit entries only holders of their role read in full
    and whose reads admins read at `GET /api/v1/<service>/access-log`; `imports`: its
    resources imported from a spreadsheet (kit.importing, the service's `imports.py`);
    `money`: the disbursement report of a service that records programme money
    (kit.disbursement), which brings its capital plans' routes and words and the report
    (its `imports` list the plans' import, `money.plans.importable()`);
    `periods`: its period reports and their lock (kit.periods.PeriodReports)."""
    service = settings.service_name
    if money is not None:
        routers = [*routers, money_router(money)]
        tags = {**(tags or {}), **MONEY_TAGS}
    guarded: dict[str, Sensitive] = {}
    for resource in sensitive:
        assert resource.sensitive is not None, f"{resource.entity} is not declared sensitive"
        guarded[resource.entity] = resource.sensitive
    logs = {rule.log.name: rule for rule in guarded.values()}
    assert len(logs) <= 1, "a service's sensitive resources share its one access log"
    # A service whose models hold the change table (kit.changes) has a change feed.
    changes = feed_table(audit_table.metadata)
    # And one whose models hold the job table (kit.importing) takes spreadsheet imports.
    jobs = imports_table(audit_table.metadata)

    abandoned = dt.timedelta(seconds=settings.idempotency_abandoned_seconds)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = getattr(app.state, "db", None) is None
        if owned:
            app.state.db = make_database(settings)
            app.state.idempotency = Idempotency(
                app.state.db, idempotency_table, abandoned=abandoned
            )
        if getattr(app.state, "verifier", None) is None:
            app.state.verifier = make_verifier(settings)
        freeze_start_up_objects()
        # The import runner works the app's own database; one handed in (tests) is driven by
        # whoever handed it in (`app.state.import_runner.drain()`).
        runner: Runner | None = getattr(app.state, "import_runner", None) if owned else None
        if runner is not None and settings.import_runner:
            runner.start()
        try:
            yield
        finally:
            if runner is not None:
                await runner.stop()
            if owned:
                await app.state.db.dispose()

    app = FastAPI(
        title=title,
        description=description,
        version="1.0.0",
        lifespan=lifespan,
        openapi_url="/openapi.json",
        docs_url=None,  # docs_router's /docs and /redoc need no network
        redoc_url=None,
        # A trailing slash is 404, never a redirect that names the service's own address.
        redirect_slashes=False,
        generate_unique_id_function=operation_id,
        openapi_tags=openapi_tags(
            {
                **(tags or {}),
                **BATCH_TAG,
                **(ACCESS_LOG_TAG if logs else {}),
                **(CHANGES_TAG if changes is not None else {}),
                **(IMPORTS_TAG if jobs is not None else {}),
                **(PERIODS_TAG if periods is not None else {}),
            }
        ),
    )
    app.state.service_name = service
    app.state.settings = settings
    app.state.audit_table = audit_table
    app.state.imports = {entry.name: entry for entry in imports}
    words = (vocabulary or Vocabulary()).adding(
        METHOD_TERMS,
        *(IMPORT_TERMS if jobs is not None else ()),
        *(MONEY_TERMS if money is not None else ()),
        *(PERIOD_TERMS if periods is not None else ()),
    )
    app.state.vocabulary = words
    if jobs is not None:
        app.state.import_runner = Runner(
            app.state,
            jobs,
            RunnerSettings(
                lease_seconds=settings.import_lease_seconds,
                poll_seconds=settings.import_poll_seconds,
                progress_rows=settings.import_progress_rows,
                max_rows=settings.import_max_rows,
            ),
        )
    prefix = f"/api/v1/{service}"
    if changes is not None:
        app.state.feed = Feed(
            changes,
            service,
            prefix,
            retention_days=settings.changes_retention_days,
            sensitive=guarded,
        )
    if db is not None:
        app.state.db = db
        app.state.idempotency = Idempotency(db, idempotency_table, abandoned=abandoned)
    if verifier is not None:
        app.state.verifier = verifier

    install_error_handlers(app)

    async def on_replay(_request: Request, exc: Exception) -> Response:
        assert isinstance(exc, Replay)
        return exc.response()

    app.add_exception_handler(Replay, on_replay)

    strict = [Depends(reject_unknown_query)]
    if periods is not None:
        routers = [*routers, periods.router]
    for router in routers:
        app.include_router(router, dependencies=[*strict, Depends(json_body_only)])
    app.include_router(batch_router(service), dependencies=[*strict, Depends(json_body_only)])
    app.include_router(audit_router(prefix, guarded), dependencies=strict)
    if changes is not None:
        page = page_model(service, record_models(routers, prefix))
        app.include_router(changes_router(prefix, page), dependencies=strict)
    for rule in logs.values():
        app.include_router(access_log_router(f"/api/v1/{service}", rule), dependencies=strict)
    if jobs is not None:
        app.include_router(imports_router(service, settings.import_max_bytes))
    app.include_router(vocabulary_router(f"/api/v1/{service}", words), dependencies=strict)
    app.include_router(docs_router(title=title))
    add_health_routes(app)
    document_problems(app)
    document_batch(app, f"/api/v1/{service}")
    document_exports(app)

    # Innermost first: exports (format=csv|xlsx) under compression and 304s, under the
    # request-id layer, which stays outermost.
    app.add_middleware(Exports)
    app.add_middleware(WeakNetworks)
    app.add_middleware(
        Observability,
        service=service,
        max_body_bytes=settings.max_body_bytes,
        upload_bytes=settings.import_max_bytes if jobs is not None else None,
        log_requests=settings.access_log,
        default_language=settings.default_language,
    )
    return app
