"""HTTP glue of the service beyond the shared library: its path prefix and the error answers
of each kind of route (the same names in every service)."""

from __future__ import annotations

from mtqg_shared.kit import CHANGE, CREATE, READ, STEP
from mtqg_shared.registry import process

PREFIX = process("digital").prefix

# The route kinds are the kit's, named here with PREFIX for the routers.
__all__ = ["CHANGE", "CREATE", "PREFIX", "READ", "STEP"]
