"""HTTP glue of the service beyond the shared library: its path prefix, the error answers of
each kind of route (the same names in every service) and the settings dependency."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from mtqg_shared.kit import CHANGE, CREATE, READ, STEP
from mtqg_shared.registry import process
from production.config import Settings

PREFIX = process("production").prefix


def service_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


ServiceSettings = Annotated[Settings, Depends(service_settings)]

# The route kinds are the kit's, named here with PREFIX for the routers.
__all__ = ["CHANGE", "CREATE", "PREFIX", "READ", "STEP"]
