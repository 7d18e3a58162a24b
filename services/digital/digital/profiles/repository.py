"""Commune profiles as a resource (the kit's `YearlyProfiles`): every query about them."""

from __future__ import annotations

from digital.domain.profiles import FIGURES, inconsistencies, rates
from digital.models import CommuneProfile
from digital.profiles.schemas import ProfileRead
from digital.web import PREFIX
from mtqg_shared.kit.profiles import YearlyProfiles

book = YearlyProfiles(
    CommuneProfile,
    ProfileRead,
    figures=FIGURES,
    rates=rates,
    check=inconsistencies,
    prefix=PREFIX,
)
profiles = book.resource
