"""HTTP glue of the service beyond the shared library: its path prefix, the error answers of
each kind of route (the same names in every service) and the settings dependency."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from mtqg_shared.openapi import problems
from production.config import Settings

PREFIX = "/api/v1/production"

# Beyond 401, 403 and 422 (every route) and 400 and 413 (every body): see mtqg_shared.openapi.
READ = problems(404)
CREATE = problems(409)
CHANGE = problems(404, 409, 412, 428)
STEP = problems(404, 409)


def service_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


ServiceSettings = Annotated[Settings, Depends(service_settings)]
