from __future__ import annotations

import httpx

from tests.housing.helpers import NEW_SI_MA_CAI, admin, household
from tests.imports.helpers import API, CASE_COLUMNS, csv_file, run


async def test_csv_commit_creates_cases(client: httpx.AsyncClient) -> None:
    rows = [CASE_COLUMNS]
    codes = [household() for _ in range(3)]
    for code in codes:
        rows.append((code, "Giàng Seo Páo", NEW_SI_MA_CAI, "poor", "new_build", "2025-08-01"))
    job = await run(client, csv_file(rows), admin())
    assert job["status"] == "done", job
    assert job["created"] == 3
    for code in codes:
        found = await client.get(f"{API}/cases", params={"household_code": code}, headers=admin())
        assert len(found.json()["items"]) == 1
