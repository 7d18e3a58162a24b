"""Report answers, shaped exactly as the contract writes them."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from mtqg_shared.schemas import AreaRef


class Departures(BaseModel):
    total: int
    by_country: dict[str, int] = Field(description="Countries with departures only.")


class OutreachTotals(BaseModel):
    events: int
    participants: int


class ProfileTotals(BaseModel):
    working_age: int
    employed_elsewhere_rate: float
    poor_rate: float
    near_poor_rate: float


class Overview(BaseModel):
    area: AreaRef
    year: int | None
    departures: Departures
    in_preparation: int = Field(description="registered, training or documents.")
    abroad: int = Field(description="departed, working or broke_contract.")
    returned: int
    remittances_vnd: int
    remittances_by_country: dict[str, int]
    avg_monthly_salary_vnd: int | None = Field(
        description="Mean salary of the departures that state one; null when none does."
    )
    departures_from_poor_or_near_poor: int
    outreach: OutreachTotals
    profile: ProfileTotals | None


RemittanceGrouping = Literal["commune", "country", "year", "month"]


class RemittanceRow(BaseModel):
    key: str
    name: str | None
    amount_vnd: int


class RemittanceTotals(BaseModel):
    area: AreaRef
    year: int | None
    group_by: RemittanceGrouping
    total_vnd: int
    rows: list[RemittanceRow]
