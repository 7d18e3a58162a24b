"""The enumerations of the contract (section 5), in one place."""

from __future__ import annotations

from enum import StrEnum


class Crop(StrEnum):
    cinnamon = "cinnamon"
    tea = "tea"
    banana = "banana"
    fruit = "fruit"
    rice = "rice"
    medicinal = "medicinal"
    vegetable = "vegetable"
    livestock = "livestock"
    other = "other"


class Certification(StrEnum):
    organic_eu = "organic_eu"
    organic_us = "organic_us"
    organic_vn = "organic_vn"
    vietgap = "vietgap"
    globalgap = "globalgap"
    other = "other"


class LeadEntityType(StrEnum):
    enterprise = "enterprise"
    cooperative = "cooperative"
    cooperative_group = "cooperative_group"


class DisbursementSource(StrEnum):
    central_budget = "central_budget"
    local_budget = "local_budget"


class HouseholdPoverty(StrEnum):
    """The same words the labour service uses for a household's poverty status."""

    poor = "poor"
    near_poor = "near_poor"
    escaped = "escaped"
    none = "none"
    unknown = "unknown"


class FacilityKind(StrEnum):
    household = "household"
    cooperative = "cooperative"
    enterprise = "enterprise"
