"""The production vocabulary speaks as the province's officers do (SEED.md: "vùng quế",
"chè", "chuối", "chứng nhận hữu cơ chuẩn châu Âu", "hợp tác xã", "dự án liên kết")."""

from __future__ import annotations

import httpx


async def test_crops_certifications_and_partners_in_the_officers_words(
    client: httpx.AsyncClient,
) -> None:
    words = (await client.get("/api/v1/production/vocabulary")).json()
    assert words["crop"]["cinnamon"] == {"vi": "Quế", "en": "Cinnamon"}
    assert words["crop"]["tea"]["vi"] == "Chè"
    assert words["crop"]["banana"]["vi"] == "Chuối"
    assert words["certification"]["organic_eu"]["vi"] == "Hữu cơ chuẩn châu Âu"
    assert words["lead_entity_type"]["cooperative"]["vi"] == "Hợp tác xã"
    assert words["household_poverty"]["near_poor"]["vi"] == "Hộ cận nghèo"
    assert words["disbursement_source"]["local_budget"]["vi"] == "Ngân sách địa phương"
    assert words["project_status"]["approved"]["vi"] == "Đã phê duyệt"
