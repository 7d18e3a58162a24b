"""The labour service's programme money (API.md section 11): its capital plans and the
disbursement report over them and its money entries (the kit's, declared here)."""

from __future__ import annotations

from labour.common import PREFIX
from labour.models import CapitalPlan, SpendingEntry
from labour.spending.repository import book
from mtqg_shared.kit.capital import CapitalBook
from mtqg_shared.kit.disbursement import Counted, Disbursement

plans = CapitalBook("labour", CapitalPlan, prefix=PREFIX)
report = Disbursement(
    plans,
    [Counted(book.resource, SpendingEntry.on)],
)
