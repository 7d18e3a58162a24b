"""/api/v1/production/reports/overview"""

from __future__ import annotations

from mtqg_shared.kit.overview import overview_router
from production.reports import service
from production.reports.schemas import Overview
from production.web import PREFIX

router = overview_router(
    PREFIX, Overview, "Zones, projects, facilities and OCOP of an area", service.overview
)
