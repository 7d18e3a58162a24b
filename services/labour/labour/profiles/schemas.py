"""Commune profile bodies and answers."""

from __future__ import annotations

from pydantic import BaseModel, Field

from labour.common import Count
from mtqg_shared.schemas import Geography, PlacedRead, RecordRead, StrictInput


class ProfilePut(StrictInput):
    geography: Geography | None = Field(
        default=None,
        description="How to read the path's commune_code; by default 2025-01 for years "
        "before 2025 and 2025-07 from 2025 on.",
    )
    population: Count
    households: Count
    working_age: Count = Field(description="People aged 15 to 60.")
    employed_elsewhere: Count = Field(
        description="Working-age people working outside the commune (in or out of province)."
    )
    poor_households: Count
    near_poor_households: Count


class ProfileRead(PlacedRead, RecordRead):
    geography: Geography = Field(description="The geography the commune was given in.")
    year: int
    population: int
    households: int
    working_age: int
    employed_elsewhere: int
    poor_households: int
    near_poor_households: int
    working_age_rate: float = Field(description="working_age / population.")
    employed_elsewhere_rate: float = Field(description="employed_elsewhere / working_age.")
    poor_rate: float = Field(description="poor_households / households.")
    near_poor_rate: float = Field(description="near_poor_households / households.")


class ProfilePage(BaseModel):
    items: list[ProfileRead]
    next_cursor: str | None
