"""Gender's resources imported from a spreadsheet (API.md sections 10 and 12): each one's
template filled and sent back, one of its rules refused by row, its natural key, the area rule,
and protection cases only for holders of the `protection` role."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx
import pytest

from gender.domain.vocabulary import Language
from gender.imports import IMPORTS
from mtqg_shared.types import today_vn
from tests.gender.helpers import (
    API,
    ELSEWHERE,
    NEW_SA_PA,
    NEW_TA_VAN,
    OLD_TA_VAN,
    admin,
    officer,
    system,
)
from tests.gender.test_cases import holder
from tests.imports.declared import (
    Declared,
    DeclaredImports,
    Row,
    answered,
    imported,
    records,
    resources,
    sheet,
)
from tests.imports.helpers import upload


def _material(row: Row) -> dict[str, Any]:
    versions = []
    for language in Language:
        given = {n: row.get(f"{n}_{language.value}") for n in ("title", "text", "url")}
        if any(value is not None for value in given.values()):
            versions.append({"language": language.value, **given})
    shared = ("topic", "format", "commune_code", "published_on")
    return {name: answered(row[name]) for name in shared} | {"versions": versions}


def _future() -> dt.date:
    return today_vn() + dt.timedelta(days=10)


MODELS = Declared(
    API,
    "models",
    (
        {
            "kind": "communication_team",
            "name": "Đội truyền thông phòng, chống tảo hôn bản Lao Chải",
            "commune_code": NEW_TA_VAN,
            "village": "Lao Chải",
            "established_on": dt.date(2025, 8, 8),
            "members": 12,
            "members_female": 9,
        },
        {
            "kind": "trusted_address",
            "name": "Địa chỉ tin cậy thôn Tả Van Giàng",
            "commune_code": NEW_TA_VAN,
            "village": "Tả Van Giàng",
            "established_on": dt.date(2025, 9, 1),
            "members": 6,
            "members_female": 5,
        },
    ),
    broken=(
        {
            "kind": "livelihood_group",
            "name": "Tổ hợp tác phụ nữ dệt thổ cẩm Cát Cát",
            "commune_code": NEW_SA_PA,
            "established_on": dt.date(2025, 8, 1),
            "members": 5,
            "members_female": 7,
        },
        "members_female",
        "over_cap",
    ),
    key=("name", "commune_code"),
    changed={"members": 15, "members_female": 11},
    dated="established_on",
)

ACTIVITIES = Declared(
    API,
    "activities",
    (
        {
            "kind": "communication",
            "held_on": dt.date(2025, 9, 12),
            "commune_code": NEW_TA_VAN,
            "topics": ["domestic_violence", "child_marriage"],
            "languages": ["vi", "hmn"],
            "participants": 85,
            "participants_female": 60,
        },
        {
            "kind": "contest",
            "held_on": dt.date(2025, 10, 5),
            "commune_code": NEW_SA_PA,
            "topics": ["gender_equality"],
            "languages": ["vi", "dao", "hmn"],
            "participants": 120,
            "participants_female": 70,
            "online_reach": 2500,
        },
    ),
    broken=(
        {
            "kind": "dialogue",
            "held_on": dt.date(2025, 9, 20),
            "commune_code": NEW_TA_VAN,
            "topics": ["child_protection"],
            "languages": ["hmn"],
            "participants": 10,
            "participants_female": 12,
        },
        "participants_female",
        "over_cap",
    ),
)

MATERIALS = Declared(
    API,
    "materials",
    (
        {
            "topic": "child_marriage",
            "format": "leaflet",
            "commune_code": NEW_SA_PA,
            "published_on": dt.date(2025, 8, 20),
            "title_vi": "Nói không với tảo hôn",
            "title_hmn": "Tsis txhob yuav poj niam thaum tseem yau",
        },
        {
            "topic": "domestic_violence",
            "format": "video",
            "commune_code": NEW_TA_VAN,
            "published_on": dt.date(2025, 9, 2),
            "title_vi": "Chung tay phòng, chống bạo lực gia đình",
            "url_vi": "https://sapa.laocai.gov.vn/video/bao-luc-gia-dinh",
            "title_dao": "Bạo lực gia đình (tiếng Dao)",
            "text_dao": "Lời bình bằng tiếng Dao đỏ.",
        },
    ),
    broken=(
        {
            "topic": "human_trafficking",
            "format": "poster",
            "commune_code": NEW_SA_PA,
            "published_on": dt.date(2025, 8, 25),
            "title_vi": "Cảnh giác với mua bán người",
            "text_dao": "Lời dịch chưa có tiêu đề.",
        },
        "title_dao",
        "required",
    ),
    expect=_material,
)

CASES = Declared(
    API,
    "cases",
    (
        {
            "kind": "child_marriage",
            "commune_code": NEW_TA_VAN,
            "reported_on": dt.date(2025, 10, 2),
            "victim_sex": "female",
            "victim_age": 15,
            "victim_ethnicity": "Mông",
            "summary": "Gia đình chuẩn bị cưới cho con gái chưa đủ tuổi kết hôn.",
        },
        {
            "kind": "domestic_violence",
            "commune_code": NEW_TA_VAN,
            "reported_on": dt.date(2025, 9, 20),
            "victim_sex": "female",
            "victim_age": 34,
            "summary": "Người chồng nhiều lần đánh vợ khi say rượu.",
        },
    ),
    broken=(
        {
            "kind": "abuse",
            "commune_code": NEW_TA_VAN,
            "reported_on": _future(),
            "victim_sex": "male",
            "victim_age": 9,
            "summary": "Ngày báo tin ghi nhầm sang tháng sau.",
        },
        "reported_on",
        "in_future",
    ),
)

SPENDING = Declared(
    API,
    "spending",
    (
        {
            "commune_code": NEW_SA_PA,
            "on": dt.date(2025, 9, 30),
            "amount_vnd": 45_000_000,
            "source": "central_budget",
            "purpose": "In tờ rơi phòng, chống tảo hôn bằng ba thứ tiếng",
        },
        {
            "commune_code": NEW_TA_VAN,
            "on": dt.date(2025, 10, 15),
            "amount_vnd": 12_500_000,
            "source": "local_budget",
            "purpose": "Tổ chức hội thi tìm hiểu bình đẳng giới",
            "project_code": "1719.DA8",
            "capital_type": "recurrent",
        },
    ),
    broken=(
        {
            "commune_code": NEW_SA_PA,
            "on": dt.date(2025, 9, 1),
            "amount_vnd": 8_000_000,
            "source": "mobilised",
            "purpose": "Hỗ trợ sinh kế phụ nữ",
            "project_code": "263.CDS",
        },
        "project_code",
        "invalid_choice",
    ),
)

DECLARED = (MODELS, ACTIVITIES, MATERIALS, CASES, SPENDING)


class TestGender(DeclaredImports):
    service = "gender"
    declared = DECLARED
    imports = IMPORTS
    home = NEW_TA_VAN
    elsewhere = ELSEWHERE
    old_home = OLD_TA_VAN

    def caller(self, resource: str, *areas: str) -> dict[str, str]:
        """Cases: a holder of `protection` (of the province, or of `areas`)."""
        if resource == CASES.resource:
            return holder(*(areas or ("15",)))
        return super().caller(resource, *areas)

    async def test_resources_list_every_declared_resource_and_its_natural_key(
        self, client: httpx.AsyncClient
    ) -> None:
        items = await resources(client, API, admin())
        assert [(i["resource"], i["natural_key"]) for i in items] == [
            ("models", ["name", "commune_code"]),
            ("activities", []),
            ("materials", []),
            ("cases", []),
            ("spending", []),
            ("capital-plans", []),
        ]
        fields = {i["resource"]: i["fields"] for i in items}
        # A material's versions are columns per language; no client-made id in any template.
        assert fields["materials"][:5] == [
            "topic",
            "format",
            "commune_code",
            "geography",
            "published_on",
        ]
        assert {"title_vi", "text_dao", "url_hmn"} <= set(fields["materials"])
        assert all("versions" not in f and "id" not in f for f in fields.values())
        assert "activity_id" in fields["spending"] and "reverses" in fields["spending"]

    @pytest.mark.parametrize(
        "headers",
        [officer(NEW_TA_VAN), admin(), system("gender:read", "gender:write")],
        ids=["officer", "admin", "client"],
    )
    async def test_only_protection_holders_import_cases(
        self, client: httpx.AsyncClient, headers: dict[str, str]
    ) -> None:
        answer = await upload(client, sheet(CASES.rows), headers, api=API, resource="cases")
        assert answer.status_code == 403, answer.text
        assert await records(client, CASES, holder("15")) == []
        # The same file from a holder makes the cases.
        job = await imported(client, CASES, CASES.rows, holder(NEW_TA_VAN))
        assert (job["status"], job["created"]) == ("done", 2), job


async def test_the_records_a_files_keys_name_are_found_in_one_query(
    service_client: Any,
) -> None:
    """Thirty models sent again, each named by its name and commune (a commune as it was
    given): found a chunk at a time, in one query, not one query per row."""
    from sqlalchemy import event

    rows = [{**MODELS.rows[0], "name": f"Tổ truyền thông bản {i}"} for i in range(30)]
    async with service_client("gender") as client:
        first = await imported(client, MODELS, rows, admin())
        assert (first["status"], first["created"]) == ("done", 30), first
        lookups: list[str] = []

        def seen(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
            text = statement.lower()
            if "community_models" in text and "coalesce" in text:
                lookups.append(statement)

        engine = client.app.state.db.engine.sync_engine
        event.listen(engine, "before_cursor_execute", seen)
        try:
            again = await imported(client, MODELS, rows, admin(), on_existing="skip")
        finally:
            event.remove(engine, "before_cursor_execute", seen)
    assert (again["status"], again["skipped"], again["created"]) == ("done", 30, 0), again
    assert len(lookups) == 1, lookups
