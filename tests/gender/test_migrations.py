"""The gender migrations go up, down and up again, and build exactly what the models say."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from gender.models import metadata
from tests import migrations_check

TABLES = ("community_models", "activities", "materials", "spending", "cases", "access_log")


@pytest.fixture
def fresh_url(tmp_path: Path) -> Iterator[str]:
    yield from migrations_check.fresh_url("gender", tmp_path)


async def test_upgrade_downgrade_upgrade(fresh_url: str) -> None:
    await migrations_check.up_down_up("gender", metadata, fresh_url, TABLES)
