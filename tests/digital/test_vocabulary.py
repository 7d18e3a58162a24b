"""The digital vocabulary speaks as commune officers do (SEED.md: "máy tính kết nối
internet", "camera giám sát", "cụm loa thông minh", "điểm phát sóng wifi công cộng", "hợp tác
xã")."""

from __future__ import annotations

import httpx


async def test_assets_statuses_and_sellers_in_the_officers_words(
    client: httpx.AsyncClient,
) -> None:
    answer = await client.get("/api/v1/digital/vocabulary")
    assert answer.status_code == 200
    words = answer.json()
    assert words["asset_kind"]["camera"] == {"vi": "Camera giám sát", "en": "Surveillance camera"}
    assert words["asset_kind"]["speaker_cluster"]["vi"] == "Cụm loa thông minh"
    assert words["asset_kind"]["wifi_point"]["vi"] == "Điểm phát wifi công cộng"
    assert words["asset_status"]["broken"]["vi"] == "Hỏng, chờ sửa chữa"
    assert words["village_status"]["recognised"]["vi"] == "Đã được công nhận"
    assert words["seller_kind"]["cooperative"]["vi"] == "Hợp tác xã"
    assert words["spending_source"]["mobilised"]["vi"] == "Nguồn vốn huy động"
    assert words["capital_type"]["investment"]["vi"] == "Vốn đầu tư phát triển"
