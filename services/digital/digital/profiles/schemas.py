"""Commune profile bodies and answers."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from mtqg_shared.fields import Count
from mtqg_shared.schemas import Geography, PlacedRead, RecordRead, StrictInput

Fraction = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]


class ProfilePut(StrictInput):
    geography: Geography | None = Field(
        default=None,
        description="How to read the path's commune_code; by default 2025-01 for years "
        "before 2025 and 2025-07 from 2025 on.",
    )
    officials: Count = Field(description="Commune officials and civil servants.")
    officials_it_certified: Count = Field(
        description="Officials holding the basic IT skills certificate (at most officials)."
    )
    online_dossier_rate: Fraction | None = Field(
        default=None, description="Share of administrative dossiers handled online."
    )
    households: Count | None = None
    households_fibre: Count | None = Field(
        default=None, description="Households on fibre broadband (at most households)."
    )
    adults_with_smartphone: Count | None = None


class ProfileRead(PlacedRead, RecordRead):
    geography: Geography = Field(description="The geography the commune was given in.")
    year: int
    officials: int
    officials_it_certified: int
    online_dossier_rate: float | None
    households: int | None
    households_fibre: int | None
    adults_with_smartphone: int | None
    it_certified_rate: float = Field(description="officials_it_certified / officials.")
