"""What the labour service imports from a spreadsheet (kit.importing, API.md section 10).

Every row goes through the resource's own service function, so a row meets exactly the rules
of its single `POST` (or, for commune profiles, its `PUT`):

- `workers`: natural key `national_id`; `on_existing=update` is the worker's PATCH.
- `partners`: natural key `name` (province officers only, as the POST); update is the PATCH.
- `outreach-events`: keyed by (`commune_code`, `held_on`, `topic`): one event of a topic on a
  day in a commune; update is the PATCH.
- `placements`: a row names its worker by `national_id` (an officer's sheet holds no ids), and
  is keyed by it: the worker's active placement, of which there is at most one; update is
  the placement's PATCH.
- `remittances`: money a worker sent home in a month, on the worker's latest placement (the
  entry's own `POST /placements/{id}/remittances`); no natural key: entries are never edited,
  and a reversal names an entry, which is the API's, not a sheet's.
- `spending`: Project 4's money spent on workers, as gender's spending (the book's rows: an
  entry or the reversal of one, never edited, no natural key).
- `commune-profiles`: a row is the `PUT` of its commune and year, keyed by the two (read in
  the year's own geography); update replaces its figures at the profile's current version.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

from pydantic import Field
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from labour import money
from labour.domain.status import CLOSED
from labour.models import Placement, Worker
from labour.outreach.repository import events
from labour.outreach.schemas import OutreachEventCreate, OutreachEventUpdate
from labour.outreach.service import create_event, update_event
from labour.partners.repository import partners
from labour.partners.schemas import PartnerCreate, PartnerUpdate
from labour.partners.service import create_partner, update_partner
from labour.placements import service as placement_service
from labour.placements.repository import placements
from labour.placements.schemas import PlacementCreate, PlacementUpdate
from labour.profiles.repository import book
from labour.profiles.schemas import ProfilePut
from labour.remittances import service as remittance_service
from labour.remittances.repository import remittances
from labour.remittances.schemas import Month, RemittanceCreate
from labour.spending.repository import book as spending_book
from labour.spending.schemas import SpendingCreate
from labour.workers.repository import workers
from labour.workers.schemas import NationalId, WorkerCreate, WorkerUpdate
from labour.workers.service import create_worker, update_worker
from mtqg_shared.errors import FieldError, Problem
from mtqg_shared.fields import Note
from mtqg_shared.kit.importing import Existing, Importable, existing_by, row_of
from mtqg_shared.messages import word
from mtqg_shared.rules import RuleViolation
from mtqg_shared.schemas import PositiveVnd, StrictInput
from mtqg_shared.writes import WriteContext


@contextmanager
def _columns(names: Mapping[str, str]) -> Iterator[None]:
    """A rule the service words for its path or an id names the row's column instead
    (`path.year` -> `body.year`, `body.worker_id` -> `body.national_id`)."""
    try:
        yield
    except RuleViolation as exc:
        exc.field = names.get(exc.field, exc.field)
        raise
    except Problem as exc:
        if exc.errors:
            exc.errors = [
                replace(e, field=names.get(e.field, e.field)) if isinstance(e, FieldError) else e
                for e in exc.errors
            ]
        raise


WORKERS = Importable(
    name="workers",
    resource=workers,
    create=WorkerCreate,
    add=create_worker,
    natural_key=("national_id",),
    update=WorkerUpdate,
    change=update_worker,
    example={
        "national_id": "010098001234",
        "full_name": "Vàng Seo Dìn",
        "date_of_birth": dt.date(1998, 3, 4),
        "gender": "male",
        "ethnicity": "Mông",
        "commune_code": "02782",
        "village": "Thôn Lao Chải",
        "household_code": "LPT-001",
        "household_poverty": "poor",
    },
)

PARTNERS = Importable(
    name="partners",
    resource=partners,
    create=PartnerCreate,
    add=create_partner,
    natural_key=("name",),
    update=PartnerUpdate,
    change=update_partner,
    example={
        "name": "Trung tâm Dịch vụ việc làm tỉnh Lào Cai",
        "kind": "employment_service_centre",
        "address": "Đường Hoàng Liên, phường Lào Cai",
    },
)

OUTREACH_EVENTS = Importable(
    name="outreach-events",
    resource=events,
    create=OutreachEventCreate,
    add=create_event,
    natural_key=("commune_code", "held_on", "topic"),
    update=OutreachEventUpdate,
    change=update_event,
    example={
        "commune_code": "02782",
        "held_on": dt.date(2025, 9, 12),
        "topic": "Tư vấn đi làm việc tại Đài Loan",
        "village": "Thôn Lao Chải",
        "participants": 45,
        "registered_interest": 8,
    },
)


async def _worker_id(session: AsyncSession, national_id: str) -> uuid.UUID | None:
    found: uuid.UUID | None = await session.scalar(
        select(Worker.id).where(Worker.national_id == national_id)
    )
    return found


PlacementRow = row_of(
    "PlacementRow",
    "A placement as a row: its worker by identity number, then the create body's fields.",
    {"national_id": (NationalId, Field(description="The worker's identity number."))},
    PlacementCreate,
    but=("worker_id",),
)
_BY_WORKER = {"body.worker_id": "body.national_id"}


async def active_placements(
    session: AsyncSession, names: Sequence[str], keys: Sequence[tuple[Any, ...]]
) -> dict[tuple[Any, ...], Existing]:
    """The active placement (neither returned nor withdrawn) of each worker a chunk's rows
    name, in one query."""
    return await existing_by(
        session,
        Placement,
        [Worker.national_id],
        keys,
        join=(Worker, Worker.id == Placement.worker_id),
        where=[Placement.status.not_in(sorted(CLOSED))],
    )


async def _add_placement(ctx: WriteContext, body: Any) -> Placement:
    worker_id = await _worker_id(ctx.session, body.national_id)
    if worker_id is None:
        raise RuleViolation("body.national_id", "not_found", what=word("worker"))
    values = body.model_dump(exclude={"national_id"}, exclude_unset=True)
    create = PlacementCreate.model_validate({"worker_id": worker_id, **values})
    with _columns(_BY_WORKER):
        return await placement_service.create(ctx, create)


PLACEMENTS = Importable(
    name="placements",
    resource=placements,
    create=PlacementRow,
    add=_add_placement,
    natural_key=("national_id",),
    existing_many=active_placements,
    update=PlacementUpdate,
    change=placement_service.update,
    example={
        "national_id": "010098001234",
        "destination_country": "TW",
        "scheme": "contract",
        "employer": "Formosa Plastics",
        "sector": "Sản xuất",
        "contract_months": 36,
        "monthly_salary_vnd": 35_000_000,
        "registered_on": dt.date(2025, 8, 1),
    },
)


class RemittanceRow(StrictInput):
    """Money a worker sent home in a month, on the worker's latest placement."""

    national_id: NationalId = Field(description="The worker's identity number.")
    month: Month
    amount_vnd: PositiveVnd
    note: Note | None = None


async def _add_remittance(ctx: WriteContext, body: RemittanceRow) -> Any:
    latest = await ctx.session.scalar(
        select(Placement.id)
        .join(Worker, Worker.id == Placement.worker_id)
        .where(Worker.national_id == body.national_id)
        .order_by(Placement.registered_on.desc(), Placement.created_at.desc())
        .limit(1)
    )
    if latest is None:
        raise RuleViolation("body.national_id", "not_found", what=word("placement"))
    entry = RemittanceCreate(month=body.month, amount_vnd=body.amount_vnd, note=body.note)
    return await remittance_service.record(ctx, latest, entry)


REMITTANCES = Importable(
    name="remittances",
    resource=remittances,
    create=RemittanceRow,
    add=_add_remittance,
    natural_key=(),
    example={
        "national_id": "010098001234",
        "month": "2025-10",
        "amount_vnd": 30_000_000,
        "note": "Gửi qua Agribank Mường Khương",
    },
)


# Commune profiles: the kit's (kit.profiles), as digital's.
COMMUNE_PROFILES = book.importable(
    ProfilePut,
    example={
        "commune_code": "02791",
        "year": 2024,
        "population": 3400,
        "households": 720,
        "working_age": 2040,
        "employed_elsewhere": 408,
        "poor_households": 291,
        "near_poor_households": 319,
    },
)

SPENDING = spending_book.importable(
    SpendingCreate,
    example={
        "commune_code": "02782",
        "on": dt.date(2025, 9, 30),
        "amount_vnd": 4_500_000,
        "source": "central_budget",
        "purpose": "Hỗ trợ học tiếng Hàn trước khi xuất cảnh",
        "project_code": "90.DA4",
        "capital_type": "recurrent",
    },
)

# Capital plans: the kit's (kit.capital), the same columns in every service.
CAPITAL_PLANS = money.plans.importable()

IMPORTS: tuple[Importable, ...] = (
    WORKERS,
    PARTNERS,
    OUTREACH_EVENTS,
    PLACEMENTS,
    REMITTANCES,
    SPENDING,
    COMMUNE_PROFILES,
    CAPITAL_PLANS,
)
