"""The records the report tests create, and the figures the contract says they make,
computed here directly from those records (not by the service's code)."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from tests.labour.helpers import (
    ELSEWHERE,
    HOME,
    LA_PAN_TAN,
    MUONG_KHUONG,
    NEIGHBOUR,
    NEIGHBOUR_OLD,
    OLD_CAO_SON,
)

OLD, NEW = "2025-01", "2025-07"
CURRENT = {LA_PAN_TAN: HOME, OLD_CAO_SON: HOME, NEIGHBOUR_OLD: NEIGHBOUR}


@dataclass
class Case:
    """One placement as the test made it: where, who, what happened when, what was sent."""

    commune: str
    geography: str
    poverty: str
    country: str
    salary: int | None
    registered: str
    steps: dict[str, str]
    sent: dict[str, int] = field(default_factory=dict)
    reversed_months: tuple[str, ...] = ()

    @property
    def current(self) -> str:
        return CURRENT.get(self.commune, self.commune) if self.geography == OLD else self.commune

    @property
    def legacy(self) -> str | None:
        return self.commune if self.geography == OLD else None

    def on(self, status: str) -> dt.date | None:
        day = self.steps.get(status)
        return dt.date.fromisoformat(day) if day else None

    @property
    def status(self) -> str:
        return list(self.steps)[-1] if self.steps else "registered"


CASES = [
    Case(
        LA_PAN_TAN,
        OLD,
        "poor",
        "TW",
        35_000_000,
        "2023-09-01",
        {
            "training": "2023-10-01",
            "documents": "2023-12-01",
            "departed": "2024-02-10",
            "working": "2024-02-20",
        },
        {f"2024-{m:02d}": 31_000_000 for m in range(3, 13)} | {"2025-01": 20_000_000},
    ),
    Case(
        LA_PAN_TAN,
        OLD,
        "near_poor",
        "KR",
        40_000_000,
        "2024-01-15",
        {
            "training": "2024-02-01",
            "documents": "2024-03-01",
            "departed": "2024-05-01",
            "working": "2024-05-10",
            "broke_contract": "2024-11-01",
            "returned": "2025-02-01",
        },
        {"2024-06": 25_000_000, "2024-07": 25_000_000},
        reversed_months=("2024-07",),
    ),
    Case(
        OLD_CAO_SON,
        OLD,
        "none",
        "JP",
        None,
        "2024-03-01",
        {"training": "2024-04-01", "documents": "2024-06-01"},
    ),
    Case(
        HOME,
        NEW,
        "escaped",
        "TW",
        30_000_000,
        "2023-01-05",
        {
            "training": "2023-02-01",
            "documents": "2023-03-01",
            "departed": "2023-06-01",
            "returned": "2024-08-01",
        },
        {"2023-07": 10_000_000, "2024-02": 12_000_000},
    ),
    Case(NEIGHBOUR_OLD, OLD, "poor", "KR", 38_000_000, "2024-01-01", {"withdrawn": "2024-03-01"}),
    Case(NEIGHBOUR_OLD, OLD, "poor", "JP", None, "2024-04-01", {"training": "2024-05-01"}),
    Case(
        ELSEWHERE,
        NEW,
        "unknown",
        "TW",
        33_000_000,
        "2024-12-01",
        {
            "training": "2024-12-15",
            "documents": "2025-01-10",
            "departed": "2025-03-01",
            "working": "2025-03-05",
        },
        {"2025-04": 22_000_000},
    ),
]
EVENTS = [  # (commune, geography, held_on, participants)
    (LA_PAN_TAN, OLD, "2024-03-15", 120),
    (LA_PAN_TAN, OLD, "2024-09-20", 80),
    (HOME, NEW, "2025-08-10", 60),
    (NEIGHBOUR_OLD, OLD, "2024-05-05", 45),
]
PROFILES = [  # (commune, geography, year, figures)
    (LA_PAN_TAN, OLD, 2024, (3400, 1000, 2040, 408, 404, 443)),
    (OLD_CAO_SON, OLD, 2024, (5000, 1100, 3100, 500, 300, 250)),
    (HOME, NEW, 2025, (12_000, 2600, 7000, 1300, 700, 650)),
]
FIGURES = (
    "population",
    "households",
    "working_age",
    "employed_elsewhere",
    "poor_households",
    "near_poor_households",
)


def in_area(area: tuple[str, str | None]) -> Callable[[str, str | None, str | None], bool]:
    """(code, geography) -> whether a record (current, legacy, legacy district) lies in it."""
    code, geography = area
    if code == "15" and geography is None:
        return lambda current, legacy, district: True
    if code == MUONG_KHUONG:
        return lambda current, legacy, district: district == MUONG_KHUONG
    if geography == OLD:
        return lambda current, legacy, district: legacy == code
    return lambda current, legacy, district: current == code


def district(case_legacy: str | None) -> str | None:
    return MUONG_KHUONG if case_legacy else None  # every old commune here is in 083


def expected(
    area: tuple[str, str | None], year: int | None, readable: set[str] | None
) -> dict[str, Any]:
    inside = in_area(area)

    def counted(current: str, legacy: str | None) -> bool:
        return (readable is None or current in readable) and inside(
            current, legacy, district(legacy)
        )

    cases = [c for c in CASES if counted(c.current, c.legacy)]
    end = dt.date(year, 12, 31) if year else None

    def during(day: dt.date | None) -> bool:
        return day is not None and (year is None or day.year == year)

    departed = [c for c in cases if during(c.on("departed"))]
    if end is None:
        preparing = [c for c in cases if c.status in ("registered", "training", "documents")]
        abroad = [c for c in cases if c.status in ("departed", "working", "broke_contract")]
        returned = [c for c in cases if c.status == "returned"]
    else:

        def by_end(day: dt.date | None) -> bool:
            return day is not None and day <= end

        preparing = [
            c
            for c in cases
            if dt.date.fromisoformat(c.registered) <= end
            and not by_end(c.on("departed"))
            and not by_end(c.on("withdrawn"))
        ]
        abroad = [c for c in cases if by_end(c.on("departed")) and not by_end(c.on("returned"))]
        returned = [c for c in cases if during(c.on("returned"))]
    sent: dict[str, int] = defaultdict(int)
    for c in cases:
        for month, amount in c.sent.items():
            if year is None or month.startswith(f"{year}-"):
                net = 0 if month in c.reversed_months else amount
                sent[c.country] += net
    salaries = [c.salary for c in departed if c.salary is not None]
    events = [
        e
        for e in EVENTS
        if counted(CURRENT.get(e[0], e[0]) if e[1] == OLD else e[0], e[0] if e[1] == OLD else None)
        and (year is None or e[2].startswith(str(year)))
    ]
    profiles = [
        p
        for p in PROFILES
        if counted(CURRENT.get(p[0], p[0]) if p[1] == OLD else p[0], p[0] if p[1] == OLD else None)
    ]
    which = year if year else max((p[2] for p in profiles), default=None)
    sums = [sum(p[3][i] for p in profiles if p[2] == which) for i in range(6)]
    chosen = [p for p in profiles if p[2] == which]
    return {
        "year": year,
        "departures": {
            "total": len(departed),
            "by_country": dict(Counter(c.country for c in departed)),
        },
        "in_preparation": len(preparing),
        "abroad": len(abroad),
        "returned": len(returned),
        "remittances_vnd": sum(sent.values()),
        "remittances_by_country": dict(sent),
        "avg_monthly_salary_vnd": int(
            (Decimal(sum(salaries)) / len(salaries)).quantize(Decimal(1), ROUND_HALF_UP)
        )
        if salaries
        else None,
        "departures_from_poor_or_near_poor": sum(
            c.poverty in ("poor", "near_poor") for c in departed
        ),
        "outreach": {"events": len(events), "participants": sum(e[3] for e in events)},
        "profile": None
        if not chosen
        else {
            "working_age": sums[2],
            "employed_elsewhere_rate": sums[3] / sums[2],
            "poor_rate": sums[4] / sums[1],
            "near_poor_rate": sums[5] / sums[1],
        },
    }
