"""/api/v1/digital/reports/overview"""

from __future__ import annotations

from digital.reports import service
from digital.reports.schemas import Overview
from digital.web import PREFIX
from mtqg_shared.kit.overview import overview_router

router = overview_router(
    PREFIX,
    Overview,
    "Digital infrastructure, government, society, economy and spending of an area",
    service.overview,
)
