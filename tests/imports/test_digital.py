"""Digital's resources imported from a spreadsheet (API.md sections 10 and 13): each one's
template filled and sent back, one of its rules refused by row, its natural key, the area
rule; commune profiles as their PUT, named by commune and year."""

from __future__ import annotations

import datetime as dt

import httpx

from digital.imports import IMPORTS
from mtqg_shared.kit.importing import Importable
from mtqg_shared.types import today_vn
from tests.digital.helpers import (
    API,
    ELSEWHERE,
    GIA_PHU,
    XUAN_GIAO,
    admin,
    approver,
    create_village,
    officer,
    put_profile,
)
from tests.imports.declared import (
    Declared,
    DeclaredImports,
    imported,
    records,
    resources,
)
from tests.imports.helpers import errors_of


def _future() -> dt.date:
    return today_vn() + dt.timedelta(days=10)


ASSETS = Declared(
    API,
    "assets",
    (
        {
            "kind": "camera",
            "commune_code": GIA_PHU,
            "village": "Đông Căm",
            "installed_on": dt.date(2025, 8, 15),
            "count": 5,
            "connected_to_ioc": True,
        },
        {
            "kind": "speaker_cluster",
            "commune_code": GIA_PHU,
            "village": "Gia Lan",
            "installed_on": dt.date(2025, 9, 1),
            "count": 2,
            "status": "active",
        },
    ),
    broken=(
        {
            "kind": "computer",
            "commune_code": GIA_PHU,
            "installed_on": dt.date(2025, 8, 20),
            "count": 3,
            "connected_to_ioc": True,
        },
        "connected_to_ioc",
        "invalid",
    ),
    key=("kind", "commune_code", "village", "installed_on"),
    changed={"count": 4, "status": "broken"},
    dated="installed_on",
)

TEAMS = Declared(
    API,
    "teams",
    (
        {
            "commune_code": GIA_PHU,
            "village": "Đông Căm",
            "established_on": dt.date(2025, 8, 10),
            "members": 5,
        },
        {
            "commune_code": GIA_PHU,
            "village": "Gia Lan",
            "established_on": dt.date(2025, 8, 20),
            "members": 7,
        },
    ),
    broken=(
        {"commune_code": GIA_PHU, "village": "Phú Hà", "established_on": _future(), "members": 4},
        "established_on",
        "in_future",
    ),
    key=("commune_code", "village"),
    changed={"members": 8},
    dated="established_on",
)

PROFILES = Declared(
    API,
    "commune-profiles",
    (
        {"commune_code": GIA_PHU, "year": 2025, "officials": 25, "officials_it_certified": 22},
        {
            # Before 2025 the year reads the old units: the old commune Gia Phú.
            "commune_code": GIA_PHU,
            "year": 2024,
            "officials": 23,
            "officials_it_certified": 20,
            "online_dossier_rate": 0.85,
            "households": 1450,
            "households_fibre": 1210,
            "adults_with_smartphone": 3100,
        },
    ),
    broken=(
        {"commune_code": GIA_PHU, "year": 2023, "officials": 20, "officials_it_certified": 21},
        "officials_it_certified",
        "over_cap",
    ),
    key=("commune_code", "year"),
    changed={"officials": 26, "officials_it_certified": 24},
)

VILLAGES = Declared(
    API,
    "smart-villages",
    (
        {"commune_code": GIA_PHU, "village": "Đông Căm", "started_on": dt.date(2025, 8, 1)},
        {"commune_code": GIA_PHU, "village": "Gia Lan", "started_on": dt.date(2025, 9, 15)},
    ),
    broken=(
        {"commune_code": GIA_PHU, "village": "Phú Hà", "started_on": _future()},
        "started_on",
        "in_future",
    ),
    key=("commune_code", "village"),
    changed={"started_on": dt.date(2025, 8, 5)},
    dated="started_on",
)

SELLERS = Declared(
    API,
    "sellers",
    (
        {
            "name": "Hợp tác xã nông nghiệp Gia Phú",
            "kind": "cooperative",
            "commune_code": GIA_PHU,
            "since": dt.date(2025, 8, 1),
            "platforms": ["postmart.vn", "Facebook"],
            "ocop_products_online": 11,
        },
        {
            "name": "Hộ kinh doanh Lò Thị Xuân",
            "kind": "household",
            "commune_code": GIA_PHU,
            "since": dt.date(2025, 9, 10),
            "platforms": ["Zalo", "TikTok Shop"],
            "ocop_products_online": 0,
        },
    ),
    broken=(
        {
            "name": "Công ty TNHH chè Gia Phú",
            "kind": "enterprise",
            "commune_code": GIA_PHU,
            "since": dt.date(2025, 8, 15),
            "platforms": ["voso.vn", "voso.vn"],
            "ocop_products_online": 2,
        },
        "platforms.1",  # the cell's second platform, as the single create names it
        "listed_twice",
    ),
    key=("name", "commune_code"),
    changed={"platforms": ["postmart.vn", "Facebook", "voso.vn"], "ocop_products_online": 12},
    dated="since",
)

SPENDING = Declared(
    API,
    "spending",
    (
        {
            "commune_code": GIA_PHU,
            "on": dt.date(2025, 9, 30),
            "amount_vnd": 150_000_000,
            "source": "local_budget",
            "purpose": "Lắp camera giám sát kết nối IOC",
            "capital_type": "investment",
        },
        {
            "commune_code": GIA_PHU,
            "on": dt.date(2025, 10, 20),
            "amount_vnd": 80_000_000,
            "source": "central_budget",
            "purpose": "Mua máy tính cho bộ phận một cửa",
            "project_code": "263.CDS",
        },
    ),
    broken=(
        {
            "commune_code": GIA_PHU,
            "on": dt.date(2025, 9, 1),
            "amount_vnd": 9_000_000,
            "source": "mobilised",
            "purpose": "Tập huấn tổ công nghệ số",
            "project_code": "1719.DA8",
        },
        "project_code",
        "invalid_choice",
    ),
)

DECLARED = (ASSETS, TEAMS, PROFILES, VILLAGES, SELLERS, SPENDING)


# A village's steps: rows naming a village made by VILLAGES' rows.
STEP = {
    "commune_code": GIA_PHU,
    "village": "Đông Căm",
    "to": "recognised",
    "on": dt.date(2025, 11, 20),
    "decision_number": "4102/QĐ-UBND",
}
STEPS = Declared(API, "transitions", (STEP, STEP), broken=(STEP, "", ""))


class TestDigital(DeclaredImports):
    service = "digital"
    declared = DECLARED
    imports = IMPORTS
    home = GIA_PHU
    elsewhere = ELSEWHERE
    old_home = XUAN_GIAO

    async def prepare(self, client: httpx.AsyncClient, entry: Importable) -> None:
        if entry.name == "transitions":  # the example's village, from before its step
            village = entry.example["village"]
            await create_village(
                client, village=village, geography="2025-01", started_on="2023-03-01"
            )

    async def test_a_step_row_names_its_village_and_moves_it_as_its_route_would(
        self, client: httpx.AsyncClient
    ) -> None:
        """Recognition is an approver's step: an officer's row is refused, as a village the
        sheet names that does not exist; an approver's recognises the village."""
        made = await imported(client, VILLAGES, VILLAGES.rows, admin())
        assert made["created"] == 2, made
        unknown = STEP | {"village": "Phú Hà"}
        refused = await imported(client, STEPS, [STEP, unknown], officer(GIA_PHU))
        assert errors_of(refused) == [(2, None, "forbidden"), (3, "village", "not_found")]
        job = await imported(client, STEPS, [STEP], approver(GIA_PHU))
        assert (job["status"], job["created"]) == ("done", 1), job
        listed = await records(client, VILLAGES, admin())
        [village] = [v for v in listed if v["village"] == STEP["village"]]
        assert (village["status"], village["recognised_on"]) == ("recognised", "2025-11-20")
        assert village["decision_number"] == STEP["decision_number"]
        again = await imported(client, STEPS, [STEP], approver(GIA_PHU))
        assert errors_of(again) == [(2, None, "invalid_state")]

    async def test_resources_list_every_declared_resource_and_its_natural_key(
        self, client: httpx.AsyncClient
    ) -> None:
        items = await resources(client, API, admin())
        assert [(i["resource"], i["natural_key"]) for i in items] == [
            ("assets", ["kind", "commune_code", "village", "installed_on"]),
            ("teams", ["commune_code", "village"]),
            ("commune-profiles", ["commune_code", "year"]),
            ("smart-villages", ["commune_code", "village"]),
            ("transitions", []),
            ("sellers", ["name", "commune_code"]),
            ("spending", []),
            ("capital-plans", []),
        ]
        fields = {i["resource"]: i["fields"] for i in items}
        # A profile's row is the PUT's path, then its body.
        assert fields["commune-profiles"][:4] == ["commune_code", "year", "geography", "officials"]
        assert all("id" not in f for f in fields.values())
        assert "asset_id" in fields["spending"]

    async def test_a_profile_row_is_the_put_of_its_commune_and_year(
        self, client: httpx.AsyncClient
    ) -> None:
        """A profile put through the API is the one a row of its commune and year names: the
        update replaces its figures as a PUT at its version would; a year to come is refused."""
        put = await put_profile(client, GIA_PHU, 2025, officials=20, officials_it_certified=10)
        assert put.status_code == 201, put.text
        row = dict(PROFILES.rows[0])
        job = await imported(client, PROFILES, [row], admin(), on_existing="update")
        assert (job["status"], job["updated"]) == ("done", 1), job
        answer = await client.get(f"{API}/commune-profiles/{GIA_PHU}/2025", headers=admin())
        assert answer.status_code == 200, answer.text
        profile = answer.json()
        assert (profile["officials"], profile["officials_it_certified"]) == (25, 22)
        assert (profile["version"], profile["it_certified_rate"]) == (2, 22 / 25)
        # Given in the other geography, the key does not name it; the row does not replace it.
        old = await put_profile(
            client, GIA_PHU, 2025, geography="2025-01", officials=9, officials_it_certified=4
        )
        assert old.status_code == 201, old.text
        job = await imported(client, PROFILES, [row | {"geography": "2025-01"}], admin())
        assert errors_of(job) == [(2, "commune_code", "exists")]
        kept = await client.get(
            f"{API}/commune-profiles/{GIA_PHU}/2025",
            params={"geography": "2025-01"},
            headers=admin(),
        )
        assert (kept.json()["officials"], kept.json()["version"]) == (9, 1)
        later = row | {"year": today_vn().year + 1}
        refused = await imported(client, PROFILES, [later], admin())
        assert errors_of(refused) == [(2, "year", "in_future")]
