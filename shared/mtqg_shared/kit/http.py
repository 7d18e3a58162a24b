"""What routers answer: every body serialised once by pydantic-core (the route's
`response_model` documents it; FastAPI does not validate and encode it again), every record
with its ETag, every 201 with `Location`."""

from __future__ import annotations

from collections.abc import Mapping

from fastapi.responses import Response
from pydantic import BaseModel

from mtqg_shared.openapi import problems
from mtqg_shared.writes import WriteContext, etag

# The error answers of each kind of route, beyond 401, 403 and 422 (every route) and 400, 413
# and 415 (every body): see mtqg_shared.openapi. The same names in every service.
READ = problems(404)
CREATE = problems(409)
CHANGE = problems(404, 409, 412, 428)
# A status step or a money entry under a parent record (which may be missing).
STEP = problems(404, 409)


class JSONBytes(Response):
    media_type = "application/json"


def answer(
    body: BaseModel, *, status: int = 200, headers: Mapping[str, str] | None = None
) -> Response:
    return JSONBytes(body.model_dump_json().encode(), status_code=status, headers=headers)


def record(body: BaseModel, version: int) -> Response:
    """A single record read: its body and its version as ETag."""
    return answer(body, headers=etag(version))


async def created(
    ctx: WriteContext, body: BaseModel, *, location: str, version: int = 1
) -> Response:
    """Commit a create and answer 201 with the new record, its ETag and its Location."""
    return await ctx.commit(body, status=201, headers=etag(version) | {"Location": location})


async def saved(ctx: WriteContext, body: BaseModel, *, version: int) -> Response:
    """Commit a change and answer 200 with the record and its new ETag."""
    return await ctx.commit(body, headers=etag(version))
