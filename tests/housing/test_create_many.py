"""`cases.service.create_many`: many new cases under every rule of the single create, written
set-based, writing what the same creates sent one `POST` each write."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from housing.cases.schemas import CaseCreate
from housing.cases.service import create_many, present
from housing.models import Case, CaseTransition, audit_log, changes
from mtqg_shared.auth import Principal
from mtqg_shared.db import Database
from mtqg_shared.errors import FieldError, Problem
from mtqg_shared.kit.importing import RowsRefused
from mtqg_shared.rules import RuleViolation
from mtqg_shared.types import today_vn
from mtqg_shared.writes import WriteContext
from tests.housing.helpers import (
    API,
    ELSEWHERE,
    NEW_SI_MA_CAI,
    NEW_SIN_CHENG,
    OLD_NAN_SAN,
    case_body,
    officer,
)

Caller = Callable[..., Any]


@asynccontextmanager
async def write(
    client: httpx.AsyncClient, db: Database, principal: Principal
) -> AsyncIterator[WriteContext]:
    """One write as a route opens it (the app's audit table, idempotency and feed)."""
    state = client.app.state  # type: ignore[attr-defined]
    async with db.session() as session:
        yield WriteContext(
            session=session,
            principal=principal,
            request_id="import",
            idempotency=state.idempotency,
            audit_table=state.audit_table,
            feed=state.feed,
        )


def officer_of(*areas: str) -> Principal:
    return Principal.build("officer", "person", roles=["officer"], areas=areas or ["15"])


async def many(
    client: httpx.AsyncClient, db: Database, bodies: Sequence[dict[str, Any]], *areas: str
) -> list[dict[str, Any]]:
    async with write(client, db, officer_of(*areas)) as ctx:
        answers = await create_many(ctx, [CaseCreate.model_validate(b) for b in bodies])
        await ctx.commit(None, status=204)
    return answers


async def written(db: Database) -> dict[str, list[Any]]:
    """Every row a case create leaves, but the columns each write gives anew (generated ids,
    clocks, sequence numbers, request ids), in a stable order."""
    async with db.session() as session:

        async def rows(stmt: Any, drop: set[str]) -> list[Any]:
            found = [
                {k: v for k, v in row._asdict().items() if k not in drop}
                for row in (await session.execute(stmt)).all()
            ]
            return sorted(found, key=repr)

        return {
            "cases": await rows(select(Case.__table__), {"created_at", "updated_at"}),
            "steps": await rows(
                select(CaseTransition.__table__), {"id", "created_at", "updated_at"}
            ),
            "audit": await rows(select(audit_log), {"id", "at", "request_id"}),
            "changes": await rows(select(changes), {"seq", "at"}),
        }


def bodies_of(prefix: str) -> list[dict[str, Any]]:
    """Cases of every shape: both geographies, each group and type, given and default dates,
    optional fields present and absent, client-made ids."""
    day = today_vn() - dt.timedelta(days=3)
    shapes: list[dict[str, Any]] = [
        {"commune_code": OLD_NAN_SAN, "registered_on": "2024-03-01", "village": "Sín Chải"},
        {"commune_code": OLD_NAN_SAN, "geography": "2025-01", "registered_on": "2025-08-01"},
        {"commune_code": NEW_SIN_CHENG, "registered_on": day.isoformat(), "notes": "lũ"},
        {"beneficiary_group": "meritorious", "support_type": "repair"},
        {"beneficiary_group": "near_poor", "registered_on": "2023-05-04"},
        {"beneficiary_group": "disaster", "support_type": "repair"},
        {"beneficiary_group": "other", "geography": "2025-07"},
    ]
    return [
        case_body(id=str(uuid.uuid4()), household_code=f"{prefix}-{i}", **shape)
        for i, shape in enumerate(shapes)
    ]


@pytest.fixture
def db(databases: dict[str, Database]) -> Database:
    return databases["housing"]


async def test_create_many_writes_what_single_creates_write(
    service_client: Caller, db: Database
) -> None:
    bodies = bodies_of("SAME")
    async with service_client("housing") as client:
        answers = []
        for body in bodies:
            answer = await client.post(f"{API}/cases", json=body, headers=officer())
            assert answer.status_code == 201, answer.text
            answers.append(answer.json())
        one_by_one = await written(db)
    async with service_client("housing") as client:
        at_once = await many(client, db, bodies)
        together = await written(db)
        # Each answer is the case as its GET reads it, norm included.
        for answer in at_once:
            read = await client.get(f"{API}/cases/{answer['id']}", headers=officer())
            assert read.status_code == 200
            assert _without_clocks(read.json()) == _without_clocks(_read_form(answer))
    assert len(together["cases"]) == len(bodies)
    for table in ("cases", "steps", "audit", "changes"):
        assert together[table] == one_by_one[table], table
    # The single creates' answers and the batch's agree too (but their clocks).
    assert [_without_clocks(a) for a in answers] == [
        _without_clocks(_read_form(a)) for a in at_once
    ]


def _without_clocks(answer: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in answer.items() if k not in ("created_at", "updated_at")}


def _read_form(values: dict[str, Any]) -> dict[str, Any]:
    """A create_many answer as the POST's answer says it (the case's read schema)."""
    return dict(present(values).model_dump(mode="json"))


async def test_each_refused_body_is_named_by_its_index_with_the_single_creates_problem(
    service_client: Caller, db: Database
) -> None:
    taken = str(uuid.uuid4())
    first = str(uuid.uuid4())
    tomorrow = (today_vn() + dt.timedelta(days=1)).isoformat()
    async with service_client("housing") as client:
        existing = case_body(id=taken)
        made = await client.post(f"{API}/cases", json=existing, headers=officer(NEW_SI_MA_CAI))
        assert made.status_code == 201
        bodies = [
            case_body(id=first),  # 0: fine
            case_body(registered_on=tomorrow),  # 1: in the future
            case_body(commune_code=ELSEWHERE),  # 2: outside the caller's areas
            case_body(commune_code="99999"),  # 3: no such commune
            case_body(id=taken),  # 4: an id already written
            case_body(id=first),  # 5: the id of body 0
            case_body(household_code=existing["household_code"]),  # 6: open case written
            case_body(),  # 7: the household of body 0 (below)
            case_body(),  # 8: fine
        ]
        bodies[7]["household_code"] = bodies[0]["household_code"]
        before = await written(db)
        with pytest.raises(RowsRefused) as refused:
            await many(client, db, bodies, NEW_SI_MA_CAI)
        assert [index for index, _ in refused.value.failures] == [1, 2, 3, 4, 5, 6, 7]
        # Nothing was written.
        assert await written(db) == before
        # Each refusal is the problem the single create answers for that body: the ones that
        # depend on the earlier bodies are answered once body 0 is created.
        made = await client.post(f"{API}/cases", json=bodies[0], headers=officer(NEW_SI_MA_CAI))
        assert made.status_code == 201
        for index, problem in refused.value.failures:
            assert isinstance(problem, Problem | RuleViolation)
            answer = await client.post(
                f"{API}/cases", json=bodies[index], headers=officer(NEW_SI_MA_CAI)
            )
            assert answer.status_code == _status(problem), (index, answer.text)
            assert _essence(answer.json()) == _essence(_rendered(problem)), index
        # The one open case is named to who may read it, as by the single create.
        named = dict(refused.value.failures)[6]
        assert isinstance(named, Problem)
        assert named.extra["existing_id"] == taken
        twice = dict(refused.value.failures)[7]
        assert isinstance(twice, Problem)
        assert twice.extra["existing_id"] == first


def _status(problem: Problem | RuleViolation) -> int:
    return 422 if isinstance(problem, RuleViolation) else problem.status


def _rendered(problem: Problem | RuleViolation) -> dict[str, Any]:
    if isinstance(problem, RuleViolation):
        problem = Problem(422, errors=[FieldError(problem.field, problem.code, problem.message)])
    return problem.body("", None, "en")


def _essence(body: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in body.items() if k not in ("instance", "request_id")}


async def test_a_failure_refuses_the_whole_call_and_a_clean_retry_writes_all(
    service_client: Caller, db: Database
) -> None:
    async with service_client("housing") as client:
        good = [case_body() for _ in range(3)]
        with pytest.raises(RowsRefused) as refused:
            await many(client, db, [*good, case_body(commune_code=ELSEWHERE)], NEW_SI_MA_CAI)
        assert [i for i, _ in refused.value.failures] == [3]
        assert (await written(db))["cases"] == []
        answers = await many(client, db, good, NEW_SI_MA_CAI)
        assert [a["household_code"] for a in answers] == [b["household_code"] for b in good]
        assert {a["status"] for a in answers} == {"registered"}
        assert {a["norm_vnd"] for a in answers} == {40_000_000}
        listed = await client.get(f"{API}/cases", headers=officer())
        assert {c["household_code"] for c in listed.json()["items"]} == {
            b["household_code"] for b in good
        }


async def test_a_household_closed_case_does_not_refuse_a_new_one(
    service_client: Caller, db: Database
) -> None:
    async with service_client("housing") as client:
        body = case_body()
        made = await client.post(f"{API}/cases", json=body, headers=officer())
        case_id = made.json()["id"]
        cancel = {"to": "cancelled", "note": "moved away"}
        moved = await client.post(
            f"{API}/cases/{case_id}/transitions", json=cancel, headers=officer()
        )
        assert moved.status_code == 201, moved.text
        answers = await many(client, db, [case_body(household_code=body["household_code"])])
        assert answers[0]["household_code"] == body["household_code"]


async def test_many_bodies_across_chunks(
    service_client: Caller, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Checks by chunk still see the bodies of earlier chunks."""
    monkeypatch.setattr("housing.cases.service.CHUNK", 4)
    async with service_client("housing") as client:
        bodies = [case_body() for _ in range(10)]
        again = case_body(household_code=bodies[1]["household_code"])
        with pytest.raises(RowsRefused) as refused:
            await many(client, db, [*bodies, again])
        assert [i for i, _ in refused.value.failures] == [10]
        answers = await many(client, db, bodies)
        assert len({a["id"] for a in answers}) == 10
        assert len((await written(db))["changes"]) == 10


async def test_cases_lost_to_another_writer_leave_no_audit_row_and_no_change(
    service_client: Caller, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The audit rows and change notes of new cases are made while the cases are stored; when
    the store loses a household's one open case to another writer (its check saw none), the
    call is 409 and none of them is kept, and the write goes on without them."""
    from housing.cases import repository
    from mtqg_shared.writes import IN_PARTS

    async with service_client("housing") as client:
        taken = await client.post(f"{API}/cases", json=case_body(), headers=officer())
        assert taken.status_code == 201, taken.text
        before = await written(db)
        real_known = repository.known

        async def unaware(session: Any, ids: Any, households: Any) -> repository.Known:
            found = await real_known(session, ids, households)
            return repository.Known(found.taken, {})  # as if the other writer came later

        # More cases than are noted between two looks at the database's answers.
        lost = [case_body() for _ in range(1_200)]
        lost[700] = case_body(household_code=taken.json()["household_code"])
        kept = [case_body() for _ in range(2)]
        async with write(client, db, officer_of(NEW_SI_MA_CAI)) as ctx:
            ctx.session.info[IN_PARTS] = True
            monkeypatch.setattr(repository, "known", unaware)
            with pytest.raises(Problem) as refused:
                async with ctx.session.begin_nested():
                    await create_many(ctx, [CaseCreate.model_validate(b) for b in lost])
            assert refused.value.status == 409
            monkeypatch.setattr(repository, "known", real_known)
            await create_many(ctx, [CaseCreate.model_validate(b) for b in kept])
            await ctx.commit(None, status=204)
        after = await written(db)
        codes = {b["household_code"] for b in kept}
        assert {c["household_code"] for c in after["cases"]} - {
            c["household_code"] for c in before["cases"]
        } == codes
        assert len(after["audit"]) - len(before["audit"]) == 2
        assert len(after["changes"]) - len(before["changes"]) == 2


def test_a_new_records_changes_are_the_diff_from_nothing() -> None:
    """`created` (the fast path) answers what `diff({}, values)` answers, for every kind of
    value an audited field holds."""
    from enum import StrEnum

    from mtqg_shared.writes import created, diff

    class Kind(StrEnum):
        POOR = "poor"

    values = {
        "text": "Sín Chải",
        "none": None,
        "day": dt.date(2024, 3, 1),
        "at": dt.datetime(2024, 3, 1, 7, 30, tzinfo=dt.UTC),
        "count": 3,
        "flag": False,
        "rate": 0.25,
        "kind": Kind.POOR,
        "id": uuid.uuid4(),
        "list": ["a", dt.date(2025, 1, 2)],
        "map": {"due_on": dt.date(2025, 1, 2), "n": 1},
        "empty": "",
    }
    assert created(values) == diff({}, values)
    assert "none" not in created(values)


async def test_many_cases_by_copy_write_what_executemany_writes(
    service_client: Caller, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Enough rows for PostgreSQL's COPY (cases, steps, audit, changes) write what the same
    rows written by executemany do (on SQLite both are executemany)."""
    import mtqg_shared.db

    bodies = [case_body(id=str(uuid.uuid4())) for _ in range(mtqg_shared.db.COPY_FROM + 5)]
    async with service_client("housing") as client:
        await many(client, db, bodies)
        by_copy = await written(db)
    monkeypatch.setattr(mtqg_shared.db, "COPY_FROM", 10**9)
    async with service_client("housing") as client:
        await many(client, db, bodies)
        by_executemany = await written(db)
    assert len(by_copy["audit"]) == len(bodies)
    assert by_copy == by_executemany


async def test_the_imports_lookup_answers_its_creates_question_once(
    service_client: Caller, db: Database
) -> None:
    """The households an import's key lookup found no open case for are not asked again by
    the create right after it; once only, and only for households it looked up."""
    from sqlalchemy import event

    from housing.cases import repository
    from housing.imports import open_cases

    async with service_client("housing"), db.session() as session:
        statements: list[str] = []
        engine = session.get_bind()

        def seen(conn: Any, cursor: Any, statement: str, *rest: Any) -> None:
            statements.append(statement)

        event.listen(engine, "before_cursor_execute", seen)
        try:
            await open_cases(session, ["household_code"], [("HH-A",), ("HH-B",)])
            asked = len(statements)
            assert (await repository.known(session, [], ["HH-A", "HH-B"])).open_cases == {}
            assert len(statements) == asked
            await repository.known(session, [], ["HH-A"])
            assert len(statements) == asked + 1
            await open_cases(session, ["household_code"], [("HH-A",)])
            asked = len(statements)
            await repository.known(session, [], ["HH-A", "HH-C"])
            assert len(statements) == asked + 1
        finally:
            event.remove(engine, "before_cursor_execute", seen)


async def test_a_write_reads_the_norms_once_until_it_changes_one(
    service_client: Caller, db: Database
) -> None:
    """Chunks of new cases read the norms once per write; a norm the write sets is read."""
    from housing.cases import repository
    from housing.domain.vocabulary import BeneficiaryGroup, SupportType
    from housing.norms import service as norm_service
    from housing.norms.schemas import NormPut

    day = dt.date(2026, 1, 1)
    async with service_client("housing") as client:
        province = Principal.build("admin", "person", roles=["admin"], areas=["15"])
        async with write(client, db, province) as ctx:
            first = await repository.norms_of(ctx)
            assert await repository.norms_of(ctx) is first
            before = first.in_force("poor", "new_build", day)
            put = NormPut(amount_vnd=77_000_000, valid_from=day, basis="Quyết định thử")
            await norm_service.put(ctx, BeneficiaryGroup.POOR, SupportType.NEW_BUILD, put)
            again = await repository.norms_of(ctx)
            assert again is not first
            assert again.in_force("poor", "new_build", day) == 77_000_000 != before
