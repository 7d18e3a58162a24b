"""Serve one process with uvicorn (uvloop, httptools): `python -m SERVICE`.

Settings that cannot start the process (a too-short admin password, a bad URL) end it with
one line on stderr naming each setting, never its value, and exit code 78 (EX_CONFIG), which
`make run` does not restart. Ctrl-C ends it quietly, whenever it comes."""

from __future__ import annotations

import importlib
import sys

import uvicorn
from pydantic import ValidationError

from mtqg_shared.middleware import configure_logging

EXIT_CONFIG = 78  # sysexits.h EX_CONFIG: the settings are wrong; running again will not help


def configuration_error(service: str, exc: ValidationError, prefix: str = "MTQG_") -> str:
    """One line naming each refused setting and why, without the value given."""
    reasons = []
    for error in exc.errors(include_input=False, include_url=False):
        name = prefix + "_".join(str(part) for part in error["loc"]).upper()
        message = str(error["msg"]).removeprefix("Value error, ")
        reasons.append(message if message.startswith(name) else f"{name}: {message}")
    return f"{service}: cannot start: " + "; ".join(reasons)


def serve(service: str) -> None:
    try:
        try:
            settings = importlib.import_module(f"{service}.config").Settings()
        except ValidationError as exc:
            print(configuration_error(service, exc), file=sys.stderr, flush=True)
            sys.exit(EXIT_CONFIG)
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
    except KeyboardInterrupt:  # Ctrl-C before uvicorn took over its signals
        sys.exit(130)
