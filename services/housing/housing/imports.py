"""What the housing service imports from a spreadsheet (kit.importing, API.md section 10)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from housing.cases import service as case_service
from housing.cases.repository import cases
from housing.cases.schemas import CaseCreate, CaseUpdate
from housing.models import OPEN_CASE, Case
from mtqg_shared.kit.importing import Existing, Importable


async def open_case(session: AsyncSession, values: Mapping[str, Any]) -> Existing | None:
    """A household's open case (neither handed over nor cancelled): at most one."""
    found = (
        await session.execute(
            select(Case.id, Case.version)
            .where(Case.household_code == values["household_code"], OPEN_CASE)
            .limit(1)
        )
    ).first()
    return Existing(found[0], found[1]) if found is not None else None


CASES = Importable(
    name="cases",
    resource=cases,
    create=CaseCreate,
    add=case_service.create,
    natural_key=("household_code",),
    existing=open_case,
    update=CaseUpdate,
    change=case_service.update,
    example={
        "household_code": "SMC-0001",
        "head_of_household": "Giàng Seo Páo",
        "commune_code": "02809",
        "village": "Sín Chải",
        "beneficiary_group": "poor",
        "support_type": "new_build",
        "registered_on": dt.date(2025, 8, 1),
    },
)

IMPORTS: tuple[Importable, ...] = (CASES,)
