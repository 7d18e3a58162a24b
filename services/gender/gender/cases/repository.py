"""Protection cases and their steps as resources: every query about them. Cases are
sensitive (`mtqg_shared.kit.sensitive`): only `protection` holders read them in their areas,
and every read is written to the service's access log."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import contains_eager

from gender.models import Case, CaseStep, access_log
from gender.web import PREFIX
from mtqg_shared.admin_units import Area
from mtqg_shared.auth import PROTECTION, Principal
from mtqg_shared.kit import InCommune, InCommunes, ListParams, Resource, Sensitive
from mtqg_shared.messages import Msg
from mtqg_shared.writes import flush_or_conflict

protected = Sensitive(PROTECTION, access_log, ids="case_ids")

cases = Resource(
    Case,
    "protection case",
    area=InCommune(Case.commune_code, Case.legacy_commune_code),
    audited=(
        "kind",
        "commune_code",
        "legacy_commune_code",
        "legacy_district_code",
        "reported_on",
        "victim_sex",
        "victim_age",
        "victim_ethnicity",
        "summary",
        "status",
        "outcome",
    ),
    required=("kind", "commune_code", "reported_on", "victim_sex", "victim_age", "summary"),
    dated="reported_on",
    counted=("kind", "commune_code", "legacy_commune_code", "victim_sex", "victim_age"),
    stepped="last_step_on",
    prefix=PREFIX,
    path="cases",
    entity="case",
    sensitive=protected,
)

# A step is read and written under its case, whose area (and role) it shares.
steps = Resource(
    CaseStep,
    "transition",
    area=InCommunes(
        of=lambda s: cases.communes(s.case),
        sql_readable=lambda principal: CaseStep.case_id.in_(
            select(Case.id).where(cases.area.readable(principal))
        ),
        sql_within=lambda area: CaseStep.case_id.in_(
            select(Case.id).where(cases.area.within(area))
        ),
    ),
    audited=("case_id", "seq", "from_status", "to_status", "on_date", "outcome", "note"),
    prefix=PREFIX,
    path="cases",
    entity="case_transition",
)


async def page(
    session: AsyncSession,
    principal: Principal,
    listing: ListParams,
    *,
    area: Area | None,
    kind: str | None,
    status: str | None,
) -> tuple[list[Case], str | None]:
    """One page of the cases the caller may read (403 for a caller without the role)."""
    stmt = cases.visible(principal, area)
    if kind is not None:
        stmt = stmt.where(Case.kind == kind)
    if status is not None:
        stmt = stmt.where(Case.status == status)
    return await cases.page(session, stmt, listing)


async def last_seq(session: AsyncSession, case_id: uuid.UUID) -> int:
    stmt = select(func.max(CaseStep.seq)).where(CaseStep.case_id == case_id)
    return int(await session.scalar(stmt) or 0)


async def add_step(session: AsyncSession, step: CaseStep, conflict: Msg) -> None:
    """Insert a step (its audit is the case's): a racing step that took the same `seq` first
    is 409 `conflict`."""
    session.add(step)
    await flush_or_conflict(session, conflict, type="invalid-state")


async def steps_page(
    session: AsyncSession, case: Case, listing: ListParams
) -> tuple[list[CaseStep], str | None]:
    """A case's steps in the list order every collection has (its area and role were
    checked on the case)."""
    stmt = select(CaseStep).where(CaseStep.case_id == case.id)
    return await steps.page(session, stmt, listing)


async def step(
    session: AsyncSession, principal: Principal, case_id: uuid.UUID, step_id: uuid.UUID
) -> CaseStep:
    """One step of a case the caller may read, with its case; 404 otherwise (the case's
    404 when the caller may not read the case, so a step says nothing of it)."""
    stmt = (
        select(CaseStep)
        .join(Case, Case.id == CaseStep.case_id)
        .options(contains_eager(CaseStep.case))
        .where(CaseStep.id == step_id, CaseStep.case_id == case_id)
    )
    found: Any = (await session.scalars(stmt)).first()
    if found is None:
        await cases.read(session, principal, case_id)  # 404 for the case itself first
        raise steps.not_found()
    if not cases.may_read(principal, found.case):
        raise cases.not_found()
    return found  # type: ignore[no-any-return]
