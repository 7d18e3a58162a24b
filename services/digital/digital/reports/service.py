"""The overview: infrastructure, government, society and economy of an area as of a day."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.ext.asyncio import AsyncSession

from digital.domain.vocabulary import AssetKind
from digital.reports import repository as sql
from digital.reports.schemas import (
    Economy,
    Government,
    Infrastructure,
    Overview,
    SmartVillages,
    Society,
)
from mtqg_shared.admin_units import Area
from mtqg_shared.auth import Principal
from mtqg_shared.kit.profiles import rate
from mtqg_shared.kit.window import every_key, window
from mtqg_shared.rules import check_not_future
from mtqg_shared.schemas import AreaRef
from mtqg_shared.types import today_vn


async def overview(
    session: AsyncSession,
    principal: Principal,
    area: Area,
    year: int | None,
    as_of: dt.date | None,
) -> Overview:
    """As of the end of `year` (or `as_of`, default today, when earlier): what is installed,
    established, started and selling by then and the status in force then; the profiles of
    that year (the year of `as_of` without one); the year's net spending (everything to date
    without one)."""
    today = today_vn()
    as_of = as_of or today
    check_not_future(as_of, today, "query.as_of")
    days = window(year, as_of)
    items, to_ioc = await sql.active_assets(session, principal, area, days.end)
    kinds = every_key([kind.value for kind in AssetKind], items)
    officials, certified = await sql.government(session, principal, area, year or as_of.year)
    teams, members, building, recognised = await sql.society(session, principal, area, days.end)
    sellers, products = await sql.economy(session, principal, area, days.end)
    return Overview(
        area=AreaRef(code=area.code, name=area.name),
        year=year,
        as_of=days.end,
        infrastructure=Infrastructure(
            computers=kinds[AssetKind.computer],
            cameras=kinds[AssetKind.camera],
            cameras_to_ioc=to_ioc,
            speaker_clusters=kinds[AssetKind.speaker_cluster],
            wifi_points=kinds[AssetKind.wifi_point],
        ),
        government=Government(
            officials=officials,
            officials_it_certified=certified,
            it_certified_rate=rate(certified, officials),
        ),
        society=Society(
            teams=teams,
            team_members=members,
            smart_villages=SmartVillages(building=building, recognised=recognised),
        ),
        economy=Economy(sellers=sellers, ocop_products_online=products),
        spent_vnd=await sql.spent(session, principal, area, days),
    )
