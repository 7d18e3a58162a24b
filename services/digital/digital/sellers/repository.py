"""Sellers as a resource: every query about them."""

from __future__ import annotations

from digital.models import Seller
from digital.sellers.schemas import SellerRead
from digital.web import PREFIX
from mtqg_shared.kit import InCommune, Resource
from mtqg_shared.kit.placed import PlacedReads

sellers = Resource(
    Seller,
    "seller",
    area=InCommune(Seller.commune_code, Seller.legacy_commune_code),
    audited=(
        "name",
        "kind",
        "commune_code",
        "legacy_commune_code",
        "legacy_district_code",
        "geography",
        "since",
        "platforms",
        "ocop_products_online",
    ),
    required=("name", "kind", "commune_code", "since", "platforms", "ocop_products_online"),
    dated="since",
    counted=("kind", "commune_code", "legacy_commune_code", "platforms", "ocop_products_online"),
    prefix=PREFIX,
    path="sellers",
)
reads = PlacedReads(sellers, SellerRead, filters=("kind",))
