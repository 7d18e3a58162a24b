"""/api/v1/gender/reports/overview"""

from __future__ import annotations

from gender.reports import service
from gender.reports.schemas import Overview
from gender.web import PREFIX
from mtqg_shared.kit.overview import overview_router

router = overview_router(
    PREFIX,
    Overview,
    "Models, activities, materials, case counts and spending of an area",
    service.overview,
)
