"""The words of the housing programme's enums (domain/vocabulary.py and the report's grouping)
as commune officers say them, with their English: `GET /api/v1/housing/vocabulary`."""

from __future__ import annotations

from housing.domain.vocabulary import (
    BeneficiaryGroup,
    CaseStatus,
    FundingSource,
    ObstacleStatus,
    Severity,
    SupportType,
)
from housing.reports.schemas import GroupBy
from mtqg_shared.kit.money import CAPITAL_WORDS, CapitalType
from mtqg_shared.kit.vocabulary import BUDGETS, Vocabulary, terms

G, T, S, F = BeneficiaryGroup, SupportType, CaseStatus, FundingSource

VOCABULARY = Vocabulary(
    terms(
        BeneficiaryGroup,
        {
            G.MERITORIOUS: (
                "Hộ gia đình người có công với cách mạng",
                "Household of a person with meritorious service to the revolution",
            ),
            G.POOR: ("Hộ nghèo", "Poor household"),
            G.NEAR_POOR: ("Hộ cận nghèo", "Near-poor household"),
            G.DISASTER: ("Hộ bị thiệt hại do thiên tai", "Household hit by a natural disaster"),
            G.OTHER: ("Đối tượng khác", "Other household"),
        },
    ),
    terms(SupportType, {T.NEW_BUILD: ("Xây mới", "New build"), T.REPAIR: ("Sửa chữa", "Repair")}),
    terms(
        CaseStatus,
        {
            S.REGISTERED: ("Đã đăng ký", "Registered"),
            S.SURVEYED: ("Đã khảo sát", "Surveyed"),
            S.APPROVED: ("Đã phê duyệt", "Approved"),
            S.IN_PROGRESS: ("Đang thi công", "Under construction"),
            S.COMPLETED: ("Đã hoàn thành", "Completed"),
            S.HANDED_OVER: ("Đã bàn giao", "Handed over"),
            S.CANCELLED: ("Đã hủy", "Cancelled"),
        },
    ),
    terms(
        FundingSource,
        {
            **BUDGETS,
            F.MOBILISED: ("Nguồn vận động, xã hội hóa", "Mobilised contributions"),
            F.HOUSEHOLD: ("Hộ gia đình đối ứng", "The household's own contribution"),
            F.LOAN: ("Vốn vay", "Loan"),
        },
    ),
    terms(CapitalType, CAPITAL_WORDS),
    terms(
        Severity,
        {
            Severity.LOW: ("Thấp", "Low"),
            Severity.MEDIUM: ("Trung bình", "Medium"),
            Severity.HIGH: ("Cao", "High"),
        },
    ),
    terms(
        ObstacleStatus,
        {
            ObstacleStatus.OPEN: ("Chưa tháo gỡ", "Open"),
            ObstacleStatus.RESOLVED: ("Đã tháo gỡ", "Resolved"),
        },
    ),
    terms(
        GroupBy,
        {
            "commune": ("Theo xã", "By commune"),
            "legacy_district": ("Theo huyện cũ (trước 01/07/2025)", "By former district"),
            "legacy_commune": ("Theo xã cũ (trước 01/07/2025)", "By former commune"),
        },
        name="group_by",
    ),
)
