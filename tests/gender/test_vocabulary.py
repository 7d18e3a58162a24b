"""The gender vocabulary speaks as the Women's Union's officers do (SEED.md: "đội truyền
thông", "địa chỉ tin cậy", "câu lạc bộ thủ lĩnh của sự thay đổi", "tiếng Dao", "tiếng Mông")."""

from __future__ import annotations

import httpx


async def test_models_languages_and_topics_in_the_officers_words(
    client: httpx.AsyncClient,
) -> None:
    answer = await client.get("/api/v1/gender/vocabulary")
    assert answer.status_code == 200
    words = answer.json()
    assert words["model_kind"]["communication_team"] == {
        "vi": "Đội truyền thông",
        "en": "Communication team",
    }
    assert words["model_kind"]["trusted_address"]["vi"] == "Địa chỉ tin cậy"
    assert words["model_kind"]["change_leader_club"]["vi"] == "Câu lạc bộ thủ lĩnh của sự thay đổi"
    assert words["model_kind"]["livelihood_group"]["vi"] == "Tổ hợp tác, nhóm sinh kế của phụ nữ"
    assert words["language"] == {
        "vi": {"vi": "Tiếng Việt", "en": "Vietnamese"},
        "dao": {"vi": "Tiếng Dao", "en": "Dao"},
        "hmn": {"vi": "Tiếng Mông", "en": "Hmong"},
    }
    assert words["topic"]["child_marriage"]["vi"] == "Phòng, chống tảo hôn"
    assert words["activity_kind"]["contest"]["vi"] == "Hội thi"
    assert words["spending_source"]["mobilised"]["vi"] == "Nguồn vốn huy động"
    assert words["spending_source"]["central_budget"]["vi"] == "Ngân sách trung ương"
    assert words["capital_type"]["recurrent"]["vi"] == "Vốn sự nghiệp"
