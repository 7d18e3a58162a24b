"""The words of the labour programme's enums (placement statuses, schemes, partner kinds, a
worker's gender and household, the remittance report's grouping) as commune officers say them,
with their English: `GET /api/v1/labour/vocabulary`."""

from __future__ import annotations

from labour.domain.status import PlacementStatus
from labour.partners.schemas import PartnerKind
from labour.placements.schemas import Scheme
from labour.reports.schemas import RemittanceGrouping
from labour.workers.schemas import Gender, HouseholdPoverty
from mtqg_shared.kit.money import CAPITAL_WORDS, CapitalType
from mtqg_shared.kit.spending import SOURCE_WORDS, SpendingSource
from mtqg_shared.kit.vocabulary import HOUSEHOLD_POVERTY, Vocabulary, terms

S = PlacementStatus

VOCABULARY = Vocabulary(
    terms(SpendingSource, SOURCE_WORDS),
    terms(CapitalType, CAPITAL_WORDS),
    terms(
        PlacementStatus,
        {
            S.REGISTERED: ("Đã đăng ký", "Registered"),
            S.TRAINING: ("Đang đào tạo, học ngoại ngữ", "In training"),
            S.DOCUMENTS: ("Đang hoàn thiện hồ sơ, thủ tục", "Completing the papers"),
            S.DEPARTED: ("Đã xuất cảnh", "Departed"),
            S.WORKING: ("Đang làm việc ở nước ngoài", "Working abroad"),
            S.BROKE_CONTRACT: ("Bỏ hợp đồng", "Broke the contract"),
            S.RETURNED: ("Đã về nước", "Returned home"),
            S.WITHDRAWN: ("Đã rút hồ sơ", "Withdrawn"),
        },
    ),
    terms(
        Scheme,
        {
            "eps": ("Chương trình EPS (Hàn Quốc)", "EPS (Korea's Employment Permit System)"),
            "titp": ("Thực tập sinh kỹ năng (Nhật Bản)", "Technical intern (TITP, Japan)"),
            "ssw": (
                "Lao động kỹ năng đặc định (Nhật Bản)",
                "Specified skilled worker (SSW, Japan)",
            ),
            "contract": ("Theo hợp đồng cung ứng lao động", "Under a labour supply contract"),
            "seasonal": ("Lao động thời vụ", "Seasonal work"),
            "other": ("Hình thức khác", "Other scheme"),
        },
        name="scheme",
    ),
    terms(
        PartnerKind,
        {
            "employment_service_centre": (
                "Trung tâm Dịch vụ việc làm",
                "Employment service centre",
            ),
            "licensed_company": (
                "Doanh nghiệp được cấp phép đưa người lao động đi làm việc ở nước ngoài",
                "Company licensed to send workers abroad",
            ),
            "other": ("Đơn vị khác", "Other partner"),
        },
        name="kind",
    ),
    terms(Gender, {"female": ("Nữ", "Female"), "male": ("Nam", "Male")}, name="gender"),
    terms(HouseholdPoverty, HOUSEHOLD_POVERTY, name="household_poverty"),
    terms(
        RemittanceGrouping,
        {
            "commune": ("Theo xã", "By commune"),
            "country": ("Theo nước", "By country"),
            "year": ("Theo năm", "By year"),
            "month": ("Theo tháng", "By month"),
        },
        name="group_by",
    ),
)
