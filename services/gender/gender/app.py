"""The gender service's app factory."""

from __future__ import annotations

from fastapi import FastAPI

from gender import money
from gender.activities.router import router as activities
from gender.cases.repository import cases as case_records
from gender.cases.router import router as cases
from gender.community.router import router as models
from gender.config import Settings
from gender.imports import IMPORTS
from gender.materials.router import router as materials
from gender.models import audit_log, idempotency_keys
from gender.periods import PERIODS
from gender.reports.router import router as reports
from gender.spending.router import router as spending
from gender.vocabulary import VOCABULARY
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
        title=process("gender").title,
        description=(
            "Gender equality (Project 8 of the ethnic-minority programme): community models, "
            "communication activities, materials in Vietnamese, Dao and Hmong, protection cases, "
            "spending, the overview."
        ),
        routers=[models, activities, materials, cases, spending, reports],
        tags={
            "models": (
                "Community models: communication teams, trusted addresses, change-leader "
                "clubs, women's livelihood groups."
            ),
            "activities": (
                "Sessions, trainings, dialogues, contests and social-media campaigns, by topic "
                "and language."
            ),
            "materials": "Communication materials, one version per language.",
            "cases": (
                "Protection cases: only holders of the protection role read and write them "
                "within their areas, and every read is logged."
            ),
            "spending": "Money spent on Project 8; corrections by reversal.",
            "reports": "Models, activities, materials, case counts and money by area and year.",
        },
        audit_table=audit_log,
        idempotency_table=idempotency_keys,
        vocabulary=VOCABULARY,
        sensitive=[case_records],
        db=db,
        verifier=verifier,
        imports=IMPORTS,
        money=money.report,
        periods=PERIODS,
    )
