"""Every money entry of every service (housing funding, production disbursements, labour,
gender and digital spending) carries its programme project and capital type (API.md section
11): the service's default, its own projects only, a capital type of the vocabulary, shown in
reads, lists, filters and exports; a reversal copies them with the source, refuses another
value, and is dated on or after its entry."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from mtqg_shared.types import today_vn
from tests import support
from tests.export.helpers import read_csv
from tests.housing.helpers import create_case
from tests.production.helpers import approved_project, assert_problem, fields_of

ADMIN = support.auth(subject="admin", roles=["admin"])


def days_ago(n: int) -> str:
    return (today_vn() - dt.timedelta(days=n)).isoformat()


async def _case_funding(client: httpx.AsyncClient) -> str:
    case = await create_case(client, registered_on=days_ago(60))
    return f"/api/v1/housing/cases/{case['id']}/funding"


async def _project_disbursements(client: httpx.AsyncClient) -> str:
    project = await approved_project(client, on=days_ago(30))
    return f"/api/v1/production/projects/{project['id']}/disbursements"


def _spending(service: str) -> Callable[[httpx.AsyncClient], Awaitable[str]]:
    async def url(client: httpx.AsyncClient) -> str:
        return f"/api/v1/{service}/spending"

    return url


def _spent(commune: str) -> dict[str, Any]:
    return {"commune_code": commune, "purpose": "Hỗ trợ theo dự án", "amount_vnd": 7_000_000}


@dataclass(frozen=True)
class Kind:
    """One service's money entries as these tests make them."""

    service: str
    collection: Callable[[httpx.AsyncClient], Awaitable[str]]
    body: dict[str, Any]  # a new entry's fields but `on`, `source`, project and capital type
    sources: tuple[str, str]
    default: str
    # Its resource in the service's imports.
    imported: str
    # A project of another service (422 here), and one more of this service's, if it has one.
    foreign: str
    other_own: str | None = None


KINDS = [
    Kind(
        "housing",
        _case_funding,
        {"amount_vnd": 12_000_000},
        ("central_budget", "household"),
        "90.DA5",
        "funding",
        "90.DA4",
    ),
    Kind(
        "production",
        _project_disbursements,
        {"amount_vnd": 300_000_000},
        ("central_budget", "local_budget"),
        "1719.DA3",
        "disbursements",
        "263.CDS",
        "263.OCOP",
    ),
    Kind(
        "labour",
        _spending("labour"),
        _spent("02782"),
        ("central_budget", "mobilised"),
        "90.DA4",
        "spending",
        "90.DA5",
    ),
    Kind(
        "gender",
        _spending("gender"),
        _spent("03006"),
        ("central_budget", "local_budget"),
        "1719.DA8",
        "spending",
        "1719.DA3",
    ),
    Kind(
        "digital",
        _spending("digital"),
        _spent("02923"),
        ("local_budget", "mobilised"),
        "263.CDS",
        "spending",
        "263.OCOP",
    ),
]


@pytest.fixture(params=KINDS, ids=lambda kind: kind.service)
def kind(request: pytest.FixtureRequest) -> Kind:
    found: Kind = request.param
    return found


@pytest.fixture
async def client(service_client: Any, kind: Kind) -> AsyncIterator[httpx.AsyncClient]:
    async with service_client(kind.service) as c:
        yield c


async def post(client: httpx.AsyncClient, url: str, body: dict[str, Any]) -> httpx.Response:
    return await client.post(url, json=body, headers=ADMIN)


async def record(client: httpx.AsyncClient, url: str, kind: Kind, **fields: Any) -> dict[str, Any]:
    body = kind.body | {"source": kind.sources[0], "on": days_ago(10)} | fields
    answer = await post(client, url, body)
    assert answer.status_code == 201, answer.text
    return dict(answer.json())


async def listed(client: httpx.AsyncClient, url: str, **params: str) -> list[str]:
    answer = await client.get(url, params=params, headers=ADMIN)
    assert answer.status_code == 200, answer.text
    return [item["id"] for item in answer.json()["items"]]


async def test_an_entry_takes_its_services_project_and_recurrent_capital(
    client: httpx.AsyncClient, kind: Kind
) -> None:
    url = await kind.collection(client)
    entry = await record(client, url, kind)
    assert (entry["project_code"], entry["capital_type"]) == (kind.default, "recurrent")
    one = await client.get(f"{url}/{entry['id']}", headers=ADMIN)
    assert (one.json()["project_code"], one.json()["capital_type"]) == (kind.default, "recurrent")
    chosen = await record(
        client, url, kind, project_code=kind.other_own or kind.default, capital_type="investment"
    )
    assert (chosen["project_code"], chosen["capital_type"]) == (
        kind.other_own or kind.default,
        "investment",
    )


async def test_another_services_project_or_an_unknown_capital_type_is_422(
    client: httpx.AsyncClient, kind: Kind
) -> None:
    url = await kind.collection(client)
    body = kind.body | {"source": kind.sources[0], "on": days_ago(10)}
    foreign = await post(client, url, body | {"project_code": kind.foreign})
    problem = assert_problem(foreign, 422, "validation")
    assert fields_of(problem) == ["body.project_code"]
    assert kind.default in problem["errors"][0]["message"]
    assert "GET /api/v1/programmes" in problem["errors"][0]["message"]
    vi = await client.post(
        url, json=body | {"project_code": kind.foreign}, headers=ADMIN | {"Accept-Language": "vi"}
    )
    assert "phải là mã dự án thuộc dịch vụ này" in vi.json()["errors"][0]["message"]
    unknown = await post(client, url, body | {"capital_type": "current"})
    assert fields_of(assert_problem(unknown, 422, "validation")) == ["body.capital_type"]
    assert await listed(client, url) == []


async def test_lists_filter_by_project_capital_type_and_source(
    client: httpx.AsyncClient, kind: Kind
) -> None:
    url = await kind.collection(client)
    plain = await record(client, url, kind)
    invested = await record(client, url, kind, capital_type="investment", source=kind.sources[1])
    assert await listed(client, url, capital_type="investment") == [invested["id"]]
    assert await listed(client, url, capital_type="recurrent") == [plain["id"]]
    assert await listed(client, url, source=kind.sources[1]) == [invested["id"]]
    assert await listed(client, url, project_code=kind.default) == [invested["id"], plain["id"]]
    assert await listed(client, url, project_code=kind.foreign) == []
    if kind.other_own is not None:
        other = await record(client, url, kind, project_code=kind.other_own)
        assert await listed(client, url, project_code=kind.other_own) == [other["id"]]
    bad = await client.get(url, params={"capital_type": "current"}, headers=ADMIN)
    assert fields_of(assert_problem(bad, 422, "validation")) == ["query.capital_type"]


async def test_a_reversal_copies_source_project_and_capital_type(
    client: httpx.AsyncClient, kind: Kind
) -> None:
    url = await kind.collection(client)
    project = kind.other_own or kind.default
    entry = await record(
        client, url, kind, source=kind.sources[1], project_code=project, capital_type="investment"
    )
    undo = await post(client, url, {"reverses": entry["id"], "on": days_ago(5)})
    assert undo.status_code == 201, undo.text
    reversal = undo.json()
    assert reversal["amount_vnd"] == -entry["amount_vnd"]
    for copied in ("source", "project_code", "capital_type"):
        assert reversal[copied] == entry[copied], copied
    assert reversal["on"] == days_ago(5)
    # Naming the entry's own values is the same reversal; naming others is refused.
    second = await record(client, url, kind, capital_type="investment")
    same = {
        "reverses": second["id"],
        "on": days_ago(10),
        "source": second["source"],
        "project_code": second["project_code"],
        "capital_type": "investment",
    }
    differing = same | {"project_code": kind.foreign, "capital_type": "recurrent"}
    refused = await post(client, url, differing)
    assert fields_of(assert_problem(refused, 422, "validation")) == [
        "body.project_code",
        "body.capital_type",
    ]
    assert "investment" in refused.json()["errors"][1]["message"]
    other_source = await post(client, url, same | {"source": kind.sources[1]})
    assert fields_of(assert_problem(other_source, 422, "validation")) == ["body.source"]
    accepted = await post(client, url, same)
    assert accepted.status_code == 201, accepted.text
    assert accepted.json()["capital_type"] == "investment"


async def test_a_reversal_dated_before_its_entry_is_422(
    client: httpx.AsyncClient, kind: Kind
) -> None:
    url = await kind.collection(client)
    entry = await record(client, url, kind)
    early = await post(client, url, {"reverses": entry["id"], "on": days_ago(11)})
    assert fields_of(assert_problem(early, 422, "validation")) == ["body.on"]
    same_day = await post(client, url, {"reverses": entry["id"], "on": days_ago(10)})
    assert same_day.status_code == 201, same_day.text


async def test_exports_and_the_vocabulary_carry_project_and_capital_type(
    client: httpx.AsyncClient, kind: Kind
) -> None:
    url = await kind.collection(client)
    entry = await record(client, url, kind, capital_type="investment")
    rows = read_csv(await client.get(url, params={"format": "csv"}, headers=ADMIN))
    header, line = rows[0], rows[1]
    assert line[header.index("ID")] == entry["id"]
    assert line[header.index("Programme project code")] == kind.default
    assert line[header.index("Capital type")] == "investment"


async def test_the_vocabulary_words_the_capital_types(
    client: httpx.AsyncClient, kind: Kind
) -> None:
    answer = await client.get(f"/api/v1/{kind.service}/vocabulary")
    assert answer.status_code == 200
    words = answer.json()
    assert words["capital_type"] == {
        "investment": {"vi": "Vốn đầu tư phát triển", "en": "Development investment capital"},
        "recurrent": {"vi": "Vốn sự nghiệp", "en": "Recurrent capital"},
    }


async def test_the_import_template_has_both_columns(client: httpx.AsyncClient, kind: Kind) -> None:
    answer = await client.get(f"/api/v1/{kind.service}/imports/resources", headers=ADMIN)
    assert answer.status_code == 200, answer.text
    fields = {item["resource"]: item["fields"] for item in answer.json()["items"]}
    assert {"project_code", "capital_type"} <= set(fields[kind.imported])
