"""The production service's app factory."""

from __future__ import annotations

from fastapi import FastAPI

from mtqg_shared.auth import TokenVerifier
from mtqg_shared.db import Database
from mtqg_shared.registry import process
from mtqg_shared.service_app import create_service_app
from production import money
from production.config import Settings
from production.facilities.router import router as facilities
from production.imports import IMPORTS
from production.models import audit_log, idempotency_keys
from production.ocop.router import router as ocop_products
from production.periods import PERIODS
from production.projects.entries_router import router as project_entries
from production.projects.router import router as projects
from production.reports.router import router as reports
from production.vocabulary import VOCABULARY
from production.zones.router import router as zones


def create_app(
    settings: Settings | None = None,
    *,
    db: Database | None = None,
    verifier: TokenVerifier | None = None,
) -> FastAPI:
    settings = settings or Settings()
    return create_service_app(
        settings,
        title=process("production").title,
        description=(
            "Value chains: production zones, linkage projects with their disbursements and "
            "participating households, processing facilities, OCOP products, the overview."
        ),
        routers=[zones, projects, project_entries, facilities, ocop_products, reports],
        tags={
            "zones": "Production zones by crop, with their certified and linked areas.",
            "projects": (
                "Value-chain linkage projects: status path, disbursements, participating "
                "households."
            ),
            "facilities": "Processing and trading facilities.",
            "ocop": "OCOP products and their star ratings.",
            "reports": "Zones, projects and products by area and year.",
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
