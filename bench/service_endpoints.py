"""What a service costs per request: its list page, single read and create, each through the
service alone, against the same SQL run directly with asyncpg and encoded with the standard
library's json (bench/raw_endpoints.py), side by side in one run, on PostgreSQL.

    .venv/bin/python -m bench.service_endpoints [--seconds 4] [--connections 16] [--profile]
        [--services gender,digital]
    make bench-service

Measures housing's cases, labour's workers, production's projects, gender's activities and
digital's assets (--services or --only: some of them). Creates a throwaway database on
--postgres, migrates the services measured and bulk-loads, with the loaders of the report
benchmarks, only theirs: 20,000 housing cases (with their steps and 80,000 funding entries),
20,000 labour workers (10,000 placements, 200,000 remittances), 10,000 production projects
(100,000 disbursements), 20,000 gender activities (1,000 community models, 2,000 materials,
10,000 spending entries) and 20,000 digital assets (their status periods, 2,000 teams, 200
smart villages, 500 sellers, 5,000 spending entries); then for each service starts `python -m
SERVICE` (as it runs in production: uvicorn, JSON access lines to a log file) and its raw
twin, both alone on core 0, with a test signing key (MTQG_JWT_PUBLIC_KEY) and a token of a
province admin. wrk (installed from the system's packages if missing) runs on core 1: one
thread, --connections connections, --seconds seconds per measurement after a one-second
warm-up; reads cycle over 1,000 ids and creates send fresh bodies (a Lua script numbers them),
so no two are alike (but gender's: nothing of an activity is unique).

Before timing, both sides must answer the same JSON (the list page and a read compared
whole, a create field by field but for its id and timestamps). It reports, per endpoint and
side, req/s, p50/p99 latency and the process's CPU time per request (from /proc/<pid>/stat),
and the ratio service / raw for CPU per request, against the goals of issue 9: at most
1.0 ms CPU per list request, every endpoint within 3x of its raw SQL plus JSON.

Only the public HTTP API (docs API.md) is driven; the database is reached directly only to
load it and by the raw twin. `--profile` samples the housing service with py-spy (installed
on demand) under the list load and prints where its time goes.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
import httpx
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from bench.common import admin_token, py_spy_record
from bench.gateway_forwarding import Processes, _find, _ms, cpu_seconds, free_port, wait_ready

SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"
LIST_GOAL_MS = 1.0
RATIO_GOAL = 3.0
RAW = (sys.executable, "-m", "bench.raw_endpoints")
SCALE = 1.0


@dataclass(frozen=True)
class Service:
    name: str
    collection: str
    # A create body; "{n}" becomes a number unique to the run and the request.
    body: str
    # Fields of a create's answer that differ between two creates of the same body shape.
    volatile: tuple[str, ...]

    @property
    def path(self) -> str:
        return f"/api/v1/{self.name}/{self.collection}"


SERVICES = (
    Service(
        "housing",
        "cases",
        json.dumps(
            {
                "household_code": "N{n}",
                "head_of_household": "Household {n}",
                "commune_code": "02824",
                "beneficiary_group": "poor",
                "support_type": "new_build",
            }
        ),
        ("id", "created_at", "updated_at", "household_code", "head_of_household"),
    ),
    Service(
        "labour",
        "workers",
        json.dumps(
            {
                "national_id": "{n}",
                "full_name": "Worker {n}",
                "date_of_birth": "1995-03-04",
                "gender": "female",
                "commune_code": "02824",
                "household_poverty": "poor",
            }
        ),
        ("id", "created_at", "updated_at", "national_id", "full_name"),
    ),
    Service(
        "production",
        "projects",
        json.dumps(
            {
                "name": "Cinnamon chain {n}",
                "lead_entity": "Van Yen cinnamon cooperative",
                "lead_entity_type": "cooperative",
                "product": "cinnamon bark",
                "crop": "cinnamon",
                "commune_codes": ["02809", "02824"],
                "start_on": "2025-08-01",
                "total_cost_vnd": 1_200_000_000,
                "state_support_vnd": 600_000_000,
                "households": 120,
                "poor_households": 30,
                "near_poor_households": 12,
            }
        ),
        ("id", "created_at", "updated_at", "name"),
    ),
    # Nothing of an activity is free text or unique: its bodies are alike.
    Service(
        "gender",
        "activities",
        json.dumps(
            {
                "kind": "communication",
                "held_on": "2025-09-12",
                "commune_code": "02824",
                "topics": ["domestic_violence", "child_marriage"],
                "languages": ["vi", "hmn"],
                "participants": 85,
                "participants_female": 60,
            }
        ),
        ("id", "created_at", "updated_at"),
    ),
    Service(
        "digital",
        "assets",
        json.dumps(
            {
                "kind": "camera",
                "commune_code": "02824",
                "village": "Village {n}",
                "installed_on": "2025-09-15",
                "count": 5,
                "connected_to_ioc": True,
            }
        ),
        ("id", "created_at", "updated_at", "village"),
    ),
)

# One thread of wrk: a counter numbers the bodies; reads cycle over ids. wrk.format with no
# headers takes wrk.headers, which hold the -H Authorization header.
CREATE_LUA = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local n = 0
request = function()
  n = n + 1
  local body = {parts}
  return wrk.format(nil, nil, nil, body)
end
"""
READ_LUA = """
local ids = {{{ids}}}
local i = 0
request = function()
  i = i % #ids + 1
  return wrk.format("GET", "{path}/" .. ids[i])
end
"""


NAMES = [s.name for s in SERVICES]


def names_of(text: str) -> list[str]:
    """`--services`: names of SERVICES, comma-separated."""
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in NAMES]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"not a service: {', '.join(unknown) or text!r} (choose from {', '.join(NAMES)})"
        )
    return names


def lua_body(template: str, prefix: str) -> str:
    """`template` as a Lua expression, each "{n}" the prefix and a 9-digit counter."""
    number = f'"{prefix}" .. string.format("%09d", n)'
    return f" .. {number} .. ".join(json.dumps(part) for part in template.split("{n}"))


def body_for(template: str, number: str) -> dict[str, Any]:
    return json.loads(template.replace("{n}", number))  # type: ignore[no-any-return]


def ensure_wrk() -> None:
    if shutil.which("wrk") is None:
        print("installing wrk from the system packages", flush=True)
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True, env=env)


def run_wrk(
    url: str, token: str, seconds: int, connections: int, script: Path | None
) -> dict[str, float]:
    command = ["taskset", "-c", "1", "wrk", "-t1", f"-c{connections}", f"-d{seconds}s"]
    command += ["--latency", "-H", f"Authorization: Bearer {token}"]
    if script is not None:
        command += ["-s", str(script)]
    out = subprocess.run([*command, url], check=True, capture_output=True, text=True).stdout
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return {
        "rps": float(_find(r"Requests/sec:\s+([\d.]+)", out)),
        "requests": int(_find(r"(\d+) requests in", out)),
        "p50": _ms(_find(r"50%\s+([\d.]+\w+)", out)),
        "p99": _ms(_find(r"99%\s+([\d.]+\w+)", out)),
        "errors": (int(non2xx.group(1)) if non2xx else 0)
        + (sum(int(n) for n in errors.groups()) if errors else 0),
    }


def signing() -> tuple[str, str]:
    """A fresh key pair: (the PEM public key the services verify with, an admin's token)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    token = admin_token(key)
    return pem.decode(), token


async def admin(server: str, statement: str) -> None:
    conn = await asyncpg.connect(server)
    try:
        await conn.execute(statement)
    finally:
        await conn.close()


def load(url: str, scale: float, names: list[str]) -> None:
    """Migrate and load the services measured, and only those."""
    from bench import digital_report, gender_report, production_data
    from bench.housing_report import _load as load_housing
    from bench.labour_report import load as load_labour
    from mtqg_shared.migrations import upgrade

    for name in names:
        upgrade(name, url)
    started = time.perf_counter()
    if "housing" in names:
        print("housing:", flush=True)
        asyncio.run(load_housing(url, 0.2 * scale, lambda line: print(f"  {line}", flush=True)))
    # Each of the others with its report benchmark's loader, on a connection to its schema.
    loaders: dict[str, Callable[[asyncpg.Connection], Awaitable[object]]] = {
        "labour": lambda conn: load_labour(conn, 0.1 * scale),
        "production": lambda conn: production_data.bulk_load(
            conn, production_data.Volumes(0.2 * scale)
        ),
        "gender": lambda conn: gender_report.bulk_load(conn, gender_report.Volumes(0.2 * scale)),
        "digital": lambda conn: digital_report.bulk_load(conn, digital_report.Volumes(0.1 * scale)),
    }

    async def others() -> None:
        for name, loader in loaders.items():
            if name not in names:
                continue
            conn = await asyncpg.connect(url, server_settings={"search_path": name})
            try:
                print(f"{name}:", flush=True)
                await loader(conn)
            finally:
                await conn.close()

    asyncio.run(others())
    print(f"loaded in {time.perf_counter() - started:.0f} s", flush=True)


async def some_ids(url: str, service: Service, n: int = 1000) -> list[str]:
    conn = await asyncpg.connect(url, server_settings={"search_path": service.name})
    try:
        rows = await conn.fetch(f"SELECT id FROM {service.collection} ORDER BY id LIMIT $1", n)
    finally:
        await conn.close()
    return [str(row["id"]) for row in rows]


def agree(service: Service, urls: dict[str, str], token: str, read_id: str) -> None:
    """Both sides answer the same JSON, or their times mean nothing."""
    headers = {"Authorization": f"Bearer {token}"}
    answers: dict[str, list[Any]] = {side: [] for side in urls}
    for path in (f"{service.path}?limit=20", f"{service.path}/{read_id}"):
        for side, base in urls.items():
            answer = httpx.get(base + path, headers=headers, timeout=30)
            assert answer.status_code == 200, f"{side} {path}: {answer.status_code} {answer.text}"
            answers[side].append(answer.json())
    for k, (side, base) in enumerate(urls.items()):
        body = body_for(service.body, f"8{k:02d}{0:09d}")
        answer = httpx.post(base + service.path, headers=headers, json=body, timeout=30)
        assert answer.status_code == 201, f"{side} create: {answer.status_code} {answer.text}"
        answers[side].append({k: v for k, v in answer.json().items() if k not in service.volatile})
    ours, raw = answers["service"], answers["raw"]
    for what, mine, theirs in zip(("list page", "read", "create"), ours, raw, strict=True):
        assert mine == theirs, f"{service.name} {what}: the service and raw SQL differ"
    assert ours[0]["next_cursor"] is not None, "the list page is the whole collection"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--postgres", default=SERVER, help="a PostgreSQL server URL")
    parser.add_argument("--seconds", type=int, default=4, help="per measurement")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--scale", type=float, default=SCALE, help="shrink or grow the data")
    parser.add_argument("--only", choices=NAMES, action="append", help="one service (repeatable)")
    parser.add_argument(
        "--services", type=names_of, help="services, comma-separated (gender,digital); default all"
    )
    parser.add_argument("--profile", action="store_true", help="sample housing's list (py-spy)")
    args = parser.parse_args()
    ensure_wrk()
    server = args.postgres.replace("postgresql+asyncpg://", "postgresql://")
    name = f"mtqg_bench_service_{uuid.uuid4().hex[:10]}"
    url = f"{server.rpartition('/')[0]}/{name}"
    folder = Path(tempfile.mkdtemp(prefix="mtqg-bench-service-"))
    pem, token = signing()
    env = {k: v for k, v in os.environ.items() if not k.startswith("MTQG_")}
    env |= {
        "MTQG_DATABASE_URL": url,
        "MTQG_DATA_DIR": str(folder),
        "MTQG_JWT_PUBLIC_KEY": pem,
        # As in production: JSON access lines (to the log file here) at level info.
        "MTQG_LOG_LEVEL": "info",
    }
    chosen = {*(args.only or ()), *(args.services or ())}
    services = [s for s in SERVICES if not chosen or s.name in chosen]
    results: dict[tuple[str, str, str], dict[str, float]] = {}
    asyncio.run(admin(server, f'CREATE DATABASE "{name}"'))
    try:
        load(url, args.scale, [s.name for s in services])
        print(
            f"\nwrk 1 thread, {args.connections} connections, {args.seconds:g} s per run; "
            "each process alone on core 0, wrk on core 1; load average "
            + " ".join(f"{x:.1f}" for x in os.getloadavg()),
            flush=True,
        )
        for service in services:
            run = Processes(folder, env)
            try:
                measure(service, run, url, token, args, folder, results)
            finally:
                run.stop()
        report(results, services, args)
    finally:
        asyncio.run(admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        shutil.rmtree(folder, ignore_errors=True)
        print(f"dropped {name}")
    return 0


def measure(
    service: Service,
    run: Processes,
    url: str,
    token: str,
    args: argparse.Namespace,
    folder: Path,
    results: dict[tuple[str, str, str], dict[str, float]],
) -> None:
    ports = {"service": free_port(), "raw": free_port()}
    procs = {
        "service": run.start(
            service.name,
            [sys.executable, "-m", service.name],
            core=0,
            **{f"MTQG_{service.name.upper()}_PORT": str(ports["service"])},
        ),
        "raw": run.start(
            f"{service.name}-raw",
            [*RAW, service.name, "--port", str(ports["raw"]), "--dsn", url],
            core=0,
        ),
    }
    urls = {side: f"http://127.0.0.1:{port}" for side, port in ports.items()}
    for side, proc in procs.items():
        wait_ready(f"{urls[side]}/healthz", proc)
    ids = asyncio.run(some_ids(url, service))
    agree(service, urls, token, ids[0])
    read_script = folder / f"{service.name}-read.lua"
    lua_ids = ", ".join(f'"{i}"' for i in ids)
    read_script.write_text(READ_LUA.format(ids=lua_ids, path=service.path))
    endpoints: dict[str, tuple[str, Path | None]] = {
        "list": (f"{service.path}?limit=20", None),
        "read": ("/", read_script),
        "create": (service.path, None),
    }
    runs = 0
    for endpoint, (path, script) in endpoints.items():
        for side in ("service", "raw"):
            for warm in (True, False):
                runs += 1
                if endpoint == "create":
                    # A fresh script per run: bodies numbered apart from every other run's.
                    script = folder / f"{service.name}-create-{runs}.lua"
                    parts = lua_body(service.body, f"9{runs:02d}")
                    script.write_text(CREATE_LUA.format(parts=parts))
                pid = procs[side].pid
                before = cpu_seconds(pid)
                seconds = 1 if warm else args.seconds
                result = run_wrk(urls[side] + path, token, seconds, args.connections, script)
                used = cpu_seconds(pid) - before
                if warm:
                    continue
                result["cpu_ms"] = 1000 * used / max(result["requests"], 1)
                results[(service.name, endpoint, side)] = result
                print(
                    f"{service.name:10} {endpoint:6} {side:7} {result['rps']:7.0f} req/s "
                    f"p50 {result['p50']:6.2f} ms p99 {result['p99']:6.2f} ms "
                    f"CPU {result['cpu_ms']:.3f} ms/request errors {result['errors']:.0f}",
                    flush=True,
                )
    if args.profile and service.name == "housing":
        profile(procs["service"].pid, urls["service"] + endpoints["list"][0], token, args, folder)


def report(
    results: dict[tuple[str, str, str], dict[str, float]],
    services: list[Service],
    args: argparse.Namespace,
) -> None:
    print(
        "\n| service | endpoint | service req/s | raw req/s | service p50 / p99 ms | "
        "raw p50 / p99 ms | service CPU ms/req | raw CPU ms/req | CPU ratio | errors |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    missed = []
    for service in services:
        for endpoint in ("list", "read", "create"):
            ours, raw = (
                results[(service.name, endpoint, "service")],
                results[(service.name, endpoint, "raw")],
            )
            ratio = ours["cpu_ms"] / raw["cpu_ms"]
            print(
                f"| {service.name} | {endpoint} | {ours['rps']:.0f} | {raw['rps']:.0f} | "
                f"{ours['p50']:.2f} / {ours['p99']:.2f} | {raw['p50']:.2f} / {raw['p99']:.2f} | "
                f"{ours['cpu_ms']:.3f} | {raw['cpu_ms']:.3f} | {ratio:.2f} | "
                f"{ours['errors'] + raw['errors']:.0f} |"
            )
            if ratio > RATIO_GOAL:
                missed.append(f"{service.name} {endpoint} at {ratio:.1f}x its raw SQL + JSON")
            if endpoint == "list" and ours["cpu_ms"] > LIST_GOAL_MS:
                missed.append(f"{service.name} list at {ours['cpu_ms']:.2f} ms CPU")
    print(
        f"\ngoals (issue 9): list CPU <= {LIST_GOAL_MS} ms/request, every endpoint within "
        f"{RATIO_GOAL:g}x of its raw SQL + JSON (CPU per request): "
        + ("met" if not missed else "NOT met: " + "; ".join(missed))
    )


def profile(pid: int, url: str, token: str, args: argparse.Namespace, folder: Path) -> None:
    """Sample the housing service with py-spy under the list load; print where time goes."""
    out = folder / "profile.txt"
    seconds = max(int(args.seconds), 5)
    sampler = py_spy_record(pid, out, seconds, rate=500)
    time.sleep(0.5)
    run_wrk(url, token, seconds, args.connections, None)
    sampler.wait(timeout=seconds + 30)
    own: collections.Counter[str] = collections.Counter()
    by_package: collections.Counter[str] = collections.Counter()
    inside: collections.Counter[str] = collections.Counter()
    total = idle = 0
    for line in out.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        frames = stack.split(";")
        n = int(count)
        total += n
        # The event loop waiting for work (no Python frame, or uvloop's run) is not cost.
        if frames[-1].strip() == "" or frames[-1].startswith(IDLE):
            idle += n
            continue
        own[frames[-1]] += n
        by_package[_package(frames[-1])] += n
        for part in {label for frame in frames for label, test in PARTS if test.search(frame)}:
            inside[part] += n
    busy = max(total - idle, 1)
    print(
        f"\npy-spy: {total} samples of the housing service under the list load, {idle} idle; "
        f"percentages of the {busy} busy ones"
    )
    print("own time (top 25):")
    for frame, n in own.most_common(25):
        print(f"  {100 * n / busy:5.1f}%  {frame}")
    print("\nown time by package:")
    for package, n in by_package.most_common(15):
        print(f"  {100 * n / busy:5.1f}%  {package}")
    print("\ntime under each part of the request (inclusive; parts nest, so they overlap):")
    for label, _ in PARTS:
        print(f"  {100 * inside[label] / busy:5.1f}%  {label}")


def _package(frame: str) -> str:
    found = re.search(r"\(([^()]+):\d+\)$", frame)
    parts = (found.group(1) if found else frame).split("/")
    if parts[0] in ("housing", "mtqg_shared") and len(parts) > 1:
        return "/".join(parts[:2])
    return parts[0]


IDLE = ("Runner.run (asyncio/runners.py", "Condition.wait (threading.py", "select (selectors")
# Where a list request's time goes, by the function (and file) that does the work.
PARTS = [
    (label, re.compile(pattern))
    for label, pattern in (
        ("observability middleware (request id, access line, metrics)", r"Observability"),
        ("access lines logged", r"AccessLines|logging/__init__"),
        ("starlette/fastapi routing", r"starlette/routing\.py"),
        ("dependency resolution (fastapi solve_dependencies)", r"solve_dependencies"),
        ("token check (cached)", r"TokenVerifier\.verify|current_principal"),
        ("the endpoint function (list_cases)", r"list_cases"),
        ("SQL statement building (select, where, keyset)", r"repository\.py.*page|keyset"),
        ("SQL compilation (SQLAlchemy compiler, cached lookups)", r"compiler\.py|_compile_w"),
        ("SQLAlchemy execute (session, connection, result)", r"Session\.execute|execute \("),
        ("ORM loading (rows into Case objects)", r"orm/loading\.py"),
        ("asyncpg driver (adapt, fetch)", r"dialects/postgresql/asyncpg\.py|asyncpg/"),
        ("greenlet switching (SQLAlchemy async bridge)", r"greenlet|await_only"),
        ("funding sums and norms (the two extra queries)", r"funding_of|norms \("),
        ("building the answers (to_read, pydantic models)", r"to_read"),
        ("response validation and serialisation (fastapi)", r"serialize_response"),
        ("JSON encoding (render, jsonable_encoder)", r"render|jsonable_encoder|dump_json"),
        ("uvicorn HTTP protocol (reading requests, writing answers)", r"httptools_impl"),
    )
]


if __name__ == "__main__":
    sys.exit(main())
