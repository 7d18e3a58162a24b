"""Assets and their status periods: every query about them."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from digital.assets.schemas import AssetRead
from digital.models import Asset, AssetPeriod
from digital.web import PREFIX
from mtqg_shared.kit import InCommune, Resource
from mtqg_shared.kit.placed import PlacedReads

assets = Resource(
    Asset,
    "asset",
    area=InCommune(Asset.commune_code, Asset.legacy_commune_code),
    audited=(
        "kind",
        "commune_code",
        "legacy_commune_code",
        "legacy_district_code",
        "geography",
        "village",
        "installed_on",
        "count",
        "connected_to_ioc",
        "status",
        "status_on",
    ),
    required=("kind", "commune_code", "installed_on", "count", "connected_to_ioc", "status"),
    dated="installed_on",
    counted=("kind", "commune_code", "legacy_commune_code", "count", "connected_to_ioc"),
    stepped="status_on",
    prefix=PREFIX,
    path="assets",
)
reads = PlacedReads(assets, AssetRead, filters=("kind", "status"))


def first_period(asset: Asset) -> AssetPeriod:
    """The status an asset was recorded with, from the day it was installed."""
    return AssetPeriod(
        asset_id=asset.id, seq=1, status=asset.status, from_on=asset.installed_on, until_on=None
    )


async def periods(session: AsyncSession, asset_id: uuid.UUID) -> list[AssetPeriod]:
    """An asset's status periods, first to current."""
    stmt = select(AssetPeriod).where(AssetPeriod.asset_id == asset_id).order_by(AssetPeriod.seq)
    return list((await session.scalars(stmt)).all())


async def move_first_day(session: AsyncSession, asset_id: uuid.UUID, day: dt.date) -> None:
    """The first period starts on the (changed) installation day."""
    await session.execute(
        update(AssetPeriod)
        .where(AssetPeriod.asset_id == asset_id, AssetPeriod.seq == 1)
        .values(from_on=day)
    )
