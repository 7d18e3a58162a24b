"""Assets: what, where, how many, since when, and their status over time."""

from __future__ import annotations

import uuid
from typing import Any

from digital.assets import repository as repo
from digital.assets.repository import assets, reads
from digital.assets.schemas import AssetCreate, AssetRead, AssetUpdate
from digital.domain import assets as rules
from digital.models import Asset, AssetPeriod
from mtqg_shared.kit import WriteContext
from mtqg_shared.kit.placed import create_placed, update_placed
from mtqg_shared.rules import RuleViolation
from mtqg_shared.types import today_vn

_FIELDS = ("kind", "village", "installed_on", "count", "connected_to_ioc")

present_row = reads.present_row
read = reads.read
page = reads.page


def present(asset: Asset) -> AssetRead:
    return AssetRead.model_validate(asset)


async def create(ctx: WriteContext, body: AssetCreate) -> Asset:
    rules.check_ioc(body.kind, body.connected_to_ioc)
    asset: Asset = await create_placed(
        ctx,
        assets,
        body,
        _FIELDS,
        dated="installed_on",
        status=body.status.value,
        status_on=body.installed_on,
    )
    ctx.session.add(repo.first_period(asset))
    return asset


async def update(ctx: WriteContext, asset_id: uuid.UUID, body: AssetUpdate) -> Asset:
    async def status_and_dates(asset: Asset, given: dict[str, Any]) -> None:
        """The IOC rule on what the asset becomes; a new status closes the current period
        and opens one from its day; the installation day stays before the first change."""
        if "status_on" in given and "status" not in given:
            raise RuleViolation("body.status_on", "unknown_field.without", other="status")
        rules.check_ioc(
            given.get("kind", asset.kind), given.get("connected_to_ioc", asset.connected_to_ioc)
        )
        today = today_vn()
        history = await repo.periods(ctx.session, asset.id)
        if "installed_on" in given:
            first_change = history[1].from_on if len(history) > 1 else None
            rules.check_installed_on(given["installed_on"], today=today, first_change=first_change)
            await repo.move_first_day(ctx.session, asset.id, given["installed_on"])
            if len(history) == 1:
                asset.status_on = given["installed_on"]
        status = given.pop("status", None)
        on = given.pop("status_on", None) or today
        if status is None or status == asset.status:
            return
        rules.check_status_day(on, today=today, current_from=asset.status_on)
        current = history[-1]
        current.until_on = on
        ctx.session.add(
            AssetPeriod(asset_id=asset.id, seq=current.seq + 1, status=status, from_on=on)
        )
        asset.status = status
        asset.status_on = on

    asset: Asset = await update_placed(
        ctx, assets, asset_id, body, _FIELDS, dated="installed_on", check=status_and_dates
    )
    return asset
