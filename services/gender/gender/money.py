"""The gender service's programme money (API.md section 11): its capital plans and the
disbursement report over them and its money entries (the kit's, declared here)."""

from __future__ import annotations

from gender.models import CapitalPlan, SpendingEntry
from gender.spending.repository import book
from gender.web import PREFIX
from mtqg_shared.kit.capital import CapitalBook
from mtqg_shared.kit.disbursement import Counted, Disbursement

plans = CapitalBook("gender", CapitalPlan, prefix=PREFIX)
report = Disbursement(
    plans,
    [Counted(book.resource, SpendingEntry.on)],
)
