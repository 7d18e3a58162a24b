"""The answers of `/imports` (API.md section 10) and the words of their enums."""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from mtqg_shared.kit.vocabulary import terms
from mtqg_shared.pagination import Page


class ImportMode(StrEnum):
    DRY_RUN = "dry_run"
    COMMIT = "commit"


class OnExisting(StrEnum):
    ERROR = "error"
    SKIP = "skip"
    UPDATE = "update"


class ImportStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


IMPORT_TERMS = (
    terms(
        ImportMode,
        {
            ImportMode.DRY_RUN: ("Chạy thử, không ghi", "Dry run, nothing written"),
            ImportMode.COMMIT: ("Ghi vào hệ thống", "Commit"),
        },
    ),
    terms(
        OnExisting,
        {
            OnExisting.ERROR: ("Báo lỗi nếu đã có", "Report an error if it exists"),
            OnExisting.SKIP: ("Bỏ qua nếu đã có", "Skip if it exists"),
            OnExisting.UPDATE: ("Cập nhật nếu đã có", "Update if it exists"),
        },
    ),
    terms(
        ImportStatus,
        {
            ImportStatus.QUEUED: ("Đang chờ", "Queued"),
            ImportStatus.RUNNING: ("Đang xử lý", "Running"),
            ImportStatus.DONE: ("Đã xong", "Done"),
            ImportStatus.FAILED: ("Không thành công", "Failed"),
        },
    ),
)


class ImportResource(BaseModel):
    resource: str = Field(description="The form's `resource` and the template's name.")
    fields: list[str] = Field(description="The template's columns, in its order.")
    natural_key: list[str] = Field(description="The fields that name an existing record.")


class ImportResources(BaseModel):
    items: list[ImportResource]
    next_cursor: str | None = None


class ImportRowError(BaseModel):
    row: int = Field(description="The row's number as the sheet numbers it (the header is 1).")
    field: str | None = Field(description="The column's field, or null for the whole row.")
    code: str = Field(description="The stable code, as the single create's errors[] give it.")
    message: str = Field(description="In the language the import was sent in.")


class ImportJobSummary(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    resource: str
    mode: ImportMode
    on_existing: OnExisting
    status: ImportStatus
    file_name: str
    total_rows: int | None = Field(description="The file's data rows (headers left out).")
    processed_rows: int = Field(description="Rows gone through so far; total_rows when done.")
    created: int = Field(description="Records created (or, in a dry run, that would be).")
    updated: int
    skipped: int
    error_count: int = Field(description="Every error found; `errors` lists the first 1,000.")
    message: str | None = Field(description="Why the whole import failed, when it did.")
    created_by: str
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None


class ImportJob(ImportJobSummary):
    errors: list[ImportRowError]


ImportPage = Page[ImportJobSummary]
