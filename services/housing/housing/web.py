"""What every housing route shares beyond the shared library (`mtqg_shared.fields` holds the
common input types and documented headers): the prefix, the service's own text types and the
error answers of each kind of route."""

from __future__ import annotations

from typing import Annotated

from mtqg_shared.fields import STORABLE, bounded
from mtqg_shared.openapi import problems

PREFIX = "/api/v1/housing"

OptionalName = Annotated[str, bounded(0, 200), STORABLE]
RequiredLongText = Annotated[str, bounded(1, 4000), STORABLE]

# Beyond 401, 403 and 422 (every route) and 400 and 413 (every body): see mtqg_shared.openapi.
READ = problems(404)
CREATE = problems(409)
CHANGE = problems(404, 409, 412, 428)
# A status step or a money entry under a parent record (which may be missing).
STEP = problems(404, 409)
