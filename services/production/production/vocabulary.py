"""The words of the value-chain programme's enums (domain/vocabulary.py and the project
statuses) as commune officers say them, with their English:
`GET /api/v1/production/vocabulary`."""

from __future__ import annotations

from mtqg_shared.kit.money import CAPITAL_WORDS, CapitalType
from mtqg_shared.kit.vocabulary import BUDGETS, HOUSEHOLD_POVERTY, Vocabulary, terms
from production.domain.status import ProjectStatus
from production.domain.vocabulary import (
    Certification,
    Crop,
    DisbursementSource,
    FacilityKind,
    HouseholdPoverty,
    LeadEntityType,
)

P = ProjectStatus

VOCABULARY = Vocabulary(
    terms(
        Crop,
        {
            Crop.cinnamon: ("Quế", "Cinnamon"),
            Crop.tea: ("Chè", "Tea"),
            Crop.banana: ("Chuối", "Banana"),
            Crop.fruit: ("Cây ăn quả", "Fruit trees"),
            Crop.rice: ("Lúa", "Rice"),
            Crop.medicinal: ("Cây dược liệu", "Medicinal plants"),
            Crop.vegetable: ("Rau màu", "Vegetables"),
            Crop.livestock: ("Chăn nuôi", "Livestock"),
            Crop.other: ("Cây trồng, vật nuôi khác", "Other crop or livestock"),
        },
    ),
    terms(
        Certification,
        {
            Certification.organic_eu: ("Hữu cơ chuẩn châu Âu", "Organic (EU)"),
            Certification.organic_us: ("Hữu cơ chuẩn Hoa Kỳ", "Organic (USDA)"),
            Certification.organic_vn: ("Hữu cơ tiêu chuẩn Việt Nam", "Organic (Vietnam)"),
            Certification.vietgap: ("Chứng nhận VietGAP", "VietGAP"),
            Certification.globalgap: ("Chứng nhận GlobalGAP", "GlobalG.A.P."),
            Certification.other: ("Chứng nhận khác", "Other certification"),
        },
    ),
    terms(
        LeadEntityType,
        {
            LeadEntityType.enterprise: ("Doanh nghiệp", "Enterprise"),
            LeadEntityType.cooperative: ("Hợp tác xã", "Cooperative"),
            LeadEntityType.cooperative_group: ("Tổ hợp tác", "Cooperative group"),
        },
    ),
    terms(
        ProjectStatus,
        {
            P.PROPOSED: ("Đề xuất", "Proposed"),
            P.APPROVED: ("Đã phê duyệt", "Approved"),
            P.IN_PROGRESS: ("Đang thực hiện", "In progress"),
            P.SUSPENDED: ("Tạm dừng", "Suspended"),
            P.COMPLETED: ("Đã hoàn thành", "Completed"),
            P.REJECTED: ("Không phê duyệt", "Rejected"),
        },
    ),
    terms(DisbursementSource, BUDGETS),
    terms(CapitalType, CAPITAL_WORDS),
    terms(HouseholdPoverty, HOUSEHOLD_POVERTY),
    terms(
        FacilityKind,
        {
            FacilityKind.household: ("Hộ gia đình", "Household"),
            FacilityKind.cooperative: ("Hợp tác xã", "Cooperative"),
            FacilityKind.enterprise: ("Doanh nghiệp", "Enterprise"),
        },
    ),
)
