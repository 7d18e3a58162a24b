"""The housing service's programme money (API.md section 11): its capital plans and the
disbursement report over them and its money entries (the kit's, declared here)."""

from __future__ import annotations

from housing.funding.repository import entries
from housing.models import CapitalPlan, FundingEntry
from housing.web import PREFIX
from mtqg_shared.kit.capital import CapitalBook
from mtqg_shared.kit.disbursement import Counted, Disbursement

plans = CapitalBook("housing", CapitalPlan, prefix=PREFIX)
report = Disbursement(
    plans,
    [Counted(entries, FundingEntry.on_date)],
)
