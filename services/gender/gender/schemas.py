"""Input types of the gender service beyond the common ones (`mtqg_shared.fields`)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from mtqg_shared.fields import STORABLE, bounded

Title = Annotated[str, bounded(1, 300), STORABLE]
Body = Annotated[str, bounded(1, 20_000), STORABLE]
Url = Annotated[str, bounded(1, 2000), STORABLE, Field(pattern=r"^https?://\S+$")]
