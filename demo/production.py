"""Bảo Yên's value chains (the seed, figures as of the end of 2024), through the public API.

What the seed says, and what this loader records in the 2025-01 geography (old district 087):
- zones of 2024 for the district: cinnamon 24,400 ha of which 500 ha certified EU-organic; tea
  284 ha; banana "more than 300 ha, more than half linked in value chains" (recorded as 310 ha,
  160 ha linked); fruit 260 ha;
- 10 linkage projects since 2021 with 29 billion VND of state support, 12 billion of it
  disbursed in 2024 (the split between projects and the other years' disbursements, 2.0, 4.5
  and 6.0 billion in 2021-2023, are this loader's assumptions);
- 76 processing facilities ("thousands of jobs": 2,577 here, an assumption);
- 44 OCOP products, 7 of them four-star (the other 37 three-star, an assumption).
`GET /api/v1/production/reports/overview?area_code=087&year=2024` then answers these figures.

Every record has a client-made id (uuid5 of a stable name) and status steps are taken only
from the status a project is in, so running the loader twice creates nothing new.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

from demo.loader import Loader, submit_period_report

API = "/api/v1/production"
BAO_YEN = "087"
GEOGRAPHY = "2025-01"
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://mtqg.laocai.gov.vn/demo/production")
# The old communes of Bảo Yên (2025-01), by code.
COMMUNES = {
    "02947": "Phố Ràng",
    "02950": "Tân Tiến",
    "02953": "Nghĩa Đô",
    "02956": "Vĩnh Yên",
    "02959": "Điện Quan",
    "02962": "Xuân Hoà",
    "02965": "Tân Dương",
    "02968": "Thượng Hà",
    "02971": "Kim Sơn",
    "02974": "Cam Cọn",
    "02977": "Minh Tân",
    "02980": "Xuân Thượng",
    "02983": "Việt Tiến",
    "02986": "Yên Sơn",
    "02989": "Bảo Hà",
    "02992": "Lương Sơn",
    "02998": "Phúc Khánh",
}
CODES = sorted(COMMUNES)
BILLION = 1_000_000_000

ZONES = [
    ("cinnamon", "Vùng quế tập trung Bảo Yên", 24_400, 500, "organic_eu", None),
    ("tea", "Vùng chè Bảo Yên", 284, None, None, None),
    ("banana", "Vùng chuối Bảo Yên", 310, None, None, 160),
    ("fruit", "Vùng cây ăn quả Bảo Yên", 260, None, None, None),
]


@dataclass(frozen=True)
class Project:
    code: str
    product: str
    crop: str
    communes: tuple[str, ...]
    year: int
    support_bn: float  # state support, billion VND
    disbursed_bn: dict[int, float]  # by year
    completed_on: str | None


PROJECTS = [
    Project("BY-LK-2021-01", "quế vỏ hữu cơ", "cinnamon", ("02953", "02956"), 2021, 2.0,
            {2021: 1.0, 2022: 1.0}, "2022-12-20"),
    Project("BY-LK-2021-02", "chè xanh", "tea", ("02980", "02986"), 2021, 2.5,
            {2021: 1.0, 2022: 1.0, 2023: 0.5}, "2023-12-15"),
    Project("BY-LK-2022-01", "tinh dầu quế", "cinnamon", ("02971", "02974"), 2022, 3.0,
            {2022: 1.5, 2023: 1.5}, "2023-12-20"),
    Project("BY-LK-2022-02", "chuối tiêu hồng", "banana", ("02989", "02992"), 2022, 2.5,
            {2022: 1.0, 2023: 1.0, 2024: 0.5}, "2024-12-10"),
    Project("BY-LK-2023-01", "quế thanh xuất khẩu", "cinnamon", ("02959", "02977"), 2023, 3.5,
            {2023: 1.5, 2024: 2.0}, "2024-12-15"),
    Project("BY-LK-2023-02", "cây ăn quả có múi", "fruit", ("02962", "02965"), 2023, 3.0,
            {2023: 1.0, 2024: 2.0}, "2024-12-20"),
    Project("BY-LK-2023-03", "chè shan", "tea", ("02968",), 2023, 2.8,
            {2023: 0.5, 2024: 1.5}, None),
    Project("BY-LK-2024-01", "quế hữu cơ EU", "cinnamon", ("02953", "02950"), 2024, 3.2,
            {2024: 2.0}, None),
    Project("BY-LK-2024-02", "chuối xuất khẩu", "banana", ("02983", "02998"), 2024, 3.0,
            {2024: 2.0}, None),
    Project("BY-LK-2024-03", "dược liệu dưới tán quế", "medicinal", ("02947", "02956"), 2024,
            3.5, {2024: 2.0}, None),
]  # fmt: skip

FACILITY_KINDS = ("household", "household", "cooperative", "household", "enterprise")
FACILITY_PRODUCTS = (
    ["quế vỏ", "quế thanh"],
    ["tinh dầu quế"],
    ["chè xanh"],
    ["chuối sấy"],
    ["gỗ quế"],
    ["măng khô"],
)
FACILITY_COUNT = 76
OCOP_COUNT = 44
OCOP_FOUR_STAR = 7
OCOP_PRODUCTS = (
    ("Quế vỏ Bảo Yên", "nông sản"),
    ("Tinh dầu quế", "thảo dược"),
    ("Chè xanh Bảo Yên", "đồ uống"),
    ("Chuối sấy", "thực phẩm"),
    ("Mật ong rừng", "thực phẩm"),
    ("Măng khô", "thực phẩm"),
)


def demo_id(*parts: object) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join(str(p) for p in parts)))


def vnd(billion: float) -> int:
    return round(billion * 10) * BILLION // 10


# Requests in flight at once (the loader's records are independent of each other).
CONCURRENCY = 6


async def _zones(loader: Loader) -> None:
    jobs = []
    for crop, name, area, certified, certification, linked in ZONES:
        body: dict[str, Any] = {
            "id": demo_id("zone", crop, 2024),
            "name": name,
            "crop": crop,
            "area_code": BAO_YEN,
            "year": 2024,
            "area_ha": area,
        }
        if certified is not None:
            body |= {"certified_area_ha": certified, "certification": certification}
        if linked is not None:
            body["linked_area_ha"] = linked
        jobs.append(loader.create("zones", body))
    await loader.all(jobs)
    loader.report("zones")


def _steps(project: Project) -> list[tuple[str, str]]:
    steps = [("approved", f"{project.year}-03-15"), ("in_progress", f"{project.year}-04-01")]
    if project.completed_on is not None:
        steps.append(("completed", project.completed_on))
    return steps


async def _walk(loader: Loader, project_id: str, steps: list[tuple[str, str]], upto: str) -> None:
    """Take the steps up to `upto` that lie beyond the project's present status."""
    answer = await loader.call("GET", f"projects/{project_id}")
    answer.raise_for_status()
    path = ["proposed", *(to for to, _ in steps)]
    now, end = path.index(answer.json()["status"]), path.index(upto)
    for to, on in steps[now:end]:
        moved = await loader.call(
            "POST", f"projects/{project_id}/transitions", json={"to": to, "on": on}
        )
        if moved.status_code != 201:
            raise RuntimeError(f"step to {to} answered {moved.status_code}: {moved.text}")


async def _project(loader: Loader, index: int, project: Project) -> None:
    support = vnd(project.support_bn)
    households = 60 + 15 * index
    project_id = demo_id("project", project.code)
    await loader.create(
        "projects",
        {
            "id": project_id,
            "code": project.code,
            "name": f"Liên kết sản xuất {project.product} Bảo Yên",
            "lead_entity": f"HTX nông nghiệp {COMMUNES[project.communes[0]]} (demo)",
            "lead_entity_type": "enterprise" if index % 4 == 3 else "cooperative",
            "product": project.product,
            "crop": project.crop,
            "commune_codes": list(project.communes),
            "geography": GEOGRAPHY,
            "start_on": f"{project.year}-03-01",
            "end_on": f"{project.year + 2}-12-31",
            # The state supports 60% of the cost (the cap is 70%).
            "total_cost_vnd": support * 5 // 3,
            "state_support_vnd": support,
            "households": households,
            "poor_households": households // 4,
            "near_poor_households": households // 5,
            "proposed_on": f"{project.year}-02-01",
        },
    )
    # Money first while the project is in progress, then the completion step.
    steps = _steps(project)
    await _walk(loader, project_id, steps, "in_progress")
    for year, billion in sorted(project.disbursed_bn.items()):
        await loader.create(
            f"projects/{project_id}/disbursements",
            {
                "id": demo_id("disbursement", project.code, year),
                "amount_vnd": vnd(billion),
                "on": f"{year}-06-30",
                "source": "central_budget" if year % 2 else "local_budget",
            },
        )
    # Two of the participating households of a project still going on (a completed one
    # takes none, also when the demo is loaded again).
    joining = ("poor", "near_poor") if project.completed_on is None else ()
    for n, poverty in enumerate(joining, start=1):
        await loader.create(
            f"projects/{project_id}/participants",
            {
                "id": demo_id("participant", project.code, n),
                "household_code": f"{project.code}-HH{n:02d}",
                "household_poverty": poverty,
            },
        )
    await _walk(loader, project_id, steps, steps[-1][0])


async def _facilities(loader: Loader) -> None:
    jobs = []
    for n in range(FACILITY_COUNT):
        kind = FACILITY_KINDS[n % len(FACILITY_KINDS)]
        commune = CODES[n % len(CODES)]
        workers = {"household": 12, "cooperative": 45, "enterprise": 90}[kind]
        jobs.append(
            loader.create(
                "facilities",
                {
                    "id": demo_id("facility", n),
                    "name": f"Cơ sở chế biến nông lâm sản {COMMUNES[commune]} số {n + 1}",
                    "commune_code": commune,
                    "geography": GEOGRAPHY,
                    "kind": kind,
                    "products": FACILITY_PRODUCTS[n % len(FACILITY_PRODUCTS)],
                    "jobs": workers,
                    "established_on": f"{2012 + n % 12}-{1 + n % 12:02d}-10",
                },
            )
        )
    await loader.all(jobs)
    loader.report("processing facilities")


async def _ocop(loader: Loader) -> None:
    jobs = []
    for n in range(OCOP_COUNT):
        stars = 4 if n < OCOP_FOUR_STAR else 3
        name, category = OCOP_PRODUCTS[n % len(OCOP_PRODUCTS)]
        commune = CODES[(n * 5) % len(CODES)]
        jobs.append(
            loader.create(
                "ocop-products",
                {
                    "id": demo_id("ocop", n),
                    "name": f"{name} ({COMMUNES[commune]}) #{n + 1}",
                    "producer": f"HTX {COMMUNES[commune]} (demo)",
                    "commune_code": commune,
                    "geography": GEOGRAPHY,
                    "category": category,
                    "stars": stars,
                    "score": (72 + n % 15) if stars == 4 else (52 + n % 15),
                    "certified_on": f"{2021 + n % 4}-{1 + n % 12:02d}-15",
                },
            )
        )
    await loader.all(jobs)
    loader.report("OCOP products")


# The 2024 allocation behind the 12 billion disbursed that year: the projects' 2024 money is
# local budget, recurrent capital (as `_project` records it). The 13 billion allocated, the
# decision's number and date are illustrative: the seed gives only what was disbursed.
CAPITAL_PLAN_2024 = {
    "id": demo_id("capital-plan", 2024),
    "year": 2024,
    "project_code": "1719.DA3",
    "area_code": BAO_YEN,
    "geography": "2025-01",
    "capital_type": "recurrent",
    "source": "local_budget",
    "amount_vnd": vnd(13),
    "decision_number": "1187/QĐ-UBND",
    "decision_on": "2024-03-28",
}


async def load(client: httpx.AsyncClient, log: Callable[[str], None]) -> None:
    loader = Loader(client, log, API, CONCURRENCY)
    await _zones(loader)
    await loader.all([_project(loader, i, p) for i, p in enumerate(PROJECTS)])
    loader.report("linkage projects and their disbursements")
    await _facilities(loader)
    await _ocop(loader)
    await loader.create("capital-plans", CAPITAL_PLAN_2024)
    loader.report("the 2024 capital plan")
    answer = await loader.call(
        "GET", "reports/overview", params={"area_code": BAO_YEN, "year": 2024}
    )
    answer.raise_for_status()
    overview = answer.json()
    land = overview["zones_by_crop"]
    projects = overview["projects"]
    log(
        "Bảo Yên 2024: cinnamon {:,.0f} ha ({:,.0f} ha certified), tea {:,.0f} ha, banana "
        "{:,.0f} ha ({:,.0f} linked), fruit {:,.0f} ha".format(
            land["cinnamon"]["area_ha"],
            land["cinnamon"]["certified_area_ha"],
            land["tea"]["area_ha"],
            land["banana"]["area_ha"],
            land["banana"]["linked_area_ha"],
            land["fruit"]["area_ha"],
        )
    )
    answer = await loader.call(
        "GET", "reports/disbursement", params={"area_code": BAO_YEN, "year": 2024}
    )
    answer.raise_for_status()
    money = answer.json()["totals"]
    log(
        f"Bảo Yên's 2024 capital: {money['planned_vnd']:,} VND planned, "
        f"{money['disbursed_vnd']:,} VND disbursed ({money['disbursement_rate']:.0%})"
    )
    log(
        f"{projects['count']} linkage projects, {projects['state_support_vnd']:,} VND of state "
        f"support, {projects['disbursed_vnd']:,} VND disbursed in 2024; "
        f"{overview['facilities']['count']} facilities; {overview['ocop']['count']} OCOP "
        f"products, {overview['ocop']['by_stars']['4']} four-star"
    )
    await submit_period_report(client, log, "production", "15")
