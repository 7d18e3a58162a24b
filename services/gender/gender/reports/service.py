"""The overview: models, activities, materials, case counts and money of an area."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.ext.asyncio import AsyncSession

from gender.domain.vocabulary import Language, ModelKind, Topic
from gender.reports import repository as sql
from gender.reports.cases_counts import cases_counts
from gender.reports.schemas import (
    ActivityFigures,
    CaseFigures,
    MaterialFigures,
    ModelFigures,
    Overview,
)
from mtqg_shared.admin_units import Area
from mtqg_shared.auth import Principal
from mtqg_shared.kit.window import every_key, window
from mtqg_shared.rules import check_not_future
from mtqg_shared.schemas import AreaRef
from mtqg_shared.types import today_vn

_LANGUAGES = [lang.value for lang in Language]


async def overview(
    session: AsyncSession,
    principal: Principal,
    area: Area,
    year: int | None,
    as_of: dt.date | None,
) -> Overview:
    """With `year`: models established by its end, what was held, published, reported and
    spent in it; without, everything to date. `as_of` (default today) cuts either."""
    today = today_vn()
    as_of = as_of or today
    check_not_future(as_of, today, "query.as_of")
    days = window(year, as_of)
    models = await sql.models_by_kind(session, principal, area, days)
    count, people, women, topics, languages = await sql.activity_totals(
        session, principal, area, days
    )
    materials, material_languages = await sql.material_totals(session, principal, area, days)
    cases = await cases_counts(session, principal, area, year, as_of, days)
    return Overview(
        area=AreaRef(code=area.code, name=area.name),
        year=year,
        as_of=as_of,
        models={
            kind.value: ModelFigures(
                count=models.get(kind.value, (0, 0, 0))[0],
                members=models.get(kind.value, (0, 0, 0))[1],
                members_female=models.get(kind.value, (0, 0, 0))[2],
            )
            for kind in ModelKind
        },
        activities=ActivityFigures(
            count=count,
            participants=people,
            participants_female=women,
            by_topic=every_key([t.value for t in Topic], topics),
            by_language=every_key(_LANGUAGES, languages),
        ),
        materials=MaterialFigures(
            count=materials, by_language=every_key(_LANGUAGES, material_languages)
        ),
        cases=CaseFigures(
            by_kind=dict(cases.by_kind),
            child_marriages_prevented=cases.child_marriages_prevented,
        ),
        spent_vnd=await sql.spent(session, principal, area, days),
    )
