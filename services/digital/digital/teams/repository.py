"""Teams as a resource: every query about them."""

from __future__ import annotations

from digital.models import Team
from digital.teams.schemas import TeamRead
from digital.web import PREFIX
from mtqg_shared.kit import InCommune, Resource
from mtqg_shared.kit.placed import PlacedReads

teams = Resource(
    Team,
    "team",
    area=InCommune(Team.commune_code, Team.legacy_commune_code),
    audited=(
        "commune_code",
        "legacy_commune_code",
        "legacy_district_code",
        "geography",
        "village",
        "established_on",
        "members",
    ),
    required=("commune_code", "established_on", "members"),
    dated="established_on",
    counted=("commune_code", "legacy_commune_code", "members"),
    prefix=PREFIX,
    path="teams",
)
reads = PlacedReads(teams, TeamRead)
