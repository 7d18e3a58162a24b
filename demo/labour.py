"""Demo data for the labour service: La Pan Tẩn's workers abroad (SEED.md).

La Pan Tẩn (old commune 02791 of Mường Khương, 083; since 2025-07 part of Cao Sơn, 02782) had
40.4% poor and 44.3% near-poor households at the end of 2024, and 2,040 people aged 15-60
(60% of the population), 20% of whom work outside the commune. In 2024 ten workers left for
Taiwan and two for Korea, and four were finishing their papers for Japan; pay is 30-40 million
VND a month, savings sent home 20-30 million; Vàng Seo Dìn sent more than 300 million home in
his first ten months in Taiwan. The commune works with the provincial Employment Service
Centre and Cema, a licensed international-cooperation company in Hanoi.

The seed gives these figures only. The number of households (1,000, which makes 40.4% and
44.3% whole households), the other workers' names, birth dates and identity numbers (made up:
birth province 010, serials 000001 upwards), the dates, salaries and monthly amounts, and the
outreach sessions are illustrative, chosen so that every figure of the seed is met.

Everything goes through the public API with client-made ids (uuid5) and Idempotency-Keys, so a
second run finds every record and creates nothing new. Run against a running gateway:

    MTQG_ADMIN_PASSWORD=... .venv/bin/python -m demo labour [--gateway http://127.0.0.1:8000]
"""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from demo.loader import submit_period_report

API = "/api/v1/labour"
NAMESPACE = uuid.UUID("6c0d3c8e-2f4b-4a0e-8d55-02791a0b2024")
COMMUNE = "02791"  # La Pan Tẩn, 2025-01
GEOGRAPHY = "2025-01"
YEAR = 2024

PROFILE = {
    "geography": GEOGRAPHY,
    "population": 3400,  # 2,040 people aged 15-60 are 60% of it
    "households": 1000,  # illustrative: the seed gives rates, not the count
    "working_age": 2040,
    "employed_elsewhere": 408,  # 20% of the working-age people
    "poor_households": 404,  # 40.4%
    "near_poor_households": 443,  # 44.3%
}

CENTRE = "centre"
CEMA = "cema"
PARTNERS = {
    CENTRE: {
        "name": "Trung tâm Dịch vụ việc làm tỉnh Lào Cai",
        "kind": "employment_service_centre",
        "address": "Lào Cai",
    },
    CEMA: {
        "name": "Công ty hợp tác quốc tế Cema",
        "kind": "licensed_company",
        "address": "Hà Nội",
    },
}
EVENTS = (  # (held_on, partner, topic, participants, registered interest)
    ("2024-01-20", CEMA, "Làm việc tại Đài Loan: đơn hàng nhà máy", 150, 24),
    ("2024-04-18", CENTRE, "Chương trình EPS: làm việc tại Hàn Quốc", 120, 15),
    ("2024-08-22", CEMA, "Thực tập sinh kỹ năng tại Nhật Bản", 95, 12),
)

_FAMILY = ("Giàng", "Sùng", "Lù", "Thào", "Lồ", "Ly", "Hầu", "Cư", "Chảo", "Vàng")
_GIVEN_MEN = ("Páo", "Chứ", "Sử", "Lử", "Dế", "Sính", "Vư", "Xà")
_GIVEN_WOMEN = ("Mỷ", "Pà", "Chía", "Dung", "Mai", "Sua")


@dataclass(frozen=True, slots=True)
class DemoWorker:
    key: str
    full_name: str
    gender: str
    born: dt.date
    poverty: str
    country: str
    scheme: str
    partner: str
    salary: int
    registered: dt.date
    steps: tuple[tuple[str, dt.date], ...]
    sent: tuple[tuple[str, int], ...] = field(default=())


def _id(*parts: object) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join(str(p) for p in parts)))


def national_id(index: int, gender: str, born: dt.date) -> str:
    """A made-up CCCD number shaped like a real one: birth province 010 (Lào Cai), a century
    and sex digit, the birth year's last two digits, a serial."""
    century = 0 if born.year < 2000 else 2
    sex = century + (1 if gender == "female" else 0)
    return f"010{sex}{born.year % 100:02d}{index:06d}"


def _months(first: dt.date, last_month: str) -> list[str]:
    """Every month from the one after `first` up to `last_month`, as YYYY-MM."""
    year, month = first.year, first.month
    months: list[str] = []
    while True:
        month += 1
        if month > 12:
            year, month = year + 1, 1
        label = f"{year:04d}-{month:02d}"
        if label > last_month:
            return months
        months.append(label)


def build_workers() -> list[DemoWorker]:
    workers: list[DemoWorker] = []
    # Ten to Taiwan (the first is Vàng Seo Dìn), two to Korea, four preparing for Japan.
    plan = [("TW", "contract", CEMA)] * 10 + [("KR", "eps", CENTRE)] * 2
    plan += [("JP", "titp", CEMA)] * 4
    poverty = ("poor", "near_poor", "poor", "near_poor", "none", "poor", "near_poor", "escaped")
    for i, (country, scheme, partner) in enumerate(plan):
        woman = i in (4, 9, 13)
        if i == 0:
            name = "Vàng Seo Dìn"
        else:
            given = _GIVEN_WOMEN[i % len(_GIVEN_WOMEN)] if woman else _GIVEN_MEN[i % 8]
            name = f"{_FAMILY[i % 10]} {'Thị' if woman else 'Seo'} {given}"
        born = dt.date(1992 + i % 10, 1 + i % 12, 5 + i)
        registered = dt.date(2023, 9, 1) + dt.timedelta(days=20 * i)
        training = registered + dt.timedelta(days=30)
        documents = training + dt.timedelta(days=60)
        steps: list[tuple[str, dt.date]] = [("training", training), ("documents", documents)]
        sent: list[tuple[str, int]] = []
        if country != "JP":
            departed = dt.date(2024, 2, 15) if i == 0 else documents + dt.timedelta(days=45)
            steps += [("departed", departed), ("working", departed + dt.timedelta(days=7))]
            for n, month in enumerate(_months(departed, f"{YEAR}-12")):
                # Dìn: 10 months of 30.5 million, "more than 300 million"; others 20-30 million.
                amount = 30_500_000 if i == 0 else 20_000_000 + 1_000_000 * ((i + n) % 11)
                sent.append((month, amount))
        salary = 40_000_000 if country == "KR" else 30_000_000 + 500_000 * (i % 11)
        workers.append(
            DemoWorker(
                key=f"worker-{i:02d}",
                full_name=name,
                gender="female" if woman else "male",
                born=born,
                poverty=poverty[i % len(poverty)],
                country=country,
                scheme=scheme,
                partner=partner,
                salary=salary,
                registered=registered,
                steps=tuple(steps),
                sent=tuple(sent),
            )
        )
    return workers


@dataclass
class Tally:
    created: int = 0
    found: int = 0
    steps: int = 0
    remittances: int = 0


async def _call(client: httpx.AsyncClient, method: str, url: str, **kwargs: Any) -> httpx.Response:
    """One request, retried while the gateway says "later" (rate limit, service restarting)."""
    for attempt in range(8):
        answer = await client.request(method, url, **kwargs)
        if answer.status_code not in (429, 502, 503, 504):
            return answer
        wait = float(answer.headers.get("retry-after", 0) or 0) or 0.5 * 2**attempt
        await asyncio.sleep(min(wait, 10.0))
    return answer


def _expect(answer: httpx.Response, *ok: int) -> dict[str, Any]:
    if answer.status_code not in ok:
        where = f"{answer.request.method} {answer.request.url.path}"
        raise RuntimeError(f"{where}: {answer.status_code} {answer.text[:300]}")
    return dict(answer.json()) if answer.content else {}


async def _ensure(
    client: httpx.AsyncClient, collection: str, body: dict[str, Any], tally: Tally
) -> dict[str, Any]:
    """The record with the body's id: read if there, else created (once, even if retried)."""
    found = await _call(client, "GET", f"{API}/{collection}/{body['id']}")
    if found.status_code == 200:
        tally.found += 1
        return dict(found.json())
    _expect(found, 404)
    key = {"Idempotency-Key": f"demo-labour-{body['id']}"}
    made = _expect(await _call(client, "POST", f"{API}/{collection}", json=body, headers=key), 201)
    tally.created += 1
    return made


PATH = ("registered", "training", "documents", "departed", "working")


async def _load_worker(
    client: httpx.AsyncClient, index: int, w: DemoWorker, partners: dict[str, str], tally: Tally
) -> None:
    worker = await _ensure(
        client,
        "workers",
        {
            "id": _id(w.key),
            "national_id": national_id(index + 1, w.gender, w.born),
            "full_name": w.full_name,
            "date_of_birth": w.born.isoformat(),
            "gender": w.gender,
            "ethnicity": "Mông",
            "commune_code": COMMUNE,
            "geography": GEOGRAPHY,
            "household_code": f"LPT-{index + 1:03d}",
            "household_poverty": w.poverty,
        },
        tally,
    )
    placement = await _ensure(
        client,
        "placements",
        {
            "id": _id(w.key, "placement"),
            "worker_id": worker["id"],
            "destination_country": w.country,
            "scheme": w.scheme,
            "partner_id": partners[w.partner],
            "contract_months": 36,
            "monthly_salary_vnd": w.salary,
            "registered_on": w.registered.isoformat(),
        },
        tally,
    )
    # The programme's support to the worker before leaving (project 90.DA4's money).
    support = {
        "id": _id(w.key, "support"),
        "commune_code": COMMUNE,
        "geography": GEOGRAPHY,
        "on": w.registered.isoformat(),
        "amount_vnd": 4_500_000,
        "source": "central_budget",
        "purpose": "Hỗ trợ học ngoại ngữ, bồi dưỡng kiến thức cần thiết trước khi xuất cảnh",
        "placement_id": placement["id"],
    }
    await _ensure(client, "spending", support, tally)
    done = PATH.index(placement["status"])
    for to, on in w.steps[done:]:
        key = {"Idempotency-Key": f"demo-labour-{placement['id']}-{to}"}
        step = {"to": to, "on": on.isoformat()}
        url = f"{API}/placements/{placement['id']}/transitions"
        _expect(await _call(client, "POST", url, json=step, headers=key), 201)
        tally.steps += 1
    url = f"{API}/placements/{placement['id']}/remittances"
    listed = _expect(await _call(client, "GET", url, params={"limit": 200}), 200)
    recorded = {entry["id"] for entry in listed["items"]}
    for month, amount in w.sent:
        entry_id = _id(w.key, "remittance", month)
        if entry_id in recorded:
            continue
        entry = {"id": entry_id, "month": month, "amount_vnd": amount}
        answer = await _call(client, "POST", url, json=entry)
        _expect(answer, 201, 409)  # 409: recorded meanwhile by a concurrent run
        tally.remittances += answer.status_code == 201


async def load(
    client: httpx.AsyncClient, log: Callable[[str], None], *, concurrency: int = 4
) -> None:
    """Load La Pan Tẩn's profile, partners, outreach, workers, placements, the support spent
    on each worker and their remittances, and print the commune's 2024 overview."""
    tally = Tally()
    log(f"labour: loading La Pan Tẩn through {client.base_url}")
    put = await _call(client, "PUT", f"{API}/commune-profiles/{COMMUNE}/{YEAR}", json=PROFILE)
    _expect(put, 200, 201)
    partners: dict[str, str] = {}
    for key, partner in PARTNERS.items():
        made = await _ensure(client, "partners", {"id": _id("partner", key), **partner}, tally)
        partners[key] = made["id"]
    for held_on, organiser, topic, participants, interest in EVENTS:
        body = {
            "id": _id("event", held_on),
            "commune_code": COMMUNE,
            "geography": GEOGRAPHY,
            "held_on": held_on,
            "partner_id": partners[organiser],
            "topic": topic,
            "participants": participants,
            "registered_interest": interest,
        }
        await _ensure(client, "outreach-events", body, tally)
    # The commune's allocation for the support to workers (illustrative: the seed is silent).
    capital = {
        "id": _id("capital-plan", YEAR),
        "year": YEAR,
        "project_code": "90.DA4",
        "area_code": COMMUNE,
        "geography": GEOGRAPHY,
        "capital_type": "recurrent",
        "source": "central_budget",
        "amount_vnd": 60_000_000,
        "decision_number": "46/QĐ-UBND",
        "decision_on": f"{YEAR}-02-15",
    }
    await _ensure(client, "capital-plans", capital, tally)
    gate = asyncio.Semaphore(concurrency)

    async def one(index: int, worker: DemoWorker) -> None:
        async with gate:
            await _load_worker(client, index, worker, partners, tally)

    await asyncio.gather(*(one(i, w) for i, w in enumerate(build_workers())))
    log(
        f"labour: {tally.created} records created, {tally.found} already there, "
        f"{tally.steps} steps and {tally.remittances} remittances recorded"
    )
    params = {"area_code": COMMUNE, "geography": GEOGRAPHY, "year": YEAR}
    report = _expect(await _call(client, "GET", f"{API}/reports/overview", params=params), 200)
    profile = report["profile"] or {}
    log(
        f"labour: La Pan Tẩn {YEAR}: {report['departures']['total']} departures "
        f"{report['departures']['by_country']}, {report['in_preparation']} in preparation, "
        f"{report['remittances_vnd']:,} VND sent home, poor {profile.get('poor_rate')}, "
        f"near-poor {profile.get('near_poor_rate')}, working age {profile.get('working_age')}"
    )
    await submit_period_report(client, log, "labour", "15")
