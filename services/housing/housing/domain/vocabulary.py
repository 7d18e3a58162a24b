"""The words of the housing programme: the enum values of the contract (API.md section 3)."""

from __future__ import annotations

from enum import StrEnum


class BeneficiaryGroup(StrEnum):
    MERITORIOUS = "meritorious"
    POOR = "poor"
    NEAR_POOR = "near_poor"
    DISASTER = "disaster"
    OTHER = "other"


class SupportType(StrEnum):
    NEW_BUILD = "new_build"
    REPAIR = "repair"


class CaseStatus(StrEnum):
    REGISTERED = "registered"
    SURVEYED = "surveyed"
    APPROVED = "approved"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    HANDED_OVER = "handed_over"
    CANCELLED = "cancelled"


class FundingSource(StrEnum):
    CENTRAL_BUDGET = "central_budget"
    LOCAL_BUDGET = "local_budget"
    MOBILISED = "mobilised"
    HOUSEHOLD = "household"
    LOAN = "loan"


# The state budget is the central plus the local budget.
STATE_BUDGET_SOURCES = (FundingSource.CENTRAL_BUDGET, FundingSource.LOCAL_BUDGET)


class Severity(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class ObstacleStatus(StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"
