"""The cross-programme views over the four real processes, on the demo data set loaded through
the gateway: the overview answers the seed's figures, the household view tells one family's
story, and both answer in part when a service is stopped."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from demo import housing as demo_housing
from demo import labour as demo_labour
from demo import production as demo_production
from tests.e2e.conftest import DEMO_HOUSES, VIEW_TIMEOUT
from tests.stack import Stack

LA_PAN_TAN = "02791"  # old commune (2025-01) of the labour demo
CAO_SON = "02782"  # the 2025-07 commune that took it in
FAMILY = "LPT-001"  # Vàng Seo Dìn's household in the labour demo
OFFICER_PASSWORD = "field-officer-password"


def client_for(stack: Stack, token: str) -> httpx.Client:
    return httpx.Client(
        base_url=stack.url("gateway"), headers={"Authorization": f"Bearer {token}"}, timeout=30
    )


@pytest.fixture
def admin(demo: Stack) -> Iterator[httpx.Client]:
    with client_for(demo, demo.token()) as client:
        yield client


def overview(client: httpx.Client, **params: Any) -> dict[str, Any]:
    answer = client.get("/api/v1/overview", params=params)
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def test_overview_answers_the_seed_figures_of_each_area(admin: httpx.Client) -> None:
    si_ma_cai = overview(admin, area_code="084", year=2024)
    assert si_ma_cai["area"]["code"] == "084" and "Si Ma Cai" in si_ma_cai["area"]["name"]
    assert si_ma_cai["unavailable"] == []
    cases = demo_housing.build_cases(DEMO_HOUSES)
    housing = si_ma_cai["housing"]
    assert housing["cases"] == housing["completed"] == DEMO_HOUSES
    assert housing["total_funding_vnd"] == sum(a for c in cases for _, _, a, _ in c.funding)
    assert si_ma_cai["labour"]["departures"]["total"] == 0  # nobody from Si Ma Cai abroad

    la_pan_tan = overview(admin, area_code=LA_PAN_TAN, geography="2025-01", year=2024)
    labour = la_pan_tan["labour"]
    workers = demo_labour.build_workers()
    assert labour["departures"] == {"total": 12, "by_country": {"KR": 2, "TW": 10}}
    assert labour["in_preparation"] == 4  # the four preparing for Japan
    assert labour["remittances_vnd"] == sum(amount for w in workers for _, amount in w.sent)
    assert labour["profile"]["poor_rate"] == 0.404
    assert la_pan_tan["housing"]["cases"] == 0

    bao_yen = overview(admin, area_code=demo_production.BAO_YEN, year=2024)
    production = bao_yen["production"]
    assert production["projects"]["count"] == 10
    assert production["projects"]["state_support_vnd"] == 29_000_000_000
    assert production["projects"]["disbursed_vnd"] == 12_000_000_000
    assert production["zones_by_crop"]["cinnamon"]["area_ha"] == 24_400
    assert production["facilities"]["count"] == 76
    assert production["ocop"]["count"] == 44 and production["ocop"]["by_stars"]["4"] == 7


def test_overview_of_the_province_is_each_services_own_report(admin: httpx.Client) -> None:
    answer = overview(admin, year=2024)
    assert answer["area"] == {"code": "15", "name": "Tỉnh Lào Cai"}
    assert answer["as_of"] == "2024-12-31"
    housing = admin.get(
        "/api/v1/housing/reports/progress", params={"area_code": "15", "as_of": "2024-12-31"}
    )
    labour = admin.get("/api/v1/labour/reports/overview", params={"year": 2024})
    production = admin.get("/api/v1/production/reports/overview", params={"year": 2024})
    assert answer["housing"] == housing.json()["totals"]
    assert answer["labour"] == labour.json()
    assert answer["production"] == production.json()


def test_overview_keeps_to_the_callers_areas(demo: Stack, admin: httpx.Client) -> None:
    token = officer_token(demo, admin, areas=[CAO_SON])
    with client_for(demo, token) as officer:
        mine = overview(officer, area_code=CAO_SON, year=2024)
        assert mine["labour"]["departures"]["total"] == 12  # La Pan Tẩn lies in Cao Sơn
        assert mine["production"]["projects"]["count"] == 0
        province = overview(officer, year=2024)  # only what the officer may read
        assert province["labour"]["departures"]["total"] == 12
        assert province["housing"]["cases"] == 0  # Si Ma Cai is not theirs
        elsewhere = officer.get("/api/v1/overview", params={"area_code": "087"})
        assert elsewhere.status_code == 404
        assert elsewhere.json()["type"] == "/problems/not-found"
        bad = officer.get("/api/v1/overview", params={"area_code": "00000"})
        assert bad.status_code == 422


def test_household_view_tells_a_familys_story(demo: Stack, admin: httpx.Client) -> None:
    give_the_family_a_house_and_a_project(admin)
    answer = admin.get(f"/api/v1/households/{FAMILY}", headers={"X-Request-ID": "visit-lpt-1"})
    assert answer.status_code == 200, answer.text
    assert answer.headers["x-request-id"] == "visit-lpt-1"
    family = answer.json()
    assert family["household_code"] == FAMILY
    assert family["unavailable"] == [] and family["forbidden"] == []
    (case,) = family["housing"]["cases"]
    assert case["household_code"] == FAMILY and case["support_type"] == "repair"
    (worker,) = family["labour"]["workers"]
    assert worker["full_name"] == "Vàng Seo Dìn"
    (placement,) = family["labour"]["placements"]
    assert placement["destination_country"] == "TW"
    assert family["labour"]["remittances_vnd"] == placement["remittances_vnd"] == 305_000_000
    (project,) = family["production"]["projects"]
    assert project["code"] == "LPT-CATTLE-1"

    token = officer_token(demo, admin, areas=[demo_production.CODES[0]])  # not Cao Sơn
    with client_for(demo, token) as stranger:
        assert stranger.get(f"/api/v1/households/{FAMILY}").status_code == 404
    nobody = admin.get("/api/v1/households/NO-SUCH-HOUSEHOLD")
    assert nobody.status_code == 404
    assert nobody.json()["type"] == "/problems/not-found"


def test_views_answer_in_part_while_a_service_is_stopped(demo: Stack) -> None:
    with client_for(demo, demo.token()) as admin:
        give_the_family_a_house_and_a_project(admin)
        demo.stop("production")
        try:
            started = time.monotonic()
            partial = overview(admin, year=2024)
            family = admin.get(f"/api/v1/households/{FAMILY}")
            elapsed = time.monotonic() - started
        finally:
            demo.start("production")
        assert partial["unavailable"] == ["production"]
        assert partial["production"] is None
        assert partial["labour"]["departures"]["total"] == 12
        assert family.status_code == 200
        assert family.json()["unavailable"] == ["production"]
        assert family.json()["labour"]["remittances_vnd"] == 305_000_000
        assert elapsed < 2 * VIEW_TIMEOUT  # a stopped service is known at once
        # Back again, without restarting the gateway.
        assert overview(admin, year=2024)["unavailable"] == []


def officer_token(stack: Stack, admin: httpx.Client, areas: list[str]) -> str:
    username = f"officer-{uuid.uuid4().hex[:8]}"
    made = admin.post(
        "/api/v1/auth/users",
        json={
            "username": username,
            "password": OFFICER_PASSWORD,
            "roles": ["officer"],
            "areas": areas,
        },
    )
    assert made.status_code == 201, made.text
    answer = httpx.post(
        f"{stack.url('gateway')}/api/v1/auth/token",
        data={"grant_type": "password", "username": username, "password": OFFICER_PASSWORD},
        timeout=30,
    )
    assert answer.status_code == 200, answer.text
    return str(answer.json()["access_token"])


def give_the_family_a_house_and_a_project(admin: httpx.Client) -> None:
    """A repair case for Dìn's family, and a cattle project it joins (made once; client-made
    ids make a second call find them)."""
    case = {
        "id": str(uuid.uuid5(uuid.NAMESPACE_URL, "e2e/lpt-001/case")),
        "household_code": FAMILY,
        "head_of_household": "Vàng Seo Dìn",
        "commune_code": LA_PAN_TAN,
        "geography": "2025-01",
        "beneficiary_group": "poor",
        "support_type": "repair",
        "registered_on": "2025-03-01",
    }
    made = admin.post("/api/v1/housing/cases", json=case)
    assert made.status_code in (201, 409), made.text
    project_id = str(uuid.uuid5(uuid.NAMESPACE_URL, "e2e/lpt-001/project"))
    project = {
        "id": project_id,
        "code": "LPT-CATTLE-1",
        "name": "Nuôi bò sinh sản La Pan Tẩn",
        "lead_entity": "HTX chăn nuôi La Pan Tẩn (e2e)",
        "lead_entity_type": "cooperative",
        "product": "bò thịt",
        "crop": "livestock",
        "commune_codes": [LA_PAN_TAN],
        "geography": "2025-01",
        "start_on": "2025-04-01",
        "total_cost_vnd": 1_000_000_000,
        "state_support_vnd": 600_000_000,
        "households": 20,
        "poor_households": 8,
        "near_poor_households": 6,
        "proposed_on": "2025-03-15",
    }
    made = admin.post("/api/v1/production/projects", json=project)
    assert made.status_code in (201, 409), made.text
    joined = admin.post(
        f"/api/v1/production/projects/{project_id}/participants",
        json={"household_code": FAMILY, "household_poverty": "poor"},
    )
    assert joined.status_code in (201, 409), joined.text
