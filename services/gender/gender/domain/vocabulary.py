"""The enumerations of the contract (sections 11 and 12), in one place."""

from __future__ import annotations

from enum import StrEnum

from mtqg_shared.kit.money import CapitalType
from mtqg_shared.kit.spending import SpendingSource


class ModelKind(StrEnum):
    communication_team = "communication_team"
    trusted_address = "trusted_address"
    change_leader_club = "change_leader_club"
    livelihood_group = "livelihood_group"
    other = "other"


class ActivityKind(StrEnum):
    communication = "communication"
    training = "training"
    dialogue = "dialogue"
    contest = "contest"
    social_media = "social_media"


class Topic(StrEnum):
    gender_equality = "gender_equality"
    domestic_violence = "domestic_violence"
    child_marriage = "child_marriage"
    consanguineous_marriage = "consanguineous_marriage"
    human_trafficking = "human_trafficking"
    child_protection = "child_protection"
    women_economy = "women_economy"


class Language(StrEnum):
    vi = "vi"
    dao = "dao"
    hmn = "hmn"


class MaterialFormat(StrEnum):
    leaflet = "leaflet"
    poster = "poster"
    audio = "audio"
    video = "video"
    post = "post"


__all__ = [
    "ActivityKind",
    "CapitalType",
    "Language",
    "MaterialFormat",
    "ModelKind",
    "SpendingSource",
    "Topic",
]
