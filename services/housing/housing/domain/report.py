"""The arithmetic of the progress report, over figures SQL has already aggregated.

A row counts cases by status and support type and sums funding by source; the totals row is
the sum of the rows (every figure is additive), and the rates are derived last.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from housing.domain.funding import by_source, state_budget
from housing.domain.plans import rate
from housing.domain.status import COMPLETED
from housing.domain.vocabulary import CaseStatus, FundingSource


def _zero_statuses() -> dict[str, int]:
    return {status.value: 0 for status in CaseStatus}


@dataclass(slots=True)
class ReportRow:
    code: str | None
    name: str
    by_status: dict[str, int] = field(default_factory=_zero_statuses)
    new_build: int = 0
    repair: int = 0
    funding_vnd: dict[str, int] = field(default_factory=lambda: by_source(()))

    @property
    def cases(self) -> int:
        return sum(self.by_status.values())

    @property
    def completed(self) -> int:
        return sum(self.by_status[s.value] for s in COMPLETED)

    @property
    def completion_rate(self) -> float:
        """completed / (cases - cancelled); 0 when no case is left."""
        return rate(self.completed, self.cases - self.by_status[CaseStatus.CANCELLED.value])

    @property
    def total_funding_vnd(self) -> int:
        return sum(self.funding_vnd.values())

    @property
    def state_budget_vnd(self) -> int:
        return state_budget(self.funding_vnd)

    def add_counts(self, counts: Mapping[str, int], new_build: int, repair: int) -> None:
        for status, n in counts.items():
            self.by_status[status] += int(n)
        self.new_build += int(new_build)
        self.repair += int(repair)

    def add_funding(self, amounts: Mapping[str, int]) -> None:
        for source in FundingSource:
            self.funding_vnd[source.value] += int(amounts.get(source.value, 0))

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "cases": self.cases,
            "by_status": dict(self.by_status),
            "new_build": self.new_build,
            "repair": self.repair,
            "completed": self.completed,
            "completion_rate": self.completion_rate,
            "funding_vnd": dict(self.funding_vnd),
            "total_funding_vnd": self.total_funding_vnd,
            "state_budget_vnd": self.state_budget_vnd,
        }


def totals(code: str, name: str, rows: Iterable[ReportRow]) -> ReportRow:
    total = ReportRow(code=code, name=name)
    for row in rows:
        total.add_counts(row.by_status, row.new_build, row.repair)
        total.add_funding(row.funding_vnd)
    return total
