"""Masking and the sensitive rule hold in a file as in JSON: a viewer's export of workers
shows masked identity numbers; protection cases export only to holders of `protection`, and
the access log records the export's reads."""

from __future__ import annotations

from typing import Any

import pytest

from mtqg_shared import export
from tests.export.helpers import read_csv, read_xlsx
from tests.gender.helpers import API as GENDER
from tests.gender.helpers import admin as gender_admin
from tests.gender.test_cases import SUMMARY, holder, make
from tests.labour.helpers import ADMIN, VIEWER, P, worker_body


async def test_a_masked_field_is_masked_in_the_file(service_client: Any) -> None:
    async with service_client("labour") as client:
        body = worker_body()
        made = await client.post(f"{P}/workers", json=body, headers=ADMIN)
        assert made.status_code == 201, made.text
        shown = (await client.get(f"{P}/workers", headers=VIEWER)).json()["items"][0]
        assert shown["national_id"] != body["national_id"]
        for fmt, read in (("csv", read_csv), ("xlsx", read_xlsx)):
            answer = await client.get(f"{P}/workers", params={"format": fmt}, headers=VIEWER)
            assert answer.status_code == 200, answer.text
            cells = [str(c) for c in read(answer)[1]]
            assert shown["national_id"] in cells
            assert body["national_id"] not in answer.content.decode("latin-1")
            assert not any(body["national_id"] in cell for cell in cells)


async def test_protection_cases_export_to_holders_only_and_are_logged(
    service_client: Any,
) -> None:
    async with service_client("gender") as client:
        case = await make(client)
        for fmt in ("csv", "xlsx"):
            refused = await client.get(
                f"{GENDER}/cases", params={"format": fmt}, headers=gender_admin()
            )
            assert refused.status_code == 403, refused.text
            assert refused.headers["content-type"].startswith("application/problem+json")
            assert SUMMARY.encode() not in refused.content
        answer = await client.get(f"{GENDER}/cases", params={"format": "csv"}, headers=holder())
        assert answer.status_code == 200, answer.text
        rows = read_csv(answer)
        assert len(rows) == 2 and case["id"] in rows[1]
        log = (await client.get(f"{GENDER}/access-log", headers=gender_admin())).json()["items"]
        exports = [entry for entry in log if entry["action"] == "export"]
        assert [entry["case_ids"] for entry in exports] == [[case["id"]]]
        assert exports[0]["reader"] == "person:holder"


async def test_more_rows_than_the_xlsx_limit_is_422(
    service_client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert export.MAX_XLSX_ROWS == 1_000_000
    from tests.housing.helpers import API, admin, create_case

    async with service_client("housing") as client:
        for _ in range(3):
            await create_case(client)
        monkeypatch.setattr(export, "MAX_XLSX_ROWS", 2)
        answer = await client.get(f"{API}/cases", params={"format": "xlsx"}, headers=admin())
        assert answer.status_code == 422, answer.text
        assert answer.headers["content-type"].startswith("application/problem+json")
        assert "xlsx" in answer.json()["detail"]
        assert (
            await client.get(f"{API}/cases", params={"format": "csv"}, headers=admin())
        ).status_code == 200
        monkeypatch.setattr(export, "MAX_XLSX_ROWS", 3)
        fits = await client.get(f"{API}/cases", params={"format": "xlsx"}, headers=admin())
        assert fits.status_code == 200
        assert len(read_xlsx(fits)) == 4
