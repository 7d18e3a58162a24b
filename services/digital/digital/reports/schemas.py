"""The overview's shape, exactly as the contract (section 13) gives it."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from mtqg_shared.schemas import AreaRef


class Infrastructure(BaseModel):
    computers: int
    cameras: int
    cameras_to_ioc: int = Field(description="Cameras connected to the province's IOC.")
    speaker_clusters: int
    wifi_points: int


class Government(BaseModel):
    officials: int
    officials_it_certified: int
    it_certified_rate: float = Field(description="officials_it_certified / officials.")


class SmartVillages(BaseModel):
    building: int
    recognised: int


class Society(BaseModel):
    teams: int
    team_members: int
    smart_villages: SmartVillages


class Economy(BaseModel):
    sellers: int
    ocop_products_online: int


class Overview(BaseModel):
    area: AreaRef
    year: int | None
    as_of: dt.date = Field(description="The day the figures stand on.")
    infrastructure: Infrastructure = Field(
        description="Active items (summing `count`) installed by that day, by the status then."
    )
    government: Government = Field(description="The commune profiles of the year.")
    society: Society
    economy: Economy
    spent_vnd: int = Field(description="Net of every source in the year, reversals included.")
