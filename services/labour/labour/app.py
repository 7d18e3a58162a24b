"""The labour service's app factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from labour.common import document_problems, install_rule_handlers
from labour.config import Settings
from labour.models import audit_log, idempotency_keys
from labour.outreach.router import router as outreach
from labour.partners.router import router as partners
from labour.placements.router import router as placements
from labour.profiles.router import router as profiles
from labour.remittances.router import router as remittances
from labour.reports.router import router as reports
from labour.workers.router import router as workers
from mtqg_shared.auth import TokenVerifier
from mtqg_shared.db import Database
from mtqg_shared.service_app import create_service_app


def create_app(
    settings: Settings | None = None,
    *,
    db: Database | None = None,
    verifier: TokenVerifier | None = None,
) -> FastAPI:
    settings = settings or Settings()
    app = create_service_app(
        settings,
        title="MTQG labour service",
        description=(
            "Workers abroad under contract: workers, partners, outreach events, placements "
            "and their steps, remittances, commune labour profiles, reports."
        ),
        routers=[workers, partners, outreach, placements, remittances, profiles, reports],
        audit_table=audit_log,
        idempotency_table=idempotency_keys,
        db=db,
        verifier=verifier,
    )
    install_rule_handlers(app)
    document_problems(app)
    if db is not None:
        hide_sql_parameters(db)
    else:
        started = app.router.lifespan_context

        @asynccontextmanager
        async def lifespan(app: FastAPI) -> AsyncIterator[None]:
            async with started(app):
                hide_sql_parameters(app.state.db)
                yield

        app.router.lifespan_context = lifespan
    return app


def hide_sql_parameters(db: Database) -> None:
    """A database error logged as unexpected must not quote the statement's parameters: they
    can be identity and phone numbers."""
    for engine in {db.engine, db.read_engine}:
        engine.sync_engine.hide_parameters = True
