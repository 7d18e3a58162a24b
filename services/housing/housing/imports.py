"""What the housing service imports from a spreadsheet (kit.importing, API.md section 10).

Every row goes through the resource's own service function, so a row meets exactly the rules
of its single `POST` (or, for norms, its `PUT`):

- `cases`: natural key `household_code` of the household's open case (neither handed over
  nor cancelled, of which there is at most one); `on_existing=update` is the case's PATCH.
- `norms`: a row is the `PUT` of its group and type from `valid_from`, keyed by the three;
  update sets its amount and basis at the norm's current version.
- `plans`: keyed by (`area_code`, `title`); milestones are not a spreadsheet's cells (a plan
  read or changed through the API carries them).
- `obstacles`: no natural key (each row reports one).
- `funding`: a money entry of the household's open case, named by `household_code` (the
  entry's own `POST /cases/{case_id}/funding`); no natural key: entries are never edited.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import Field
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from housing import money
from housing.cases import service as case_service
from housing.cases.repository import cases, found_no_open_case
from housing.cases.schemas import CaseCreate, CaseUpdate
from housing.domain.vocabulary import BeneficiaryGroup, FundingSource, Severity, SupportType
from housing.funding import service as funding_service
from housing.funding.repository import entries
from housing.funding.schemas import FundingCreate
from housing.models import OPEN_CASE, Case, Norm
from housing.norms import service as norm_service
from housing.norms.repository import norms
from housing.norms.schemas import NormPut
from housing.obstacles import service as obstacle_service
from housing.obstacles.repository import obstacles
from housing.obstacles.schemas import ObstacleCreate
from housing.plans import service as plan_service
from housing.plans.repository import plans
from housing.plans.schemas import PlanCreate, PlanUpdate
from mtqg_shared.fields import Day, HouseholdCode, Note
from mtqg_shared.kit.importing import Existing, Importable, existing_by
from mtqg_shared.kit.money import CapitalType, ProjectCode, capital_field, project_field
from mtqg_shared.rules import RuleViolation
from mtqg_shared.schemas import PositiveVnd, StrictInput
from mtqg_shared.writes import WriteContext


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


async def open_cases(
    session: AsyncSession, names: Sequence[str], keys: Sequence[tuple[Any, ...]]
) -> dict[tuple[Any, ...], Existing]:
    """The open cases of a chunk's households (of which each has one at most), in one query;
    the households it finds none for need not be asked again by their create
    (`repository.NO_OPEN_CASE`)."""
    found = await existing_by(session, Case, [Case.household_code], keys, where=[OPEN_CASE])
    found_no_open_case(session, {key[0] for key in keys} - {key[0] for key in found})
    return found


CASES = Importable(
    name="cases",
    resource=cases,
    create=CaseCreate,
    add=case_service.create,
    add_many=case_service.create_ready,
    prepare=case_service.prepare,
    natural_key=("household_code",),
    existing_many=open_cases,
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


class NormRow(NormPut):
    """A norm as a row: its group and type (the PUT's path) beside the PUT's body."""

    beneficiary_group: BeneficiaryGroup
    support_type: SupportType


def _put_body(body: NormPut) -> NormPut:
    return NormPut.model_validate(body.model_dump(include=set(NormPut.model_fields)))


async def _add_norm(ctx: WriteContext, body: NormRow) -> Norm:
    norm, _new = await norm_service.put(
        ctx, body.beneficiary_group, body.support_type, _put_body(body)
    )
    return norm


async def _change_norm(ctx: WriteContext, norm_id: uuid.UUID, body: NormPut) -> Norm:
    norm = await norms.take(ctx, norm_id)
    group, kind = BeneficiaryGroup(norm.beneficiary_group), SupportType(norm.support_type)
    put = NormPut(amount_vnd=body.amount_vnd, valid_from=norm.valid_from, basis=body.basis)
    changed, _new = await norm_service.put(ctx, group, kind, put)
    return changed


NORMS = Importable(
    name="norms",
    resource=norms,
    create=NormRow,
    add=_add_norm,
    natural_key=("beneficiary_group", "support_type", "valid_from"),
    update=NormPut,
    change=_change_norm,
    example={
        "beneficiary_group": "poor",
        "support_type": "new_build",
        "amount_vnd": 60_000_000,
        "valid_from": dt.date(2025, 1, 1),
        "basis": "Decision 21/2024/QĐ-TTg",
    },
)


async def _add_plan(ctx: WriteContext, body: PlanCreate) -> Any:
    plan, _milestones = await plan_service.create(ctx, body)
    return plan


async def _change_plan(ctx: WriteContext, plan_id: uuid.UUID, body: PlanUpdate) -> Any:
    plan, _milestones = await plan_service.update(ctx, plan_id, body)
    return plan


PLANS = Importable(
    name="plans",
    resource=plans,
    create=PlanCreate,
    add=_add_plan,
    natural_key=("area_code", "title"),
    update=PlanUpdate,
    change=_change_plan,
    hidden=("id", "milestones"),
    example={
        "area_code": "02809",
        "title": "Kế hoạch xóa nhà tạm 2025",
        "target_new_build": 120,
        "target_repair": 40,
        "deadline": dt.date(2025, 12, 31),
    },
)

OBSTACLES = Importable(
    name="obstacles",
    resource=obstacles,
    create=ObstacleCreate,
    add=obstacle_service.create,
    natural_key=(),
    example={
        "area_code": "02809",
        "title": "Thiếu vật liệu",
        "description": "Đường vào thôn sạt lở, chưa chở được xi măng.",
        "severity": Severity.HIGH.value,
        "reported_on": dt.date(2025, 9, 15),
    },
)


class FundingRow(StrictInput):
    """A money entry as a row: the household whose open case received it, and the entry."""

    household_code: HouseholdCode = Field(description="The household of the open case.")
    source: FundingSource
    amount_vnd: PositiveVnd
    project_code: ProjectCode | None = project_field("housing")
    capital_type: CapitalType | None = capital_field()
    on: Day
    note: Note | None = None


async def _add_funding(ctx: WriteContext, body: FundingRow) -> Any:
    case = await open_case(ctx.session, {"household_code": body.household_code})
    if case is None:
        raise RuleViolation("body.household_code", "not_found.open_case")
    entry = FundingCreate.model_validate(body.model_dump(exclude={"household_code"}))
    return await funding_service.record(ctx, case.id, entry)


FUNDING = Importable(
    name="funding",
    resource=entries,
    create=FundingRow,
    add=_add_funding,
    natural_key=(),
    example={
        "household_code": "SMC-0001",
        "source": "central_budget",
        "amount_vnd": 40_000_000,
        "project_code": "90.DA5",
        "capital_type": "recurrent",
        "on": dt.date(2025, 9, 1),
    },
)

# Capital plans: the kit's (kit.capital), the same columns in every service.
CAPITAL_PLANS = money.plans.importable()

IMPORTS: tuple[Importable, ...] = (CASES, NORMS, PLANS, OBSTACLES, FUNDING, CAPITAL_PLANS)
