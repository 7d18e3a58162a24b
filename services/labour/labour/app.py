"""The labour service's app factory."""

from __future__ import annotations

from fastapi import FastAPI

from labour import money
from labour.config import Settings
from labour.imports import IMPORTS
from labour.models import audit_log, idempotency_keys
from labour.outreach.router import router as outreach
from labour.partners.router import router as partners
from labour.periods import PERIODS
from labour.placements.router import router as placements
from labour.profiles.router import router as profiles
from labour.remittances.router import router as remittances
from labour.reports.router import router as reports
from labour.spending.router import router as spending
from labour.vocabulary import VOCABULARY
from labour.workers.router import router as workers
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
        title=process("labour").title,
        description=(
            "Workers abroad under contract: workers, partners, outreach events, placements "
            "and their steps, remittances, Project 4's spending on workers, commune labour "
            "profiles, reports."
        ),
        routers=[
            workers,
            partners,
            outreach,
            placements,
            remittances,
            spending,
            profiles,
            reports,
        ],
        tags={
            "workers": "People who work or wish to work abroad under contract.",
            "partners": "Employment service centres and licensed companies.",
            "outreach events": "Information sessions held in communes.",
            "placements": "A worker's contract abroad: status path from registration to return.",
            "remittances": "Money sent home during a placement, by month.",
            "spending": (
                "Project 4's money spent on workers (training, documents, travel); "
                "corrections by reversal."
            ),
            "commune profiles": "A commune's labour figures for one year.",
            "reports": "Departures, returns and remittances by area and period.",
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
