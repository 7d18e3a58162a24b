"""`GET /api/v1/overview` and `GET /api/v1/households/{household_code}`: one view across the
three programmes, each service asked at the same time with the caller's token.

How a service's answer counts: 200 fills its member; a refusal that says something about the
request itself (422: a bad area_code or year; 404: an area outside the caller's areas) is the
view's answer, since the other services would say the same; 403 (a client without that
service's read scope) lists it in `forbidden`; anything else (5xx, no connection, the deadline,
an answer that is not what the contract says) lists it in `unavailable`, and the rest is
answered with 200.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import datetime as dt
import json
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from pydantic import BaseModel, Field, StringConstraints

from gateway.views.calls import BadAnswer, Failed, Refused, ServiceCalls, readable_services
from gateway.views.schemas import (
    OVERVIEW_SERVICES,
    HouseholdHousing,
    HouseholdLabour,
    HouseholdProduction,
    HouseholdView,
    ProgrammeOverview,
    ServiceName,
)
from gateway.views.workbook import Part, file_name, fill
from mtqg_shared.areas import resolve_filter_area
from mtqg_shared.auth import CurrentPrincipal, Principal
from mtqg_shared.errors import Problem, field_error, request_language, validation_problem
from mtqg_shared.export import XLSX_MEDIA, workbook_answer
from mtqg_shared.fields import STORABLE
from mtqg_shared.kit.changes import ChangeItem
from mtqg_shared.messages import Verbatim, msg
from mtqg_shared.registry import BY_NAME, SERVICE_NAMES, Process, spoken_list
from mtqg_shared.schemas import AreaRef
from mtqg_shared.types import today_vn

log = logging.getLogger("mtqg.gateway.views")

router = APIRouter(tags=["views"])


AreaCodeQuery = Annotated[
    str | None,
    Query(
        pattern=r"^([0-9]{2}|[0-9]{3}|[0-9]{5})$",
        description="15 (the province, default), 10, a legacy district or a commune.",
    ),
]
GeographyQuery = Annotated[
    Literal["2025-01", "2025-07"] | None,
    Query(description="How to read a commune area_code (with area_code only)."),
]
_BY_YEAR = [s.name for s in OVERVIEW_SERVICES if s.overview and s.overview.by == "year"]
_BY_DAY = [s.name for s in OVERVIEW_SERVICES if s.overview and s.overview.by == "as_of"]
YearQuery = Annotated[
    int | None,
    Query(
        ge=1990,
        le=2100,
        description=(
            f"{spoken_list(_BY_YEAR).capitalize()} figures of that year; "
            f"{spoken_list(_BY_DAY)} as of its last day (today when absent or the current year)."
        ),
    ),
]
HouseholdCodePath = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=32),
    STORABLE,
    Path(description="The household's code, as the programmes record it."),
]

_VIEW_PROBLEMS: dict[int | str, dict[str, Any]] = {
    401: {"description": "No valid bearer token."},
    403: {"description": "The caller may read none of the programmes."},
    404: {"description": "Outside the caller's areas, or unknown to every programme."},
    422: {"description": "A bad parameter (errors[] names it)."},
}


def _calls(request: Request) -> ServiceCalls:
    state = request.app.state
    return ServiceCalls(state.forwarder, state.settings.view_timeout_seconds, request)


def _readable(principal: Principal) -> list[str]:
    readable = readable_services(principal)
    if not readable:
        raise Problem(403, msg("views_none_readable"))
    return readable


def _passed_on(service: str, refused: Refused) -> Problem:
    """The service's refusal as the view's own answer."""
    body = refused.problem
    kind = body.get("type")
    slug = kind.removeprefix("/problems/") if isinstance(kind, str) else None
    detail = body.get("detail")
    errors = body.get("errors")
    return Problem(
        refused.status,
        Verbatim(detail) if isinstance(detail, str) else msg("service_refused", service=service),
        type=slug if slug and slug != kind else None,
        errors=errors if isinstance(errors, list) else None,
        service=service,
    )


def _settle(
    results: Mapping[str, object], readable: list[str], asked: Sequence[str]
) -> tuple[dict[str, Any], list[str], list[str]]:
    """(what each service answered, unavailable, forbidden), or the refusal that is the
    view's answer; `asked` are the services the view has a part of."""
    refusals = {n: r for n, r in results.items() if isinstance(r, Refused)}
    for status in (422, 404):
        for name, refused in refusals.items():
            if refused.status == status:
                raise _passed_on(name, refused)
    answers: dict[str, Any] = {}
    unavailable: list[str] = []
    forbidden: list[str] = []
    for name in asked:
        if name not in readable:
            forbidden.append(name)
            continue
        result = results[name]
        if isinstance(result, Refused):
            if result.status == 403:
                forbidden.append(name)
            else:
                log.warning("%s refused a view call with %d", name, result.status)
                unavailable.append(name)
        elif isinstance(result, Failed):
            unavailable.append(name)
        else:
            answers[name] = result
    return answers, unavailable, forbidden


OverviewFormatQuery = Annotated[
    Literal["xlsx"] | None,
    Query(
        description=(
            "`xlsx`: the overview as a workbook (API.md section 10), a sheet per programme "
            "that answered, headed in the answer's language, and a sheet `unavailable` "
            "listing those left out; without it, JSON."
        )
    ),
]


@router.get(
    "/api/v1/overview",
    response_model=ProgrammeOverview,
    responses={
        **_VIEW_PROBLEMS,
        200: {"content": {XLSX_MEDIA: {"schema": {"type": "string", "format": "binary"}}}},
    },
    summary="One area across the three programmes (services that fail are listed)",
)
async def overview(
    request: Request,
    principal: CurrentPrincipal,
    area_code: AreaCodeQuery = None,
    geography: GeographyQuery = None,
    year: YearQuery = None,
    format: OverviewFormatQuery = None,
) -> Any:
    readable = _readable(principal)
    if area_code is None and geography is not None:
        raise validation_problem("query.geography", "required.with_area_code")
    # The services would say the same (422 unknown, 404 outside the caller's areas).
    area = resolve_filter_area(principal, area_code or "15", geography)
    today = today_vn()
    as_of = today if year is None or year >= today.year else dt.date(year, 12, 31)
    where = {"area_code": area_code or "", "geography": geography or ""}
    where = {k: v for k, v in where.items() if v}
    of_year = {**where, "year": str(year)} if year is not None else where
    # Without as_of a report that stands on a day stands on its own today.
    of_day = {**where, "as_of": as_of.isoformat()} if as_of != today else where
    calls = _calls(request)
    asked = [s.name for s in OVERVIEW_SERVICES]

    def job(service: Process) -> Callable[[], Awaitable[dict[str, Any] | Part]]:
        wanted = service.overview
        assert wanted is not None
        path = f"{service.prefix}/{wanted.report}"
        query = of_day if wanted.by == "as_of" else of_year

        async def report() -> dict[str, Any]:
            body = await calls.get(service.name, path, query)
            if wanted.part is not None and isinstance(body, dict):
                body = body.get(wanted.part)
            if not isinstance(body, dict):
                raise BadAnswer()
            return body

        async def worded() -> Part:
            # A workbook heads the part with the service's own words for its enum values.
            body, vocabulary = await asyncio.gather(
                report(), calls.get(service.name, f"{service.prefix}/vocabulary", {})
            )
            if not isinstance(vocabulary, dict):
                raise BadAnswer()
            return Part(body, vocabulary)

        return worded if format == "xlsx" else report

    jobs = {s.name: job(s) for s in OVERVIEW_SERVICES if s.name in readable}
    results = await calls.gather(jobs)
    members, unavailable, forbidden = _settle(results, readable, asked)
    answer = ProgrammeOverview(
        area=AreaRef(code=area.code, name=area.name),
        year=year,
        as_of=as_of,
        **{name: _body(members.get(name)) for name in asked},
        unavailable=unavailable,
        forbidden=forbidden,
    )
    if format != "xlsx":
        return answer
    language = request_language(request.scope)
    whole = answer.model_dump(mode="json")
    return await workbook_answer(
        lambda book: fill(book, whole, members, language), file_name(whole), language
    )


def _body(member: Any) -> Any:
    return member.body if isinstance(member, Part) else member


@router.get(
    "/api/v1/households/{household_code}",
    response_model=HouseholdView,
    responses=_VIEW_PROBLEMS,
    summary="One household across the three programmes: house, work abroad, value chains",
)
async def household(
    request: Request, principal: CurrentPrincipal, household_code: HouseholdCodePath
) -> HouseholdView:
    readable = _readable(principal)
    calls = _calls(request)
    query = {"household_code": household_code}

    async def housing() -> HouseholdHousing:
        return HouseholdHousing(
            cases=await calls.get_all("housing", "/api/v1/housing/cases", query)
        )

    async def labour() -> HouseholdLabour:
        async with asyncio.TaskGroup() as group:
            workers = group.create_task(calls.get_all("labour", "/api/v1/labour/workers", query))
            placements = group.create_task(
                calls.get_all("labour", "/api/v1/labour/placements", query)
            )
        return HouseholdLabour(
            workers=workers.result(),
            placements=placements.result(),
            remittances_vnd=sum(_money(p.get("remittances_vnd")) for p in placements.result()),
        )

    async def production() -> HouseholdProduction:
        path = "/api/v1/production/projects"
        return HouseholdProduction(projects=await calls.get_all("production", path, query))

    jobs: dict[str, Callable[[], Awaitable[Any]]] = {
        "housing": housing,
        "labour": labour,
        "production": production,
    }
    results = await calls.gather({s: jobs[s] for s in readable if s in jobs})
    answers, unavailable, forbidden = _settle(results, readable, list(jobs))
    known = any(_knows(answer) for answer in answers.values())
    if not known and not unavailable:
        raise Problem(404, msg("household_unknown"))
    return HouseholdView(
        household_code=household_code,
        housing=answers.get("housing"),
        labour=answers.get("labour"),
        production=answers.get("production"),
        unavailable=unavailable,
        forbidden=forbidden,
    )


def _knows(part: HouseholdHousing | HouseholdLabour | HouseholdProduction) -> bool:
    if isinstance(part, HouseholdHousing):
        return bool(part.cases)
    if isinstance(part, HouseholdLabour):
        return bool(part.workers or part.placements)
    return bool(part.projects)


def _money(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


# -- the change feeds of every service, followed with one cursor ------------------------------


class GatewayChange(ChangeItem):
    service: ServiceName = Field(description="The service whose feed the change is of.")


class GatewayChangePage(BaseModel):
    items: list[GatewayChange] = Field(
        description="Each service's changes in its own `seq` order, the services one after "
        "another in the registry's order."
    )
    next_cursor: str = Field(
        description="Where to ask again: every service's position (a service that did not "
        "answer keeps the one it had); never null."
    )
    unavailable: list[ServiceName] = Field(
        description="Services that did not answer; ask again later from `next_cursor`."
    )


def _positions(cursor: str | None) -> dict[str, str]:
    """Each service's own cursor, from the gateway's; 422 when it is not one it gave."""
    if cursor is None:
        return {}
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        positions = json.loads(raw)
    except (ValueError, binascii.Error):
        positions = None
    if not isinstance(positions, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in positions.items()
    ):
        raise Problem(
            422,
            msg("cursor_unknown"),
            errors=[field_error("query.cursor", "invalid_format.cursor")],
        )
    return {k: v for k, v in positions.items() if k in SERVICE_NAMES}


def _gateway_cursor(positions: Mapping[str, str]) -> str:
    raw = json.dumps(dict(sorted(positions.items())), separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


_FEED_PROBLEMS: dict[int | str, dict[str, Any]] = {
    401: {"description": "No valid bearer token."},
    403: {"description": "The caller may read none of the programmes."},
    410: {
        "description": "A service's cursor is too old, or the caller's areas, roles or scopes "
        "changed since it was given: start again without it (`type` and `service` say which)."
    },
    422: {"description": "A bad parameter (errors[] names it)."},
}


@router.get(
    "/api/v1/changes",
    response_model=GatewayChangePage,
    responses=_FEED_PROBLEMS,
    tags=["changes"],
    summary="Follow every service's change feed with one cursor (services that fail are listed)",
)
async def changes(
    request: Request,
    principal: CurrentPrincipal,
    cursor: Annotated[
        str | None,
        Query(max_length=4096, description="From `next_cursor`; none: every feed's start."),
    ] = None,
    limit: Annotated[
        int, Query(ge=1, le=1000, description="At most this many changes of each service.")
    ] = 200,
) -> BaseModel:
    readable = _readable(principal)
    positions = _positions(cursor)
    calls = _calls(request)

    def job(name: str) -> Callable[[], Awaitable[dict[str, Any]]]:
        query = {"limit": str(limit)} | ({"cursor": positions[name]} if name in positions else {})

        async def page() -> dict[str, Any]:
            body = await calls.get(name, f"{BY_NAME[name].prefix}/changes", query)
            if not isinstance(body, dict) or not isinstance(body.get("items"), list):
                raise BadAnswer()
            if not isinstance(body.get("next_cursor"), str):
                raise BadAnswer()
            return body

        return page

    results = await calls.gather({name: job(name) for name in readable})
    # A cursor a service refuses (410 too old or reset, 422 not its own) is the answer.
    for status in (410, 422):
        for name, result in results.items():
            if isinstance(result, Refused) and result.status == status:
                raise _passed_on(name, result)
    items: list[GatewayChange] = []
    unavailable: list[str] = []
    for name in readable:
        result = results[name]
        if isinstance(result, Failed | Refused):
            unavailable.append(name)
            continue
        items.extend(GatewayChange(**item, service=name) for item in result["items"])
        positions[name] = result["next_cursor"]
    return GatewayChangePage(
        items=items, next_cursor=_gateway_cursor(positions), unavailable=unavailable
    )
