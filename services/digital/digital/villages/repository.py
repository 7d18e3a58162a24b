"""Smart villages and their steps as resources: every query about them."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from digital.models import SmartVillage, SmartVillageStep
from digital.villages.schemas import VillageRead
from digital.web import PREFIX
from mtqg_shared.kit import InCommune, InCommunes, ListParams, Resource
from mtqg_shared.kit.placed import PlacedReads
from mtqg_shared.messages import Msg
from mtqg_shared.writes import flush_or_conflict

villages = Resource(
    SmartVillage,
    "smart village",
    area=InCommune(SmartVillage.commune_code, SmartVillage.legacy_commune_code),
    audited=(
        "commune_code",
        "legacy_commune_code",
        "legacy_district_code",
        "geography",
        "village",
        "started_on",
        "status",
        "recognised_on",
        "decision_number",
    ),
    required=("commune_code", "village", "started_on"),
    dated="started_on",
    counted=("commune_code", "legacy_commune_code", "recognised_on"),
    prefix=PREFIX,
    path="smart-villages",
)
reads = PlacedReads(villages, VillageRead, filters=("status",))
# A step's area is its village's; the steps are listed in the order every collection has.
steps = Resource(
    SmartVillageStep,
    "transition",
    area=InCommunes(
        of=lambda s: villages.communes(s.village),
        sql_readable=lambda principal: SmartVillageStep.village_id.in_(
            select(SmartVillage.id).where(villages.area.readable(principal))
        ),
        sql_within=lambda area: SmartVillageStep.village_id.in_(
            select(SmartVillage.id).where(villages.area.within(area))
        ),
    ),
    audited=("village_id", "seq", "from_status", "to_status", "on_date", "note"),
    prefix=PREFIX,
    path="smart-villages",
    item="smart-villages/{village_id}/transitions/{id}",
    entity="smart_village_transition",
)


async def last_seq(session: AsyncSession, village_id: uuid.UUID) -> int:
    stmt = select(func.max(SmartVillageStep.seq)).where(SmartVillageStep.village_id == village_id)
    return int(await session.scalar(stmt) or 0)


async def add_step(session: AsyncSession, step: SmartVillageStep, conflict: Msg) -> None:
    """Insert a step (its audit is the village's): a racing step that took the same `seq`
    first is 409 `conflict`."""
    session.add(step)
    await flush_or_conflict(session, conflict, type="invalid-state")


async def steps_page(
    session: AsyncSession, village: SmartVillage, listing: ListParams
) -> tuple[list[SmartVillageStep], str | None]:
    """A village's steps (its area was checked on the village)."""
    stmt = select(SmartVillageStep).where(SmartVillageStep.village_id == village.id)
    return await steps.page(session, stmt, listing)


async def step(
    session: AsyncSession, village: SmartVillage, step_id: uuid.UUID
) -> SmartVillageStep:
    """One step of a village the caller may read (checked on the village); 404 otherwise."""
    stmt = select(SmartVillageStep).where(
        SmartVillageStep.id == step_id, SmartVillageStep.village_id == village.id
    )
    found = (await session.scalars(stmt)).first()
    if found is None:
        raise steps.not_found()
    return found
