"""The housing vocabulary speaks as the province's officers do (SEED.md: "xóa nhà tạm, nhà dột
nát cho gia đình có công với cách mạng, hộ nghèo, hộ cận nghèo ...; sửa chữa, làm mới")."""

from __future__ import annotations

import httpx


async def test_support_kinds_and_households_in_the_officers_words(
    client: httpx.AsyncClient,
) -> None:
    words = (await client.get("/api/v1/housing/vocabulary")).json()
    assert words["support_type"]["new_build"] == {"vi": "Xây mới", "en": "New build"}
    assert words["support_type"]["repair"] == {"vi": "Sửa chữa", "en": "Repair"}
    assert words["beneficiary_group"]["poor"]["vi"] == "Hộ nghèo"
    assert words["beneficiary_group"]["near_poor"]["vi"] == "Hộ cận nghèo"
    assert "có công với cách mạng" in words["beneficiary_group"]["meritorious"]["vi"]
    assert "thiên tai" in words["beneficiary_group"]["disaster"]["vi"]
    assert words["case_status"]["handed_over"]["vi"] == "Đã bàn giao"
    assert words["funding_source"]["central_budget"]["vi"] == "Ngân sách trung ương"
    assert words["geography"]["2025-07"]["vi"].startswith("Địa giới từ 01/07/2025")
