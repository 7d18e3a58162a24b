"""Measure what each process holds in memory and spends in CPU, idle and under load, on
PostgreSQL: the figures the Kubernetes requests and limits are set from.

    .venv/bin/python deploy/kubernetes/measure.py [--postgres URL] [--seconds 20]

Every process runs as in its image (`python -m NAME`: uvicorn with uvloop and httptools, one
worker) on free ports against a database made for the run and dropped after it. Load: an
admin's token, then concurrent clients through the gateway asking for the cross-programme
overview (the gateway asks every service for its report) and each service's first list page,
for `--seconds`. It prints, per process, resident memory idle (VmRSS), the peak under load
(VmHWM) and the CPU seconds the load cost it.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import asyncpg
import httpx

from mtqg_shared.registry import GATEWAY, NAMES, SERVICES

ADMIN_PASSWORD = "measure-admin-password"
LISTS = {
    "housing": "cases",
    "labour": "workers",
    "production": "projects",
    "gender": "activities",
    "digital": "teams",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def status(pid: int, field: str) -> int:
    """A /proc/PID/status figure in KiB (VmRSS: resident now, VmHWM: the peak)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def load(gateway: str, seconds: float, clients: int) -> tuple[int, int]:
    async with httpx.AsyncClient(base_url=gateway, timeout=30) as client:
        answer = await client.post(
            "/api/v1/auth/token",
            data={"grant_type": "password", "username": "admin", "password": ADMIN_PASSWORD},
        )
        answer.raise_for_status()
        headers = {"Authorization": f"Bearer {answer.json()['access_token']}"}
        paths = ["/api/v1/overview?year=2025"] + [
            f"{s.prefix}/{LISTS[s.name]}" for s in SERVICES if s.name in LISTS
        ]
        done = failed = 0
        deadline = time.monotonic() + seconds

        async def worker(n: int) -> None:
            nonlocal done, failed
            i = n
            while time.monotonic() < deadline:
                response = await client.get(paths[i % len(paths)], headers=headers)
                done += 1
                failed += response.status_code >= 400
                i += 1

        await asyncio.gather(*(worker(n) for n in range(clients)))
        return done, failed


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--clients", type=int, default=32)
    args = parser.parse_args()
    database = f"mtqg_measure_{uuid.uuid4().hex[:8]}"
    server, _, _ = args.postgres.rpartition("/")

    async def admin(sql: str) -> None:
        connection = await asyncpg.connect(args.postgres)
        try:
            await connection.execute(sql)
        finally:
            await connection.close()

    asyncio.run(admin(f'CREATE DATABASE "{database}"'))
    ports = {name: free_port() for name in NAMES}
    env = {
        **os.environ,
        "MTQG_DATABASE_URL": f"{server}/{database}",
        "MTQG_ADMIN_PASSWORD": ADMIN_PASSWORD,
        "MTQG_ACCESS_LOG": "false",
        **{f"MTQG_{name.upper()}_PORT": str(port) for name, port in ports.items()},
    }
    procs: dict[str, subprocess.Popen[bytes]] = {}
    quiet = subprocess.DEVNULL
    with tempfile.TemporaryDirectory() as data:
        env["MTQG_DATA_DIR"] = data
        try:
            for name in NAMES:
                migrate = [sys.executable, "-m", "mtqg_shared.migrations", name, "upgrade"]
                subprocess.run(migrate, env=env, check=True, capture_output=True)  # noqa: S603
            for name in NAMES:
                procs[name] = subprocess.Popen(  # noqa: S603 (this interpreter, a registry name)
                    [sys.executable, "-m", name], env=env, stdout=quiet, stderr=quiet
                )
            for name in NAMES:
                url = f"http://127.0.0.1:{ports[name]}/readyz"
                for _ in range(300):
                    try:
                        if httpx.get(url, timeout=1).status_code == 200:
                            break
                    except httpx.TransportError:
                        pass
                    time.sleep(0.1)
            time.sleep(3)
            idle = {name: status(p.pid, "VmRSS") for name, p in procs.items()}
            cpu = {name: cpu_seconds(p.pid) for name, p in procs.items()}
            gateway = f"http://127.0.0.1:{ports[GATEWAY]}"
            done, failed = asyncio.run(load(gateway, args.seconds, args.clients))
            print(f"{done} requests through the gateway in {args.seconds:.0f} s, {failed} failed")
            print("| process | RSS idle MiB | RSS peak under load MiB | CPU s under load |")
            print("|---|---|---|---|")
            for name, p in procs.items():
                peak = status(p.pid, "VmHWM")
                spent = cpu_seconds(p.pid) - cpu[name]
                print(f"| {name} | {idle[name] / 1024:.0f} | {peak / 1024:.0f} | {spent:.1f} |")
        finally:
            for p in procs.values():
                p.terminate()
            for p in procs.values():
                p.wait(timeout=20)
            asyncio.run(admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
    return 0


if __name__ == "__main__":
    sys.exit(main())
