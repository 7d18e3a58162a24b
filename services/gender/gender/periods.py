"""The gender service's period reports (API.md section 11): what a report's snapshot holds, as
of the period's last day, and, through the kit, the lock an approved report puts on the
records dated inside its period."""

from __future__ import annotations

from gender import money
from gender.models import PeriodReport, PeriodReportStep
from gender.reports import service as reports
from gender.reports.schemas import Overview
from gender.web import PREFIX
from mtqg_shared.kit.periods import PeriodReports, part

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
