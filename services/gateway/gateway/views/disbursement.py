"""`GET /api/v1/disbursement`: every service's disbursement report (API.md section 11) of one
area, year and day, asked at the same time with the caller's token, in one answer of the same
shape: the services' rows one after the other (each project belongs to one service) and their
totals summed, with the services that could not answer in `unavailable` (their money is then
missing from the totals, which the caller sees) and those the caller may not read in
`forbidden`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from pydantic import ValidationError

from gateway.views.calls import BadAnswer
from gateway.views.router import (
    _VIEW_PROBLEMS,
    AreaCodeQuery,
    GeographyQuery,
    _calls,
    _readable,
    _settle,
)
from gateway.views.schemas import ServiceName
from mtqg_shared.areas import resolve_filter_area
from mtqg_shared.auth import CurrentPrincipal
from mtqg_shared.errors import validation_problem
from mtqg_shared.fields import Day
from mtqg_shared.kit.capital import FIRST_YEAR, LAST_YEAR
from mtqg_shared.kit.disbursement import DisbursementReport, figures, report_day
from mtqg_shared.kit.money_routes import DisbursementGrouping
from mtqg_shared.registry import SERVICE_NAMES
from mtqg_shared.schemas import AreaRef

router = APIRouter(tags=["views"])


class ProgrammeDisbursement(DisbursementReport):
    unavailable: list[ServiceName]
    forbidden: list[ServiceName]


@router.get(
    "/api/v1/disbursement",
    response_model=ProgrammeDisbursement,
    responses=_VIEW_PROBLEMS,
    summary="Capital planned and disbursed across every programme service",
)
async def disbursement(
    request: Request,
    principal: CurrentPrincipal,
    area_code: AreaCodeQuery = None,
    geography: GeographyQuery = None,
    year: Annotated[int | None, Query(ge=FIRST_YEAR, le=LAST_YEAR)] = None,
    as_of: Annotated[
        Day | None, Query(description="The day the figures stand on (default today).")
    ] = None,
    group_by: Annotated[
        DisbursementGrouping | None, Query(description="`commune`: the rows of each commune.")
    ] = None,
) -> ProgrammeDisbursement:
    readable = _readable(principal)
    if area_code is None and geography is not None:
        raise validation_problem("query.geography", "required.with_area_code")
    area = resolve_filter_area(principal, area_code or "15", geography)
    chosen, day = report_day(year, as_of)
    query = {"year": str(chosen), "as_of": day.isoformat(), "area_code": area_code or "15"}
    if geography is not None:
        query["geography"] = geography
    if group_by is not None:
        query["group_by"] = group_by.value
    grouped = group_by is not None
    calls = _calls(request)

    def job(service: str) -> Callable[[], Awaitable[DisbursementReport]]:
        async def ask() -> DisbursementReport:
            body = await calls.get(service, f"/api/v1/{service}/reports/disbursement", query)
            try:
                answer = DisbursementReport.model_validate(body)
                # Rows by commune name theirs; rows of the whole area do not.
                if any((row.code is not None) != grouped for row in answer.rows):
                    raise BadAnswer()
            except ValidationError as exc:
                raise BadAnswer() from exc
            return answer

        return ask

    results = await calls.gather({s: job(s) for s in SERVICE_NAMES if s in readable})
    answers, unavailable, forbidden = _settle(results, readable, list(SERVICE_NAMES))
    rows: list[Any] = []
    planned = disbursed = 0
    for service in SERVICE_NAMES:
        part: DisbursementReport | None = answers.get(service)
        if part is None:
            continue
        rows.extend(part.rows)
        planned += part.totals.planned_vnd
        disbursed += part.totals.disbursed_vnd
    return ProgrammeDisbursement(
        area=AreaRef(code=area.code, name=area.name),
        year=chosen,
        as_of=day,
        rows=rows,
        totals=figures(planned, disbursed),
        unavailable=unavailable,
        forbidden=forbidden,
    )
