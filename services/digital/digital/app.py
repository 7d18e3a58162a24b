"""The digital service's app factory."""

from __future__ import annotations

from fastapi import FastAPI

from digital import money
from digital.assets.router import router as assets
from digital.config import Settings
from digital.imports import IMPORTS
from digital.models import audit_log, idempotency_keys
from digital.periods import PERIODS
from digital.profiles.router import router as profiles
from digital.reports.router import router as reports
from digital.sellers.router import router as sellers
from digital.spending.router import router as spending
from digital.teams.router import router as teams
from digital.villages.router import router as villages
from digital.vocabulary import VOCABULARY
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
        title=process("digital").title,
        description=(
            "Digital transformation in new rural development (263.CDS): digital "
            "infrastructure and its status, community digital technology teams, commune "
            "profiles, smart villages, online sellers, spending, the overview."
        ),
        routers=[assets, teams, profiles, villages, sellers, spending, reports],
        tags={
            "assets": (
                "Computers online, surveillance cameras (and their IOC connection), smart "
                "loudspeaker clusters, public wifi points; their status over time."
            ),
            "teams": "Community digital technology teams (tổ công nghệ số cộng đồng).",
            "commune profiles": (
                "A commune's officials, their IT certificates and its connections, by year."
            ),
            "smart villages": "Villages building the smart-village model, and their recognition.",
            "sellers": "Cooperatives, enterprises and households selling online.",
            "spending": "Money spent on digital transformation; corrections by reversal.",
            "reports": "Infrastructure, government, society, economy and money by area and year.",
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
