"""The settings a deployment file gives a process, checked against the settings classes: each
must be a setting the process has, and those it cannot run without on a host of its own must
all be there."""

from __future__ import annotations

import importlib

from mtqg_shared import registry

PREFIX = "MTQG_"


def fields(name: str) -> set[str]:
    return set(importlib.import_module(f"{name}.config").Settings.model_fields)


def unknown(name: str, given: set[str]) -> set[str]:
    """The names in `given` that are no setting of process `name`."""
    known = fields(name)
    return {g for g in given if not g.startswith(PREFIX) or g[len(PREFIX) :].lower() not in known}


def needed(name: str, replicas: bool) -> set[str]:
    """What a process on its own host needs: its database (else a SQLite file in the
    container), an address others can reach (else 127.0.0.1), and the gateway's address for
    each service it forwards to, or a service's way to the gateway's keys. Replicas of the
    gateway share one signing key only when it is given (else each makes its own)."""
    wanted = {"MTQG_DATABASE_URL", "MTQG_HOST"}
    if name == registry.GATEWAY:
        wanted |= {f"{PREFIX}{s.url_setting.upper()}" for s in registry.SERVICES}
        if replicas:
            wanted.add("MTQG_JWT_PRIVATE_KEY")
    else:
        wanted.add("MTQG_JWKS_URL")
    assert not unknown(name, wanted), unknown(name, wanted)  # the list itself is right
    return wanted
