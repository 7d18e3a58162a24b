"""GET /api/v1/programmes and `mtqg_shared.programmes`: programmes 90, 1719 and 263 with their
projects and sub-projects, each naming the service that records its money (API.md section 11)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from importlib.resources import files
from typing import Any

import httpx
import pytest

from mtqg_shared import programmes
from mtqg_shared.programmes import DEFAULT_PROJECT, PROGRAMMES, project, projects_of
from mtqg_shared.registry import SERVICE_NAMES
from tests.gateway.helpers import admin_auth, assert_problem

LIST = "/api/v1/programmes"
VI = {"Accept-Language": "vi"}
EN = {"Accept-Language": "en"}
# What API.md section 11 fixes: these codes, recorded by these services.
FIXED = {
    "90.DA4": "labour",
    "90.DA5": "housing",
    "1719.DA3": "production",
    "1719.DA8": "gender",
    "263.OCOP": "production",
    "263.CDS": "digital",
}


def _projects(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {p["code"]: p for item in body["items"] for p in item["projects"]}


async def test_the_three_programmes_with_the_contracts_projects_and_no_token(
    client: httpx.AsyncClient,
) -> None:
    answer = await client.get(LIST)  # no Authorization header
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["next_cursor"] is None
    assert [item["code"] for item in body["items"]] == ["90", "1719", "263"]
    listed = _projects(body)
    assert {code: listed[code]["service"] for code in FIXED} == FIXED
    assert set(body["items"][0]) == {"code", "name", "decision", "projects"}
    assert set(listed["90.DA5"]) == {"code", "name", "service", "parent_code"}


async def test_each_programme_cites_its_decision(client: httpx.AsyncClient) -> None:
    body = (await client.get(LIST)).json()
    assert {item["code"]: item["decision"] for item in body["items"]} == {
        "90": {"number": "90/QĐ-TTg", "signed_on": "2022-01-18"},
        "1719": {"number": "1719/QĐ-TTg", "signed_on": "2021-10-14"},
        "263": {"number": "263/QĐ-TTg", "signed_on": "2022-02-22"},
    }
    data = json.loads(files("mtqg_shared").joinpath("data", "programmes.json").read_text("utf-8"))
    for entry in data["programmes"]:
        assert entry["decision"]["where"].startswith("Article")
    assert data["notes"], "the data file says which names were checked and which were not"


def test_the_decisions_projects_are_all_listed() -> None:
    by_code = {p.code: p for p in PROGRAMMES}
    tops = {c: [x.code for x in p.projects if x.parent_code is None] for c, p in by_code.items()}
    assert tops["90"] == [f"90.DA{n}" for n in range(1, 8)]
    assert tops["1719"] == [f"1719.DA{n}" for n in range(1, 11)]
    assert tops["263"] == [f"263.ND{n}" for n in range(1, 12)]
    # Sub-projects as the decisions number them.
    assert [x.code for x in by_code["1719"].projects if x.parent_code == "1719.DA3"] == [
        "1719.DA3.TDA1",
        "1719.DA3.TDA2",
    ]
    assert [x.code for x in by_code["90"].projects if x.parent_code == "90.DA4"] == [
        "90.DA4.TDA1",
        "90.DA4.TDA2",
        "90.DA4.TDA3",
    ]
    assert project("263.OCOP").parent_code == "263.ND3"  # type: ignore[union-attr]
    assert project("263.CDS").parent_code == "263.ND8"  # type: ignore[union-attr]


def test_codes_are_unique_and_sub_projects_follow_their_project() -> None:
    codes = [p.code for programme in PROGRAMMES for p in programme.projects]
    assert len(codes) == len(set(codes))
    for programme in PROGRAMMES:
        seen: dict[str, programmes.Project] = {}
        for item in programme.projects:
            assert item.code.startswith(f"{programme.code}.")
            if item.parent_code is not None:
                parent = seen[item.parent_code]  # listed before, in the same programme
                assert parent.parent_code is None
                if parent.service is not None:
                    assert item.service == parent.service
            seen[item.code] = item


def test_every_project_names_a_real_service_or_none() -> None:
    services = {p.service for programme in PROGRAMMES for p in programme.projects}
    assert services - {None} <= set(SERVICE_NAMES)
    assert None in services  # most projects' money no service records
    assert {p.service for programme in PROGRAMMES for p in programme.projects} >= set(
        DEFAULT_PROJECT
    )


def test_every_name_is_given_in_both_languages() -> None:
    for programme in PROGRAMMES:
        assert programme.name.startswith("Chương trình mục tiêu quốc gia")
        assert programme.name_en.startswith("National Target Programme")
        for item in programme.projects:
            assert item.name and item.name_en and item.name != item.name_en, item.code


def test_projects_of_a_service_are_its_projects_and_their_sub_projects() -> None:
    assert projects_of("housing") == frozenset({"90.DA5"})
    assert projects_of("labour") == frozenset(
        {"90.DA4", "90.DA4.TDA1", "90.DA4.TDA2", "90.DA4.TDA3"}
    )
    assert projects_of("production") == frozenset(
        {"90.DA2", "1719.DA3", "1719.DA3.TDA1", "1719.DA3.TDA2", "263.OCOP"}
    )
    assert projects_of("gender") == frozenset({"1719.DA8"})
    assert projects_of("digital") == frozenset({"263.CDS"})
    assert projects_of("gateway") == frozenset()
    assert projects_of("nobody") == frozenset()
    for service, code in DEFAULT_PROJECT.items():
        assert code in projects_of(service)
    assert DEFAULT_PROJECT == {
        "housing": "90.DA5",
        "labour": "90.DA4",
        "production": "1719.DA3",
        "gender": "1719.DA8",
        "digital": "263.CDS",
    }
    # A project no service records is nobody's: no money entry may name it.
    assert not any("1719.DA1" in projects_of(s) for s in SERVICE_NAMES)


def test_project_finds_projects_and_sub_projects_only() -> None:
    found = project("1719.DA3.TDA2")
    assert found is not None
    assert (found.parent_code, found.service) == ("1719.DA3", "production")
    assert found.name.startswith("Tiểu dự án 2: Hỗ trợ phát triển sản xuất theo chuỗi giá trị")
    housing = project("90.DA5")
    assert housing is not None and housing.service == "housing" and housing.parent_code is None
    assert project("90") is None  # a programme is no project
    assert project("90.DA8") is None
    assert project("") is None
    assert PROGRAMMES[0].decision.signed_on == dt.date(2022, 1, 18)


async def test_names_are_in_the_callers_language(client: httpx.AsyncClient) -> None:
    vi = await client.get(LIST, headers=VI)
    en = await client.get(LIST, headers=EN)
    assert vi.headers["content-language"] == "vi"
    assert en.headers["content-language"] == "en"
    assert "Accept-Language" in vi.headers["vary"]
    assert vi.json()["items"][0]["name"] == (
        "Chương trình mục tiêu quốc gia giảm nghèo bền vững giai đoạn 2021 - 2025"
    )
    assert en.json()["items"][0]["name"] == (
        "National Target Programme for Sustainable Poverty Reduction 2021-2025"
    )
    assert _projects(vi.json())["1719.DA8"]["name"] == (
        "Dự án 8: Thực hiện bình đẳng giới và giải quyết những vấn đề cấp thiết đối với phụ nữ "
        "và trẻ em"
    )
    assert _projects(en.json())["1719.DA8"]["name"].startswith("Project 8: Gender equality")
    # The same codes and services either way.
    strip = {c: (p["service"], p["parent_code"]) for c, p in _projects(vi.json()).items()}
    assert strip == {c: (p["service"], p["parent_code"]) for c, p in _projects(en.json()).items()}


async def test_a_held_answer_is_not_sent_again(client: httpx.AsyncClient) -> None:
    first = await client.get(LIST, headers=VI)
    etag = first.headers["etag"]
    assert first.headers["cache-control"] == "public, max-age=3600"
    for condition in (etag, f'"other", {etag}', f"W/{etag}"):
        again = await client.get(LIST, headers={**VI, "If-None-Match": condition})
        assert again.status_code == 304, condition
        assert again.content == b"" and again.headers["etag"] == etag
    # Another language is another answer: the Vietnamese tag does not hold for English.
    english = await client.get(LIST, headers={**EN, "If-None-Match": etag})
    assert english.status_code == 200 and english.headers["etag"] != etag
    stale = await client.get(LIST, headers={**VI, "If-None-Match": '"other"'})
    assert stale.status_code == 200 and stale.content == first.content


async def test_the_service_filter_keeps_that_services_projects(client: httpx.AsyncClient) -> None:
    body = (await client.get(LIST, params={"service": "production"})).json()
    assert {item["code"]: [p["code"] for p in item["projects"]] for item in body["items"]} == {
        "90": ["90.DA2"],
        "1719": ["1719.DA3", "1719.DA3.TDA1", "1719.DA3.TDA2"],
        "263": ["263.OCOP"],
    }
    housing = (await client.get(LIST, params={"service": "housing"})).json()
    assert [item["code"] for item in housing["items"]] == ["90"]
    assert set(_projects(housing)) == projects_of("housing")
    every = (await client.get(LIST)).json()
    for service in SERVICE_NAMES:
        filtered = (await client.get(LIST, params={"service": service})).json()
        assert set(_projects(filtered)) == projects_of(service)
        assert set(_projects(filtered)) == {
            c for c, p in _projects(every).items() if p["service"] == service
        }


@pytest.mark.parametrize(
    "params",
    [{"service": "gateway"}, {"service": "Housing"}, {"service": ""}, {"limit": "10"}],
)
async def test_a_bad_filter_is_422(client: httpx.AsyncClient, params: dict[str, str]) -> None:
    body = assert_problem(await client.get(LIST, params=params), 422, "validation")
    assert body["errors"][0]["field"] == f"query.{next(iter(params))}"


async def test_a_token_changes_nothing_and_writes_are_refused(client: httpx.AsyncClient) -> None:
    plain = await client.get(LIST)
    signed_in = await client.get(LIST, headers=admin_auth())
    assert signed_in.status_code == 200 and signed_in.content == plain.content
    refused = await client.post(LIST, json={"code": "99"})
    assert_problem(refused, 405, "method-not-allowed")
    assert refused.headers["allow"] == "GET"


async def test_the_list_exports_with_vietnamese_headers(client: httpx.AsyncClient) -> None:
    answer = await client.get(LIST, params={"format": "csv"}, headers=VI)
    assert answer.status_code == 200, answer.text
    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "Mã",
        "Tên",
        "Số quyết định phê duyệt",
        "Ngày ký quyết định",
        "Dự án, tiểu dự án",
    ]
    assert [row[0] for row in rows[1:]] == ["90", "1719", "263"]
    assert rows[1][2:4] == ["90/QĐ-TTg", "2022-01-18"]
    assert {p["code"] for p in json.loads(rows[3][4])} >= {"263.OCOP", "263.CDS"}
