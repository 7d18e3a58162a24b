"""HTTP glue of the service beyond the shared library: the error answers of each kind of route
and the settings dependency."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from mtqg_shared.openapi import problems
from production.config import Settings

# Beyond 401, 403 and 422 (every route) and 400 and 413 (every body): see mtqg_shared.openapi.
LIST = problems(404)
READ_ONE = problems(404)
CREATE = problems(409)
UPDATE = problems(404, 409, 412, 428)
SUB_CREATE = problems(404, 409)


def service_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


ServiceSettings = Annotated[Settings, Depends(service_settings)]
