"""The housing service's period reports (API.md section 11): what a report's snapshot holds, as
of the period's last day, and, through the kit, the lock an approved report puts on the
records dated inside its period."""

from __future__ import annotations

from housing import money
from housing.models import PeriodReport, PeriodReportStep
from housing.reports import service as reports
from housing.reports.schemas import ProgressReport
from housing.web import PREFIX
from mtqg_shared.kit.periods import PeriodReports, part

PERIODS = PeriodReports(
    PREFIX,
    PeriodReport,
    PeriodReportStep,
    parts={
        "overview": part(
            ProgressReport,
            lambda session, principal, area, last_day: reports.progress(
                session, principal, area, "commune", last_day
            ),
        ),
        "disbursement": money.report.part(),
    },
)
