"""The housing service's app factory."""

from __future__ import annotations

from fastapi import FastAPI

from housing.config import Settings
from housing.models import audit_log, idempotency_keys
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
    return create_service_app(
        settings,
        title="MTQG housing service",
        description="Removing temporary and dilapidated houses: cases, funding, plans, reports.",
        routers=[],
        audit_table=audit_log,
        idempotency_table=idempotency_keys,
        db=db,
        verifier=verifier,
    )
