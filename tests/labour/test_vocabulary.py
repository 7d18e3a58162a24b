"""The labour vocabulary speaks as the province's officers do (SEED.md: "hộ nghèo", "cận
nghèo", "Trung tâm Dịch vụ việc làm tỉnh", workers "xuất cảnh" to work abroad)."""

from __future__ import annotations

import httpx


async def test_households_partners_and_steps_in_the_officers_words(
    client: httpx.AsyncClient,
) -> None:
    words = (await client.get("/api/v1/labour/vocabulary")).json()
    assert words["household_poverty"]["poor"] == {"vi": "Hộ nghèo", "en": "Poor household"}
    assert words["household_poverty"]["near_poor"]["vi"] == "Hộ cận nghèo"
    assert words["kind"]["employment_service_centre"]["vi"] == "Trung tâm Dịch vụ việc làm"
    assert words["placement_status"]["departed"]["vi"] == "Đã xuất cảnh"
    assert words["placement_status"]["returned"]["vi"] == "Đã về nước"
    assert words["gender"] == {
        "female": {"vi": "Nữ", "en": "Female"},
        "male": {"vi": "Nam", "en": "Male"},
    }
    assert "Hàn Quốc" in words["scheme"]["eps"]["vi"]
