"""What every housing route shares beyond the shared library (`mtqg_shared.fields` holds the
common input types and documented headers): the prefix and the service's own text types."""

from __future__ import annotations

from typing import Annotated

from mtqg_shared.fields import STORABLE, bounded

PREFIX = "/api/v1/housing"

OptionalName = Annotated[str, bounded(0, 200), STORABLE]
RequiredLongText = Annotated[str, bounded(1, 4000), STORABLE]
