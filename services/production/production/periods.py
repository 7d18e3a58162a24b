"""The production service's period reports (API.md section 11): what a report's snapshot holds, as
of the period's last day, and, through the kit, the lock an approved report puts on the
records dated inside its period."""

from __future__ import annotations

from mtqg_shared.kit.periods import PeriodReports, part
from production import money
from production.models import PeriodReport, PeriodReportStep
from production.reports import service as reports
from production.reports.schemas import Overview
from production.web import PREFIX

PERIODS = PeriodReports(
    PREFIX,
    PeriodReport,
    PeriodReportStep,
    parts={
        "overview": part(
            Overview,
            lambda session, principal, area, last_day: reports.overview(
                session, principal, area, last_day.year, last_day
            ),
        ),
        "disbursement": money.report.part(),
    },
)
