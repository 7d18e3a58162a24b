"""What every housing route shares beyond the shared library (`mtqg_shared.fields` holds the
common input types and documented headers): the prefix, the service's own text types and the
error answers of each kind of route."""

from __future__ import annotations

from typing import Annotated

from mtqg_shared.fields import STORABLE, bounded
from mtqg_shared.kit import CHANGE, CREATE, READ, STEP
from mtqg_shared.registry import process

PREFIX = process("housing").prefix

OptionalName = Annotated[str, bounded(0, 200), STORABLE]
RequiredLongText = Annotated[str, bounded(1, 4000), STORABLE]

# The route kinds are the kit's, named here with PREFIX for the routers.
__all__ = ["CHANGE", "CREATE", "PREFIX", "READ", "STEP"]
