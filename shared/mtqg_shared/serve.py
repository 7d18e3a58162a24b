"""Serve one process with uvicorn (uvloop, httptools): `python -m SERVICE`."""

from __future__ import annotations

import importlib

import uvicorn

from mtqg_shared.middleware import configure_logging


def serve(service: str) -> None:
    settings = importlib.import_module(f"{service}.config").Settings()
    configure_logging(settings.log_level)
    uvicorn.run(
        f"{service}.app:create_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        loop="uvloop",
        http="httptools",
        log_level=settings.log_level,
        access_log=False,  # our middleware writes JSON access lines with the request id
        proxy_headers=False,
    )
