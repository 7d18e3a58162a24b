"""Uploads through the gateway: the multipart body is forwarded as it was sent, past the
gateway's limit for JSON bodies and up to the import's own; the job is read through it."""

from __future__ import annotations

from tests.batch.conftest import Through
from tests.housing.helpers import admin
from tests.imports.helpers import CASE_COLUMNS, csv_file, xlsx_file
from tests.imports.test_rows import case_row

IMPORTS = "/api/v1/housing/imports"


async def test_an_upload_through_the_gateway_is_forwarded_and_its_job_read(
    through_gateway: Through,
) -> None:
    async with through_gateway("housing") as (gateway, app):
        content = xlsx_file([CASE_COLUMNS, case_row(), case_row()])
        sent = await gateway.post(
            IMPORTS,
            data={"resource": "cases", "mode": "commit"},
            files={"file": ("cases.xlsx", content, "application/octet-stream")},
            headers=admin(),
        )
        assert sent.status_code == 202, sent.text
        assert sent.headers["location"] == f"{IMPORTS}/{sent.json()['id']}"
        await app.state.import_runner.drain()
        job = await gateway.get(sent.headers["location"], headers=admin())
        assert job.status_code == 200, job.text
        assert (job.json()["status"], job.json()["created"]) == ("done", 2)


async def test_an_upload_larger_than_a_json_body_passes_the_gateway(
    through_gateway: Through,
) -> None:
    async with through_gateway("housing", max_body_bytes=4096) as (gateway, _app):
        content = csv_file([CASE_COLUMNS, *(case_row() for _ in range(200))])
        assert len(content) > 4096
        sent = await gateway.post(
            IMPORTS,
            data={"resource": "cases", "mode": "dry_run"},
            files={"file": ("cases.csv", content, "text/csv")},
            headers=admin(),
        )
        assert sent.status_code == 202, sent.text
        assert sent.json()["total_rows"] == 200
        # Anything else keeps the gateway's own limit.
        other = await gateway.post(
            "/api/v1/housing/cases", content=b"{" + b" " * 5000 + b"}", headers=admin()
        )
        assert other.status_code == 413
        over = await gateway.post(
            IMPORTS,
            data={"resource": "cases", "mode": "dry_run"},
            files={"file": ("cases.csv", b"x" * (21 * 1024 * 1024), "text/csv")},
            headers=admin(),
        )
        assert over.status_code == 413
