"""The words of Project 8's enums (domain/vocabulary.py) as the Women's Union's officers say
them, with their English: `GET /api/v1/gender/vocabulary`."""

from __future__ import annotations

from gender.cases.status import CaseKind, CaseOutcome, CaseStatus, VictimSex
from gender.domain.vocabulary import (
    ActivityKind,
    CapitalType,
    Language,
    MaterialFormat,
    ModelKind,
    SpendingSource,
    Topic,
)
from mtqg_shared.kit.money import CAPITAL_WORDS
from mtqg_shared.kit.spending import SOURCE_WORDS
from mtqg_shared.kit.vocabulary import Vocabulary, terms

VOCABULARY = Vocabulary(
    terms(
        ModelKind,
        {
            ModelKind.communication_team: ("Đội truyền thông", "Communication team"),
            ModelKind.trusted_address: ("Địa chỉ tin cậy", "Trusted address (shelter)"),
            ModelKind.change_leader_club: (
                "Câu lạc bộ thủ lĩnh của sự thay đổi",
                "Change-leader club",
            ),
            ModelKind.livelihood_group: (
                "Tổ hợp tác, nhóm sinh kế của phụ nữ",
                "Women's livelihood group or cooperative group",
            ),
            ModelKind.other: ("Mô hình khác", "Other model"),
        },
    ),
    terms(
        ActivityKind,
        {
            ActivityKind.communication: ("Truyền thông trực tiếp", "Communication session"),
            ActivityKind.training: ("Tập huấn", "Training"),
            ActivityKind.dialogue: ("Đối thoại chính sách", "Dialogue"),
            ActivityKind.contest: ("Hội thi", "Contest"),
            ActivityKind.social_media: ("Truyền thông trên mạng xã hội", "Social media"),
        },
    ),
    terms(
        Topic,
        {
            Topic.gender_equality: ("Bình đẳng giới", "Gender equality"),
            Topic.domestic_violence: ("Phòng, chống bạo lực gia đình", "Domestic violence"),
            Topic.child_marriage: ("Phòng, chống tảo hôn", "Child marriage"),
            Topic.consanguineous_marriage: (
                "Phòng, chống hôn nhân cận huyết thống",
                "Consanguineous marriage",
            ),
            Topic.human_trafficking: ("Phòng, chống mua bán người", "Human trafficking"),
            Topic.child_protection: ("Bảo vệ trẻ em", "Child protection"),
            Topic.women_economy: ("Phụ nữ phát triển kinh tế", "Women's economic development"),
        },
    ),
    terms(
        Language,
        {
            Language.vi: ("Tiếng Việt", "Vietnamese"),
            Language.dao: ("Tiếng Dao", "Dao"),
            Language.hmn: ("Tiếng Mông", "Hmong"),
        },
    ),
    terms(
        MaterialFormat,
        {
            MaterialFormat.leaflet: ("Tờ rơi", "Leaflet"),
            MaterialFormat.poster: ("Áp phích, pa nô", "Poster"),
            MaterialFormat.audio: ("Bản tin phát thanh", "Audio"),
            MaterialFormat.video: ("Video, phóng sự", "Video"),
            MaterialFormat.post: ("Bài đăng mạng xã hội", "Social media post"),
        },
    ),
    terms(
        SpendingSource,
        SOURCE_WORDS,
    ),
    terms(
        CapitalType,
        CAPITAL_WORDS,
    ),
    terms(
        CaseKind,
        {
            CaseKind.domestic_violence: ("Bạo lực gia đình", "Domestic violence"),
            CaseKind.child_marriage: ("Tảo hôn", "Child marriage"),
            CaseKind.human_trafficking: ("Mua bán người", "Human trafficking"),
            CaseKind.abuse: ("Xâm hại, bạo lực", "Abuse"),
            CaseKind.other: ("Vụ việc khác", "Other case"),
        },
    ),
    terms(
        VictimSex,
        {
            VictimSex.female: ("Nữ", "Female"),
            VictimSex.male: ("Nam", "Male"),
        },
    ),
    terms(
        CaseStatus,
        {
            CaseStatus.REPORTED: ("Tiếp nhận thông tin", "Reported"),
            CaseStatus.VERIFIED: ("Đã xác minh", "Verified"),
            CaseStatus.SUPPORTED: ("Đã hỗ trợ, can thiệp", "Supported"),
            CaseStatus.CLOSED: ("Kết thúc vụ việc", "Closed"),
        },
    ),
    terms(
        CaseOutcome,
        {
            CaseOutcome.prevented: ("Đã ngăn chặn kịp thời", "Prevented"),
            CaseOutcome.supported: ("Đã hỗ trợ nạn nhân", "Victim supported"),
            CaseOutcome.referred: ("Chuyển cơ quan chức năng", "Referred"),
            CaseOutcome.unfounded: ("Không có căn cứ", "Unfounded"),
        },
    ),
)
