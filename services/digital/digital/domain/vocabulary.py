"""The enumerations of the contract (sections 11 and 13), in one place."""

from __future__ import annotations

from enum import StrEnum

from mtqg_shared.kit.money import CapitalType
from mtqg_shared.kit.spending import SpendingSource


class AssetKind(StrEnum):
    computer = "computer"
    camera = "camera"
    speaker_cluster = "speaker_cluster"
    wifi_point = "wifi_point"


class AssetStatus(StrEnum):
    active = "active"
    broken = "broken"
    retired = "retired"


class SellerKind(StrEnum):
    cooperative = "cooperative"
    enterprise = "enterprise"
    household = "household"


class VillageStatus(StrEnum):
    BUILDING = "building"
    RECOGNISED = "recognised"


__all__ = [
    "AssetKind",
    "AssetStatus",
    "CapitalType",
    "SellerKind",
    "SpendingSource",
    "VillageStatus",
]
