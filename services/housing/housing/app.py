"""The housing service's app factory."""

from __future__ import annotations

from fastapi import FastAPI

from housing import money
from housing.cases.router import router as cases
from housing.config import Settings
from housing.funding.router import router as funding
from housing.imports import IMPORTS
from housing.models import audit_log, idempotency_keys
from housing.norms.router import router as norms
from housing.obstacles.router import router as obstacles
from housing.periods import PERIODS
from housing.plans.router import router as plans
from housing.reports.router import router as reports
from housing.vocabulary import VOCABULARY
from mtqg_shared.auth import TokenVerifier
from mtqg_shared.db import Database
from mtqg_shared.registry import process
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
        title=process("housing").title,
        description="Removing temporary and dilapidated houses: cases, funding, plans, reports.",
        routers=[cases, funding, norms, plans, obstacles, reports],
        tags={
            "cases": "Households' support cases: registration, status path, funding received.",
            "funding": "Money entries of a case by source; a reversal is a new entry.",
            "norms": "Support norms (VND) by beneficiary group and support type, from a date.",
            "plans": "Completion targets of an area with dated milestones, and their progress.",
            "obstacles": "What holds cases up in an area, until resolved.",
            "reports": "Progress by area: cases by status, funding, completion.",
        },
        audit_table=audit_log,
        idempotency_table=idempotency_keys,
        vocabulary=VOCABULARY,
        db=db,
        verifier=verifier,
        imports=IMPORTS,
        money=money.report,
        periods=PERIODS,
    )
