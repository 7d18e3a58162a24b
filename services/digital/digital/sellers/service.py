"""Sellers: who sells online, where, since when, how many OCOP products."""

from __future__ import annotations

import uuid
from typing import Any

from digital.models import Seller
from digital.sellers.repository import reads, sellers
from digital.sellers.schemas import SellerCreate, SellerRead, SellerUpdate
from mtqg_shared.kit import WriteContext
from mtqg_shared.kit.placed import create_placed, update_placed
from mtqg_shared.rules import once_each

_FIELDS = ("name", "kind", "since", "platforms", "ocop_products_online")

present_row = reads.present_row
read = reads.read
page = reads.page


def present(seller: Seller) -> SellerRead:
    return SellerRead.model_validate(seller)


async def _platforms_once(seller: Seller, given: dict[str, Any]) -> None:
    if given.get("platforms") is not None:
        once_each(given["platforms"], "body.platforms")


async def create(ctx: WriteContext, body: SellerCreate) -> Seller:
    once_each(body.platforms, "body.platforms")
    seller: Seller = await create_placed(ctx, sellers, body, _FIELDS, dated="since")
    return seller


async def update(ctx: WriteContext, seller_id: uuid.UUID, body: SellerUpdate) -> Seller:
    seller: Seller = await update_placed(
        ctx, sellers, seller_id, body, _FIELDS, dated="since", check=_platforms_once
    )
    return seller
