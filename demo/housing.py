"""Demo data for the housing service: Si Ma Cai's temporary-house removal (SEED.md).

Si Ma Cai (old district 084) completed 628 houses by the end of December 2024 for 87 billion
VND, 32.6 billion of it from the state budget and the rest from the households. The seed gives
only these totals; how the houses spread over the district's ten old communes, groups and
support types, the dates, and the split of the state budget between central (70%) and local
(30%) budgets are illustrative, made so that every total of the seed is met exactly.

Everything goes through the public API with client-made ids (uuid5), so a second run finds
every record and creates nothing new. Run against a running gateway:

    MTQG_ADMIN_PASSWORD=... .venv/bin/python -m demo housing [--gateway http://127.0.0.1:8000]

About 5,000 requests: the gateway's per-caller rate limit may set the pace (the loader waits
as 429 Retry-After says).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import httpx

from demo.loader import submit_period_report

API = "/api/v1/housing"
NAMESPACE = uuid.UUID("0f6f1d1e-7c1b-4e55-9a51-5ac5a1d0c084")

DISTRICT = "084"
# The ten old communes of Si Ma Cai (2025-01 geography).
COMMUNES = (
    "02800",
    "02803",
    "02806",
    "02809",
    "02812",
    "02818",
    "02821",
    "02824",
    "02827",
    "02836",
)
HOUSES = 628
TOTAL_VND = 87_000_000_000
STATE_BUDGET_VND = 32_600_000_000
CENTRAL_BUDGET_VND = 22_820_000_000  # 70% of the state budget (illustrative split)
LOCAL_BUDGET_VND = STATE_BUDGET_VND - CENTRAL_BUDGET_VND
HOUSEHOLD_VND = TOTAL_VND - STATE_BUDGET_VND

CAMPAIGN_START = dt.date(2024, 4, 1)
FIRST_COMPLETION = dt.date(2024, 7, 15)
LAST_COMPLETION = dt.date(2024, 12, 25)
DEADLINE = dt.date(2024, 12, 31)
# Cumulative houses completed by each date, as a share of all houses.
MILESTONES = (
    (dt.date(2024, 8, 31), 150 / 628),
    (dt.date(2024, 10, 31), 400 / 628),
    (DEADLINE, 1.0),
)

_FAMILY = ("Giàng", "Sùng", "Lù", "Vàng", "Thào", "Lồ", "Ly", "Hầu", "Cư", "Chảo")
_MIDDLE = ("Seo", "A", "Thị", "Văn")
_GIVEN = ("Páo", "Dình", "Chứ", "Sử", "Pà", "Mỷ", "Lử", "Dế", "Sính", "Chía", "Vư", "Xà")
# 20 slots: 10% meritorious, 5% disaster, 50% poor, 30% near-poor, 5% other.
_GROUPS = ("meritorious",) * 2 + ("disaster",) + ("poor",) * 10 + ("near_poor",) * 6 + ("other",)


@dataclass(frozen=True, slots=True)
class DemoCase:
    id: str
    household_code: str
    head_of_household: str
    commune_code: str
    beneficiary_group: str
    support_type: str
    registered_on: dt.date
    steps: tuple[tuple[str, dt.date], ...]
    funding: tuple[tuple[str, str, int, dt.date], ...]  # (entry id, source, amount, on)


def split(total: int, weights: Sequence[int]) -> list[int]:
    """Integer shares of `total` in proportion to `weights`, summing to it exactly."""
    whole = sum(weights)
    shares = [total * w // whole for w in weights]
    order = sorted(range(len(weights)), key=lambda i: (-(total * weights[i] % whole), i))
    for i in order[: total - sum(shares)]:
        shares[i] += 1
    return shares


def _id(*parts: object) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join(str(p) for p in parts)))


def build_cases(count: int = HOUSES) -> list[DemoCase]:
    """The district's houses, the first `count` of them; with the default, every total of
    the seed is met exactly."""
    kinds = ["new_build" if i % 5 < 3 else "repair" for i in range(HOUSES)]
    weights = [2 if kind == "new_build" else 1 for kind in kinds]  # a new house costs more
    central = split(CENTRAL_BUDGET_VND, weights)
    local = split(LOCAL_BUDGET_VND, weights)
    household = split(HOUSEHOLD_VND, weights)
    span = (LAST_COMPLETION - FIRST_COMPLETION).days
    cases = []
    for i in range(count):
        registered = CAMPAIGN_START + dt.timedelta(days=i * 90 // HOUSES)
        surveyed = registered + dt.timedelta(days=3)
        approved = registered + dt.timedelta(days=7)
        started = registered + dt.timedelta(days=10)
        completed = FIRST_COMPLETION + dt.timedelta(days=i * span // (HOUSES - 1))
        handed_over = completed + dt.timedelta(days=3)
        commune = COMMUNES[i % len(COMMUNES)]
        case_id = _id("case", i)
        cases.append(
            DemoCase(
                id=case_id,
                household_code=f"SMC-{commune}-{i:04d}",
                head_of_household=(
                    f"{_FAMILY[i % 10]} {_MIDDLE[i % 4]} {_GIVEN[(i * 7) % len(_GIVEN)]}"
                ),
                commune_code=commune,
                beneficiary_group=_GROUPS[i % len(_GROUPS)],
                support_type=kinds[i],
                registered_on=registered,
                steps=(
                    ("surveyed", surveyed),
                    ("approved", approved),
                    ("in_progress", started),
                    ("completed", completed),
                    ("handed_over", handed_over),
                ),
                funding=(
                    (_id("funding", i, "central"), "central_budget", central[i], approved),
                    (_id("funding", i, "local"), "local_budget", local[i], started),
                    (_id("funding", i, "household"), "household", household[i], completed),
                ),
            )
        )
    return cases


def plan_body(cases: Sequence[DemoCase]) -> dict[str, Any]:
    new_build = sum(1 for c in cases if c.support_type == "new_build")
    milestones = []
    for due_on, share in MILESTONES:
        milestones.append(
            {"due_on": due_on.isoformat(), "completed_target": round(share * len(cases))}
        )
    return {
        "id": _id("plan", DISTRICT, len(cases)),
        "area_code": DISTRICT,
        "title": "Xóa nhà tạm, nhà dột nát huyện Si Ma Cai trước năm 2025",
        "target_new_build": new_build,
        "target_repair": len(cases) - new_build,
        "deadline": DEADLINE.isoformat(),
        "milestones": milestones,
    }


OBSTACLES = (
    {
        "id": _id("obstacle", 1),
        "area_code": DISTRICT,
        "title": "Poor households short of their counterpart contribution",
        "description": "Some poor households cannot pay their share of materials and labour.",
        "severity": "high",
        "reported_on": "2024-06-15",
        "resolution": "Relatives, neighbours and the youth union contributed labour days.",
        "resolved_on": "2024-07-10",
    },
    {
        "id": _id("obstacle", 2),
        "area_code": "02818",
        "geography": "2025-01",
        "title": "Landslide cuts the road to Lùng Thẩn",
        "description": "Trucks cannot bring cement and roofing to the upper villages.",
        "severity": "medium",
        "reported_on": "2024-08-12",
        "resolution": "The district cleared the road; materials were carried in by tractor.",
        "resolved_on": "2024-08-20",
    },
)


@dataclass
class Tally:
    created: int = 0
    found: int = 0
    steps: int = 0
    entries: int = 0
    finished: int = 0


async def _call(client: httpx.AsyncClient, method: str, url: str, **kwargs: Any) -> httpx.Response:
    """One request, retried while the gateway says "later" (rate limit, service restarting)."""
    for attempt in range(8):
        answer = await client.request(method, url, **kwargs)
        if answer.status_code not in (429, 502, 503, 504):
            return answer
        wait = float(answer.headers.get("retry-after", 0) or 0) or 0.5 * 2**attempt
        await asyncio.sleep(min(wait, 10.0))
    return answer


def _expect(answer: httpx.Response, *ok: int) -> None:
    if answer.status_code not in ok:
        where = f"{answer.request.method} {answer.request.url.path}"
        raise RuntimeError(f"{where}: {answer.status_code} {answer.text[:300]}")


PATH = ("registered", "surveyed", "approved", "in_progress", "completed", "handed_over")


async def _load_case(client: httpx.AsyncClient, case: DemoCase, tally: Tally) -> None:
    answer = await _call(client, "GET", f"{API}/cases/{case.id}")
    created = answer.status_code == 404
    if created:
        body = {
            "id": case.id,
            "household_code": case.household_code,
            "head_of_household": case.head_of_household,
            "commune_code": case.commune_code,
            "geography": "2025-01",
            "beneficiary_group": case.beneficiary_group,
            "support_type": case.support_type,
            "registered_on": case.registered_on.isoformat(),
        }
        answer = await _call(
            client,
            "POST",
            f"{API}/cases",
            json=body,
            headers={"Idempotency-Key": f"demo-{case.id}"},
        )
        _expect(answer, 201)
        tally.created += 1
    else:
        _expect(answer, 200)
        tally.found += 1
    status = answer.json()["status"]
    done = PATH.index(status) if status in PATH else len(PATH)
    for to, on in case.steps[done:]:
        step = {"to": to, "on": on.isoformat()}
        key = {"Idempotency-Key": f"demo-{case.id}-{to}"}
        _expect(
            await _call(
                client, "POST", f"{API}/cases/{case.id}/transitions", json=step, headers=key
            ),
            201,
        )
        tally.steps += 1
    recorded: set[str] = set()
    if not created:  # a case made just now has no money yet
        url = f"{API}/cases/{case.id}/funding"
        listed = await _call(client, "GET", url, params={"limit": 200})
        _expect(listed, 200)
        recorded = {entry["id"] for entry in listed.json()["items"]}
    for entry_id, source, amount, on in case.funding:
        if entry_id in recorded:
            continue
        entry = {"id": entry_id, "source": source, "amount_vnd": amount, "on": on.isoformat()}
        answer = await _call(client, "POST", f"{API}/cases/{case.id}/funding", json=entry)
        _expect(answer, 201, 409)  # 409: recorded meanwhile by a concurrent run
        tally.entries += answer.status_code == 201


async def _load_plan_and_obstacles(
    client: httpx.AsyncClient, cases: Sequence[DemoCase], log: Callable[[str], None]
) -> None:
    plan = plan_body(cases)
    answer = await _call(client, "POST", f"{API}/plans", json=plan)
    _expect(answer, 201, 409)
    progress = await _call(client, "GET", f"{API}/plans/{plan['id']}/progress")
    _expect(progress, 200)
    shown = progress.json()
    done = f"{shown['completed']}/{shown['target']}"
    log(f"housing: plan {plan['id']}: {done} houses, on track: {shown['on_track']}")
    for obstacle in OBSTACLES:
        report = {k: v for k, v in obstacle.items() if k not in ("resolution", "resolved_on")}
        answer = await _call(client, "POST", f"{API}/obstacles", json=report)
        _expect(answer, 201, 409)
        current = await _call(client, "GET", f"{API}/obstacles/{obstacle['id']}")
        _expect(current, 200)
        if current.json()["status"] == "open":
            fix = {"resolution": obstacle["resolution"], "resolved_on": obstacle["resolved_on"]}
            headers = {"If-Match": current.headers["etag"]}
            _expect(
                await _call(
                    client, "PATCH", f"{API}/obstacles/{obstacle['id']}", json=fix, headers=headers
                ),
                200,
            )


def capital_plans() -> list[dict[str, Any]]:
    """Si Ma Cai's 2024 allocations behind the state budget it spent: project 90.DA5's
    recurrent capital, central and local budget, as much as the houses took (the decision
    numbers and date are illustrative: the seed gives only the totals)."""
    return [
        {
            "id": _id("capital-plan", 2024, source),
            "year": 2024,
            "project_code": "90.DA5",
            "area_code": DISTRICT,
            "geography": "2025-01",
            "capital_type": "recurrent",
            "source": source,
            "amount_vnd": amount,
            "decision_number": f"{number}/QĐ-UBND",
            "decision_on": "2024-03-20",
        }
        for number, source, amount in (
            (512, "central_budget", CENTRAL_BUDGET_VND),
            (513, "local_budget", LOCAL_BUDGET_VND),
        )
    ]


async def load(
    client: httpx.AsyncClient,
    log: Callable[[str], None],
    *,
    houses: int = HOUSES,
    concurrency: int = 8,
) -> None:
    """Load Si Ma Cai's cases, steps, funding, plan and obstacles (the first `houses` of
    them; all 628 by default) and print the district's report."""
    cases = build_cases(houses)
    log(f"housing: loading {len(cases)} Si Ma Cai cases through {client.base_url}")
    tally = Tally()
    gate = asyncio.Semaphore(concurrency)

    async def one(case: DemoCase) -> None:
        async with gate:
            await _load_case(client, case, tally)
            tally.finished += 1
            if tally.finished % 100 == 0:
                log(f"housing: {tally.finished}/{len(cases)} cases")

    await asyncio.gather(*(one(case) for case in cases))
    log(
        f"housing: {tally.created} cases created, {tally.found} already there, "
        f"{tally.steps} steps and {tally.entries} funding entries recorded"
    )
    await _load_plan_and_obstacles(client, cases, log)
    for plan in capital_plans():
        _expect(await _call(client, "POST", f"{API}/capital-plans", json=plan), 201, 409)
    money = await _call(
        client,
        "GET",
        f"{API}/reports/disbursement",
        params={"area_code": DISTRICT, "year": 2024},
    )
    _expect(money, 200)
    spent = money.json()["totals"]
    log(
        f"housing: Si Ma Cai's 2024 capital: {spent['planned_vnd']:,} VND planned, "
        f"{spent['disbursed_vnd']:,} VND disbursed ({spent['disbursement_rate']:.0%})"
    )
    answer = await _call(
        client,
        "GET",
        f"{API}/reports/progress",
        params={"area_code": DISTRICT, "as_of": "2024-12-31"},
    )
    _expect(answer, 200)
    totals = answer.json()["totals"]
    log(
        f"housing: Si Ma Cai (084) as of 2024-12-31: {totals['completed']}/{totals['cases']} "
        f"houses completed, {totals['total_funding_vnd']:,} VND in all, "
        f"{totals['state_budget_vnd']:,} VND from the state budget"
    )
    await submit_period_report(client, log, "housing", "15")
