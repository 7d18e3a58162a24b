"""Every programme service of the registry answers its vocabulary (a new service, or a new enum
in a service's document, without its words fails here)."""

from __future__ import annotations

from typing import Any

import pytest

from mtqg_shared.registry import SERVICE_NAMES
from tests.vocabulary import check_vocabulary


@pytest.mark.parametrize("service", SERVICE_NAMES)
async def test_every_enum_of_the_service_has_its_words(service_client: Any, service: str) -> None:
    async with service_client(service) as client:
        document = client.app.openapi()
        await check_vocabulary(client, f"/api/v1/{service}/vocabulary", document)
