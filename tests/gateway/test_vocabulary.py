"""The gateway's own vocabulary, `/api/v1/auth/vocabulary`: every enum of its document with
Vietnamese and English words, no token; and a service's vocabulary forwarded without one."""

from __future__ import annotations

from typing import Any

import httpx

from tests.gateway.helpers import GatewayClient, gateway_of
from tests.gateway.upstreams import echo_service
from tests.vocabulary import check_vocabulary


async def test_every_enum_of_the_gateway_has_its_words(client: httpx.AsyncClient) -> None:
    document = gateway_of(client).api.openapi()
    words = await check_vocabulary(client, "/api/v1/auth/vocabulary", document)
    assert words["roles"]["officer"]["vi"] == "Cán bộ nghiệp vụ"
    assert words["level"]["commune"]["vi"] == "Xã, phường"
    assert words["scopes"]["housing:read"]["vi"] == "Xem dữ liệu: Xóa nhà tạm, nhà dột nát"
    assert (
        set(words["unavailable"])
        == set(words["forbidden"])
        == {
            "housing",
            "labour",
            "production",
            "gender",
            "digital",
        }
    )


async def test_a_service_vocabulary_is_forwarded_without_a_token(
    gateway_client: GatewayClient,
) -> None:
    async with echo_service() as housing, gateway_client(housing_url=housing.url) as client:
        answer = await client.get("/api/v1/housing/vocabulary", headers={"If-None-Match": '"abc"'})
    assert answer.status_code == 200, answer.text
    seen: dict[str, Any] = answer.json()
    assert seen["raw_path"] == "/api/v1/housing/vocabulary"
    names = {name for name, _value in seen["headers"]}
    assert "authorization" not in names
    assert ["if-none-match", '"abc"'] in seen["headers"]
