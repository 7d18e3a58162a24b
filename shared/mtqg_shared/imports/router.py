"""`/api/v1/<service>/imports`: templates, uploads and their jobs (API.md section 10), made by
the app factory for every service whose models hold the job table.

The upload (`POST /imports`) is checked whole before it is queued, so that what the file
itself gets wrong is answered at once: not multipart 415, a file over `MTQG_IMPORT_MAX_BYTES`
413 (the body is refused before it is read whole, by its length or as it streams), not an
XLSX or UTF-8 CSV 415, an unknown resource, mode or column, or no usable header 422; the rows'
own errors are the job's. `Idempotency-Key` compares the file's SHA-256 and the form fields
(a multipart body differs in its boundary every time it is sent).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from typing import Annotated, Any

import anyio
from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import Table, insert, literal, select, tuple_
from starlette.datastructures import UploadFile

from mtqg_shared.auth import Principal, Reader, Writer
from mtqg_shared.db import ReadSession
from mtqg_shared.errors import FieldError, Problem, field_error, request_language, validation_errors
from mtqg_shared.fields import IdempotencyKey, is_storable
from mtqg_shared.imports.reading import header_names, read_sheet
from mtqg_shared.imports.runner import Runner, principal_of, snapshot_of
from mtqg_shared.imports.schemas import (
    ImportJob,
    ImportMode,
    ImportPage,
    ImportResource,
    ImportResources,
    ImportStatus,
    OnExisting,
)
from mtqg_shared.imports.templates import XLSX_MEDIA, build
from mtqg_shared.kit.http import JSONBytes, answer
from mtqg_shared.kit.importing import Importable
from mtqg_shared.messages import msg, word
from mtqg_shared.openapi import problems
from mtqg_shared.pagination import decode_cursor, encode_cursor
from mtqg_shared.strict import json_body_only, reject_unknown_query
from mtqg_shared.types import new_id, utcnow
from mtqg_shared.writes import Claim, Idempotency

IMPORTS_TAG = {
    "imports": "Spreadsheets in: a template per resource, and uploads of CSV or XLSX files run "
    "in the background, every row by the single create's rules, all or nothing."
}
# Room for the multipart envelope and the form fields beside the file.
ENVELOPE_BYTES = 64 * 1024


class ImportForm(BaseModel):
    model_config = ConfigDict(extra="forbid")

    resource: str = Field(min_length=1, max_length=64)
    mode: ImportMode
    on_existing: OnExisting = OnExisting.ERROR


def _entries(request: Request) -> dict[str, Importable]:
    found: dict[str, Importable] = request.app.state.imports
    return found


def _runner(request: Request) -> Runner:
    runner: Runner = request.app.state.import_runner
    return runner


def _table(request: Request) -> Table:
    return _runner(request).table


def _with_progress(row: Any, runner: Runner) -> dict[str, Any]:
    """A job's columns, with the progress of the job this process runs (see runner)."""
    values = dict(row._mapping)
    if values["status"] == ImportStatus.RUNNING and row.id in runner.progress:
        values["processed_rows"] = max(values["processed_rows"], runner.progress[row.id])
    return values


def _may_see(principal: Principal, row: Any) -> bool:
    """Its creator, or an admin whose areas hold all of the creator's."""
    if row.created_by == principal.key:
        return True
    if not principal.has_role("admin"):
        return False
    creator = principal_of(row.principal)
    if principal.communes is None:
        return True
    return creator.communes is not None and creator.communes <= principal.communes


def _form_problem(exc: ValidationError) -> Problem:
    errors = [
        FieldError(f"body.{e.field}", e.code, e.message) for e in validation_errors(exc.errors())
    ]
    return Problem(422, errors=errors)


async def _upload(request: Request, limit: int) -> tuple[ImportForm, UploadFile]:
    declared = request.headers.get("content-type", "")
    if declared.split(";", 1)[0].strip().lower() != "multipart/form-data":
        raise Problem(415, msg("body_not_multipart", media=declared.split(";", 1)[0] or "-"))
    form = await request.form(max_files=1, max_fields=10)
    upload = form.get("file")
    fields = {name: value for name, value in form.items() if name != "file"}
    errors = []
    if not isinstance(upload, UploadFile):
        errors.append(field_error("body.file", "required"))
    for name, value in fields.items():
        if not isinstance(value, str):
            errors.append(field_error(f"body.{name}", "unknown_field"))
    try:
        parsed = ImportForm.model_validate(fields)
    except ValidationError as exc:
        problem = _form_problem(exc)
        raise Problem(422, errors=[*errors, *(problem.errors or [])]) from None
    if errors:
        raise Problem(422, errors=errors)
    assert isinstance(upload, UploadFile)
    if upload.size is not None and upload.size > limit:
        raise Problem(413, msg("body_too_large", limit=limit))
    return parsed, upload


def _fingerprint(path: str, sha: str, form: ImportForm) -> str:
    digest = hashlib.sha256(f"POST {path}\n{sha}\n".encode())
    digest.update(json.dumps(form.model_dump(mode="json"), sort_keys=True).encode())
    return digest.hexdigest()


def imports_router(service: str, max_bytes: int) -> APIRouter:
    prefix = f"/api/v1/{service}"
    router = APIRouter(prefix=f"{prefix}/imports", tags=list(IMPORTS_TAG))
    strict = [Depends(reject_unknown_query), Depends(json_body_only)]

    @router.get(
        "/resources",
        response_model=ImportResources,
        summary="What this service imports: each resource's columns and natural key",
        dependencies=strict,
    )
    async def list_import_resources(request: Request, principal: Reader) -> Response:
        items = [
            ImportResource(resource=e.name, fields=list(e.fields), natural_key=list(e.natural_key))
            for e in _entries(request).values()
        ]
        return answer(ImportResources(items=items, next_cursor=None))

    @router.get(
        "/templates/{resource}",
        summary="An XLSX template to fill: labels, field names, drop-downs, notes",
        dependencies=strict,
        response_class=Response,
        responses={
            200: {
                "description": "The template workbook.",
                "content": {XLSX_MEDIA: {"schema": {"type": "string", "format": "binary"}}},
            }
        },
    )
    async def get_import_template(
        request: Request,
        principal: Reader,
        resource: Annotated[str, Path(max_length=64, description="From /imports/resources.")],
    ) -> Response:
        entry = _entries(request).get(resource)
        if entry is None:
            raise Problem(404, msg("not_found", what=word("import template")))
        language = request_language(request.scope)
        vocabulary = getattr(request.app.state, "vocabulary", None)
        content = build(entry, service, vocabulary, language)
        tag = f'"{hashlib.sha256(content).hexdigest()[:32]}"'
        name = f"{service}-{entry.name}-template.xlsx"
        return Response(
            content,
            media_type=XLSX_MEDIA,
            headers={
                "Content-Disposition": f"attachment; filename*=UTF-8''{name}",
                "ETag": tag,
            },
        )

    @router.post(
        "",
        status_code=202,
        response_model=ImportJob,
        summary="Upload a CSV or XLSX file to import (runs in the background)",
        description=(
            "multipart/form-data: `file` (CSV in UTF-8, or XLSX: its first sheet), `resource` "
            "(one of /imports/resources), `mode` (`dry_run` writes nothing, `commit` writes "
            "every row or none), `on_existing` (a row whose natural key names an existing "
            "record: `error`, `skip` or `update` it with the row's PATCH fields). Answers 202 "
            "with the job and its `Location`; the rows are checked by the job, each as its "
            "single create would be. 413 for a file over the size limit, 415 for a body "
            "that is not multipart or a file that is not XLSX or UTF-8 CSV, 422 for an "
            "unknown resource, mode or column, or a file with no header row naming a field."
        ),
        dependencies=[Depends(reject_unknown_query)],
        responses={202: {"description": "The job, queued."}, **problems(409, 413, 415)},
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {
                    "multipart/form-data": {
                        "schema": {
                            "type": "object",
                            "required": ["file", "resource", "mode"],
                            "properties": {
                                "file": {"type": "string", "format": "binary"},
                                "resource": {"type": "string", "maxLength": 64},
                                "mode": {"$ref": "#/components/schemas/ImportMode"},
                                "on_existing": {"$ref": "#/components/schemas/OnExisting"},
                            },
                        }
                    }
                },
            }
        },
    )
    async def create_import(
        request: Request, principal: Writer, key: IdempotencyKey = None
    ) -> Response:
        form, upload = await _upload(request, max_bytes)
        entry = _entries(request).get(form.resource)
        if entry is None:
            expected = ", ".join(_entries(request)) or "-"
            raise Problem(
                422,
                errors=[field_error("body.resource", "invalid_choice.one_of", expected=expected)],
            )
        if form.on_existing == OnExisting.UPDATE and entry.change is None:
            raise Problem(
                422,
                errors=[
                    field_error("body.on_existing", "invalid_choice.no_update", resource=entry.name)
                ],
            )
        entry.resource.require_admitted(principal)
        data = await upload.read()
        if len(data) > max_bytes:
            raise Problem(413, msg("body_too_large", limit=max_bytes))
        sha = hashlib.sha256(data).hexdigest()
        state = request.app.state
        idem: Idempotency = state.idempotency
        claim: Claim | None = None
        if key is not None:
            claim = await idem.claim(principal.key, key, _fingerprint(request.url.path, sha, form))
        runner = _runner(request)
        try:
            names = header_names(service, entry.create.model_fields)
            found = await anyio.to_thread.run_sync(
                read_sheet, data, runner.settings.max_rows, names, entry.name
            )
            job = _new_job(
                principal, form, upload, data, sha, len(found.rows), request_language(request.scope)
            )
            body = ImportJob.model_validate({**job, "errors": []})
            content = body.model_dump_json()
            location = f"{prefix}/imports/{job['id']}"
            headers = {"Location": location, "content-type": "application/json"}
            async with state.db.session() as session:
                await session.execute(insert(runner.table).values(**job))
                if claim is not None:
                    await idem.complete(session, claim, 202, content, headers)
                await session.commit()
                claim = None
        finally:
            if claim is not None:
                await idem.release(claim)
        runner.wake()
        return JSONBytes(content.encode(), status_code=202, headers={"Location": location})

    @router.get(
        "",
        response_model=ImportPage,
        summary="The caller's imports, newest first",
        dependencies=strict,
    )
    async def list_imports(
        request: Request,
        principal: Reader,
        session: ReadSession,
        limit: Annotated[int, Query(ge=1, le=200, description="Page size.")] = 50,
        cursor: Annotated[
            str | None, Query(max_length=512, description="From `next_cursor`.")
        ] = None,
    ) -> Response:
        t = _table(request)
        columns = [c for c in t.c if c.name not in ("file", "errors", "principal")]
        stmt = select(*columns).where(t.c.created_by == principal.key)
        if cursor:
            at, last = decode_cursor(cursor)
            stmt = stmt.where(tuple_(t.c.created_at, t.c.id) < tuple_(_at(t, at), _id(t, last)))
        stmt = stmt.order_by(t.c.created_at.desc(), t.c.id.desc()).limit(limit + 1)
        rows = (await session.execute(stmt)).all()
        runner = _runner(request)
        items = [_with_progress(r, runner) for r in rows[:limit]]
        next_cursor = None
        if len(rows) > limit:
            last_row = rows[limit - 1]
            next_cursor = encode_cursor(last_row.created_at, last_row.id)
        return answer(ImportPage.model_validate({"items": items, "next_cursor": next_cursor}))

    @router.get(
        "/{import_id}",
        response_model=ImportJob,
        summary="An import: its status, progress, counts and errors",
        dependencies=strict,
    )
    async def read_import(
        request: Request, import_id: uuid.UUID, principal: Reader, session: ReadSession
    ) -> Response:
        t = _table(request)
        columns = [c for c in t.c if c.name != "file"]
        row = (await session.execute(select(*columns).where(t.c.id == import_id))).first()
        if row is None or not _may_see(principal, row):
            raise Problem(404, msg("not_found", what=word("import")))
        body = ImportJob.model_validate(_with_progress(row, _runner(request)))
        content = body.model_dump_json().encode()
        tag = f'"{hashlib.sha256(content).hexdigest()[:32]}"'
        return JSONBytes(content, headers={"ETag": tag})

    return router


def _at(t: Table, at: dt.datetime) -> Any:
    """Bound with the column's own type, so SQLite compares stored UTC text with UTC text."""
    return literal(at, t.c.created_at.type)


def _id(t: Table, id_: uuid.UUID) -> Any:
    return literal(id_, t.c.id.type)


def _new_job(
    principal: Principal,
    form: ImportForm,
    upload: UploadFile,
    data: bytes,
    sha: str,
    total: int,
    language: str,
) -> dict[str, Any]:
    return {
        "id": new_id(),
        "resource": form.resource,
        "mode": form.mode.value,
        "on_existing": form.on_existing.value,
        "status": ImportStatus.QUEUED.value,
        "language": language,
        "file_name": _file_name(upload.filename),
        "file_sha256": sha,
        "file": data,
        "principal": snapshot_of(principal),
        "created_by": principal.key,
        "total_rows": total,
        "processed_rows": 0,
        "created": 0,
        "updated": 0,
        "skipped": 0,
        "error_count": 0,
        "errors": [],
        "message": None,
        "attempts": 0,
        "lease_until": None,
        "created_at": utcnow(),
        "started_at": None,
        "finished_at": None,
    }


def _file_name(given: str | None) -> str:
    name = (given or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1].strip()[:255]
    return name if name and is_storable(name) else "upload"
