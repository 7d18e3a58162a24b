"""The digital migrations go up, down and up again, and build exactly what the models say."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from digital.models import metadata
from tests import migrations_check

TABLES = (
    "assets",
    "asset_statuses",
    "teams",
    "commune_profiles",
    "smart_villages",
    "smart_village_transitions",
    "sellers",
    "spending",
)


@pytest.fixture
def fresh_url(tmp_path: Path) -> Iterator[str]:
    yield from migrations_check.fresh_url("digital", tmp_path)


async def test_upgrade_downgrade_upgrade(fresh_url: str) -> None:
    await migrations_check.up_down_up("digital", metadata, fresh_url, TABLES)
