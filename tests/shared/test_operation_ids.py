"""Operation ids are one dotted rule from the path and the method, so a generated client's
method names never change with a function's name: `housing.cases.list`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Query

from mtqg_shared.openapi import operation_id


def ids(router: APIRouter) -> dict[tuple[str, str], str]:
    app = FastAPI(generate_unique_id_function=operation_id)
    app.include_router(router)
    document = app.openapi()
    return {
        (method.upper(), path): operation["operationId"]
        for path, item in document["paths"].items()
        for method, operation in item.items()
    }


def test_the_path_words_and_what_the_method_does() -> None:
    router = APIRouter(prefix="/api/v1/housing")

    @router.get("/cases")
    async def list_cases(cursor: Annotated[str | None, Query()] = None) -> None: ...

    @router.post("/cases")
    async def create_case() -> None: ...

    @router.get("/cases/{case_id}")
    async def read_case(case_id: str) -> None: ...

    @router.patch("/cases/{case_id}")
    async def update_case(case_id: str) -> None: ...

    @router.post("/cases/{case_id}/transitions")
    async def move_case(case_id: str) -> None: ...

    @router.put("/norms/{group}/{kind}")
    async def put_norm(group: str, kind: str) -> None: ...

    @router.delete("/outreach-events/{event_id}")
    async def drop(event_id: str) -> None: ...

    @router.get("/reports/progress")
    async def progress_report() -> None: ...

    assert ids(router) == {
        ("GET", "/api/v1/housing/cases"): "housing.cases.list",
        ("POST", "/api/v1/housing/cases"): "housing.cases.create",
        ("GET", "/api/v1/housing/cases/{case_id}"): "housing.cases.get",
        ("PATCH", "/api/v1/housing/cases/{case_id}"): "housing.cases.update",
        ("POST", "/api/v1/housing/cases/{case_id}/transitions"): "housing.cases.transitions.create",
        ("PUT", "/api/v1/housing/norms/{group}/{kind}"): "housing.norms.put",
        ("DELETE", "/api/v1/housing/outreach-events/{event_id}"): "housing.outreach_events.delete",
        # No cursor: one report, not a page of a list.
        ("GET", "/api/v1/housing/reports/progress"): "housing.reports.progress.get",
    }


class Listing:
    def __init__(self, cursor: Annotated[str | None, Query()] = None) -> None:
        self.cursor = cursor


def test_a_list_is_known_by_its_cursor_even_inside_a_dependency() -> None:
    router = APIRouter()

    @router.get("/api/v1/auth/users")
    async def users(listing: Annotated[Listing, Depends()]) -> None: ...

    @router.get("/healthz")
    async def healthz() -> None: ...

    assert ids(router) == {
        ("GET", "/api/v1/auth/users"): "auth.users.list",
        ("GET", "/healthz"): "healthz.get",
    }


def test_a_route_may_name_its_own() -> None:
    router = APIRouter()

    @router.post("/api/v1/auth/token", operation_id="auth.token")
    async def issue_token() -> None: ...

    assert ids(router) == {("POST", "/api/v1/auth/token"): "auth.token"}
