"""The words of the digital service's enums (domain/vocabulary.py) as commune officers say
them, with their English: `GET /api/v1/digital/vocabulary`."""

from __future__ import annotations

from digital.domain.vocabulary import (
    AssetKind,
    AssetStatus,
    CapitalType,
    SellerKind,
    SpendingSource,
    VillageStatus,
)
from mtqg_shared.kit.money import CAPITAL_WORDS
from mtqg_shared.kit.spending import SOURCE_WORDS
from mtqg_shared.kit.vocabulary import Vocabulary, terms

VOCABULARY = Vocabulary(
    terms(
        AssetKind,
        {
            AssetKind.computer: ("Máy tính kết nối internet", "Computer online"),
            AssetKind.camera: ("Camera giám sát", "Surveillance camera"),
            AssetKind.speaker_cluster: ("Cụm loa thông minh", "Smart loudspeaker cluster"),
            AssetKind.wifi_point: ("Điểm phát wifi công cộng", "Public wifi point"),
        },
    ),
    terms(
        AssetStatus,
        {
            AssetStatus.active: ("Đang hoạt động", "Active"),
            AssetStatus.broken: ("Hỏng, chờ sửa chữa", "Broken"),
            AssetStatus.retired: ("Đã thanh lý, ngừng sử dụng", "Retired"),
        },
    ),
    terms(
        VillageStatus,
        {
            VillageStatus.BUILDING: ("Đang xây dựng", "Building"),
            VillageStatus.RECOGNISED: ("Đã được công nhận", "Recognised"),
        },
    ),
    terms(
        SellerKind,
        {
            SellerKind.cooperative: ("Hợp tác xã", "Cooperative"),
            SellerKind.enterprise: ("Doanh nghiệp", "Enterprise"),
            SellerKind.household: ("Hộ kinh doanh", "Household business"),
        },
    ),
    terms(SpendingSource, SOURCE_WORDS),
    terms(CapitalType, CAPITAL_WORDS),
)
