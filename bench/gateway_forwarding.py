"""What the gateway costs: a service's list endpoint called directly, through the gateway and
through nginx (a keep-alive reverse proxy), side by side in one run.

    .venv/bin/python -m bench.gateway_forwarding [--seconds 10] [--rounds 2] [--profile]
    make bench-gateway

Installs nginx and wrk from the system's packages if missing (needs root), starts housing and
the gateway on free ports with their own data folder, seeds 20 cases, then runs wrk (1 thread,
32 connections) against each target, alternating, `--rounds` times; the best round of each
counts. The service runs alone on core 0; the gateway or nginx shares core 1 with wrk.

The gateway does its real work: it checks the token, counts the caller against the shared
rate limit (high enough never to refuse), makes and passes on a request id, writes its JSON
access log line (to a file) and updates its metrics. `--bare` adds a second gateway with the
rate limit and the access log switched off, to show what that work costs.

It reports throughput, p50/p99 latency, the gateway's CPU time per request (from
/proc/<pid>/stat), and every ratio. `--profile` samples the gateway with py-spy (installed on
demand) during one extra run and prints the hottest functions, by own time and by module.
"""

from __future__ import annotations

import argparse
import collections
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import IO

import httpx

from bench.common import py_spy_record

ADMIN_PASSWORD = "bench-admin-password"
PATH = "/api/v1/housing/cases?limit=20"
GOAL = 0.8


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def ensure_tools() -> None:
    missing = [name for name in ("nginx", "wrk") if shutil.which(name) is None]
    if "nginx" in missing and Path("/usr/sbin/nginx").exists():
        missing.remove("nginx")
    if missing:
        print(f"installing {', '.join(missing)} from the system packages", flush=True)
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", *missing], check=True, env=env)


def nginx_binary() -> str:
    return shutil.which("nginx") or "/usr/sbin/nginx"


def wait_ready(url: str, proc: subprocess.Popen[bytes], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"process for {url} exited with {proc.returncode}")
        try:
            if httpx.get(url, timeout=1).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{url} not ready")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = int(fields[11]) + int(fields[12])  # utime + stime
    return ticks / os.sysconf("SC_CLK_TCK")


def run_wrk(url: str, token: str, seconds: int, connections: int) -> dict[str, float]:
    out = subprocess.run(
        [
            "taskset",
            "-c",
            "1",
            "wrk",
            "-t1",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            "-H",
            f"Authorization: Bearer {token}",
            url,
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    rps = float(_find(r"Requests/sec:\s+([\d.]+)", out))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return {
        "rps": rps,
        "requests": int(_find(r"(\d+) requests in", out)),
        "p50": _ms(_find(r"50%\s+([\d.]+\w+)", out)),
        "p99": _ms(_find(r"99%\s+([\d.]+\w+)", out)),
        "errors": (int(non2xx.group(1)) if non2xx else 0)
        + (sum(int(n) for n in errors.groups()) if errors else 0),
    }


def _find(pattern: str, text: str) -> str:
    found = re.search(pattern, text)
    if found is None:
        raise RuntimeError(f"wrk printed no {pattern!r}:\n{text}")
    return found.group(1)


def _ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(\w+)", text).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


NGINX_CONF = """
worker_processes 1;
daemon off;
pid {folder}/nginx.pid;
error_log {folder}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    upstream service {{ server 127.0.0.1:{service_port}; keepalive 64; }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://service;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
        }}
    }}
}}
"""


class Processes:
    """The processes of one run, stopped (in reverse) on exit."""

    def __init__(self, folder: Path, env: dict[str, str]) -> None:
        self.folder = folder
        self.env = env
        self.procs: list[subprocess.Popen[bytes]] = []
        self.logs: list[IO[bytes]] = []

    def start(
        self, name: str, command: list[str], core: int, **env: str
    ) -> subprocess.Popen[bytes]:
        log = (self.folder / f"{name}.log").open("wb")
        self.logs.append(log)
        proc = subprocess.Popen(
            ["taskset", "-c", str(core), *command],
            env={**self.env, **env},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.procs.append(proc)
        return proc

    def stop(self) -> None:
        for proc in reversed(self.procs):
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
        for log in self.logs:
            log.close()


def seed(housing_url: str, token: str) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    for i in range(20):
        answer = httpx.post(
            f"{housing_url}/api/v1/housing/cases",
            headers=headers,
            json={
                "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"bench-case-{i}")),
                "household_code": f"BENCH-{i:03d}",
                "head_of_household": f"Household {i}",
                "commune_code": "02824",
                "beneficiary_group": "poor",
                "support_type": "new_build",
            },
            timeout=30,
        )
        assert answer.status_code in (201, 409), answer.text


def main() -> int:
    parser = argparse.ArgumentParser(description="gateway vs direct vs nginx")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--path", default=PATH, help="a housing path to ask for")
    parser.add_argument("--expect", type=int, default=200, help="the status it answers")
    parser.add_argument("--bare", action="store_true", help="also a gateway without its work")
    parser.add_argument("--profile", action="store_true", help="sample the gateway (py-spy)")
    parser.add_argument("--postgres", default="", help="run the service on PostgreSQL")
    args = parser.parse_args()
    ensure_tools()

    folder = Path(tempfile.mkdtemp(prefix="mtqg-bench-"))
    names = ("gateway", "bare", "housing", "nginx")
    ports = {name: free_port() for name in names}
    env = {k: v for k, v in os.environ.items() if not k.startswith("MTQG_")}
    env.update(
        {
            "MTQG_DATA_DIR": str(folder),
            "MTQG_ADMIN_PASSWORD": ADMIN_PASSWORD,
            "MTQG_GATEWAY_PORT": str(ports["gateway"]),
            "MTQG_HOUSING_PORT": str(ports["housing"]),
            "MTQG_HOUSING_URL": f"http://127.0.0.1:{ports['housing']}",
            "MTQG_JWKS_URL": f"http://127.0.0.1:{ports['gateway']}/.well-known/jwks.json",
            # As in production: JSON access lines (to the log files here) at level info.
            "MTQG_LOG_LEVEL": "info",
            # Counted and shared as always, but high enough never to refuse the benchmark.
            "MTQG_RATE_LIMIT_PER_MINUTE": "100000000",
        }
    )
    database = None
    if args.postgres:
        from tests.support import create_postgres_database

        url, database = create_postgres_database(args.postgres)
        env["MTQG_DATABASE_URL"] = url
    run = Processes(folder, env)
    try:
        for service in ("housing", "gateway"):
            subprocess.run(
                [sys.executable, "-m", "mtqg_shared.migrations", service, "upgrade"],
                env=env,
                check=True,
                capture_output=True,
            )
        housing = run.start("housing", [sys.executable, "-m", "housing"], core=0)
        gateway = run.start("gateway", [sys.executable, "-m", "gateway"], core=1)
        wait_ready(f"http://127.0.0.1:{ports['housing']}/healthz", housing)
        wait_ready(f"http://127.0.0.1:{ports['gateway']}/healthz", gateway)
        gateways = {"gateway": gateway}
        if args.bare:
            bare = run.start(
                "bare",
                [sys.executable, "-m", "gateway"],
                core=1,
                MTQG_GATEWAY_PORT=str(ports["bare"]),
                MTQG_RATE_LIMIT_PER_MINUTE="0",
                MTQG_ACCESS_LOG="false",
                MTQG_ADMIN_PASSWORD="",
            )
            wait_ready(f"http://127.0.0.1:{ports['bare']}/healthz", bare)
            gateways["bare"] = bare
        (folder / "nginx.conf").write_text(
            NGINX_CONF.format(folder=folder, service_port=ports["housing"], port=ports["nginx"])
        )
        nginx = run.start(
            "nginx", [nginx_binary(), "-c", str(folder / "nginx.conf"), "-p", str(folder)], core=1
        )
        wait_ready(f"http://127.0.0.1:{ports['nginx']}/healthz", nginx)

        token = httpx.post(
            f"http://127.0.0.1:{ports['gateway']}/api/v1/auth/token",
            data={"grant_type": "password", "username": "admin", "password": ADMIN_PASSWORD},
            timeout=30,
        ).json()["access_token"]
        seed(f"http://127.0.0.1:{ports['housing']}", token)
        targets = {"direct": f"http://127.0.0.1:{ports['housing']}{args.path}"}
        targets["gateway"] = f"http://127.0.0.1:{ports['gateway']}{args.path}"
        if args.bare:
            targets["bare"] = f"http://127.0.0.1:{ports['bare']}{args.path}"
        targets["nginx"] = f"http://127.0.0.1:{ports['nginx']}{args.path}"
        for name, url in targets.items():
            status = httpx.get(url, headers={"Authorization": f"Bearer {token}"}).status_code
            assert status == args.expect, f"{name} answered {status}"
            run_wrk(url, token, 2, args.connections)  # warm up

        print(
            f"{args.path}: wrk 1 thread, {args.connections} connections, {args.seconds} s, "
            f"{args.rounds} rounds; service on core 0, proxy and wrk on core 1",
            flush=True,
        )
        results: dict[str, list[dict[str, float]]] = collections.defaultdict(list)
        for round_ in range(args.rounds):
            for name, url in targets.items():
                pid = gateways[name].pid if name in gateways else housing.pid
                before = cpu_seconds(pid)
                result = run_wrk(url, token, args.seconds, args.connections)
                used = cpu_seconds(pid) - before
                result["cpu_ms"] = 1000 * used / max(result["requests"], 1)
                results[name].append(result)
                print(
                    f"round {round_ + 1} {name:8} {result['rps']:9.0f} req/s "
                    f"p50 {result['p50']:.2f} ms p99 {result['p99']:.2f} ms "
                    f"errors {result['errors']:.0f}",
                    flush=True,
                )
        report(results, list(targets), args.connections)
        if args.profile:
            profile(gateway.pid, targets["gateway"], token, args.seconds, args.connections, folder)
    finally:
        run.stop()
        if database is not None and args.postgres:
            from tests.support import drop_postgres_database

            drop_postgres_database(args.postgres, database)
        shutil.rmtree(folder, ignore_errors=True)
    return 0


def report(results: dict[str, list[dict[str, float]]], names: list[str], connections: int) -> None:
    def best(name: str) -> dict[str, float]:
        return max(results[name], key=lambda r: r["rps"])

    direct = best("direct")["rps"]
    print(
        "\n| target | req/s | share of direct | p50 ms | p99 ms | CPU ms/request "
        "(service for direct, gateway for gateways) | errors |"
    )
    print("|---|---|---|---|---|---|---|")
    for name in names:
        row = best(name)
        cpu = "" if name == "nginx" else f"{row['cpu_ms']:.3f}"
        print(
            f"| {name} | {row['rps']:.0f} | {row['rps'] / direct:.2f} | {row['p50']:.2f} | "
            f"{row['p99']:.2f} | {cpu} | {row['errors']:.0f} |"
        )
    share = best("gateway")["rps"] / direct
    print(f"\ngateway / direct: {share:.2f} (goal {GOAL} at {connections} connections: "
          f"{'met' if share >= GOAL else 'NOT met'})")  # fmt: skip
    print(f"gateway / nginx: {best('gateway')['rps'] / best('nginx')['rps']:.2f}")
    print(f"nginx / direct: {best('nginx')['rps'] / direct:.2f}")
    if "bare" in results:
        print(f"gateway / bare gateway: {best('gateway')['rps'] / best('bare')['rps']:.2f}")


def profile(pid: int, url: str, token: str, seconds: int, connections: int, folder: Path) -> None:
    """Sample the gateway with py-spy under load; print where its time goes."""
    out = folder / "profile.txt"
    sampler = py_spy_record(pid, out, seconds, rate=250)
    time.sleep(0.5)
    run_wrk(url, token, seconds, connections)
    sampler.wait(timeout=seconds + 30)
    own: collections.Counter[str] = collections.Counter()
    by_package: collections.Counter[str] = collections.Counter()
    inside: collections.Counter[str] = collections.Counter()
    total = 0
    for line in out.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        frames = stack.split(";")
        n = int(count)
        total += n
        own[frames[-1]] += n
        by_package[_package(frames[-1])] += n
        for part in {p for frame in frames if (p := _PARTS.get(frame.split(" (", 1)[0]))}:
            inside[part] += n
    print(f"\npy-spy: {total} samples of the gateway under load; own time (top 20):")
    for frame, n in own.most_common(20):
        print(f"  {100 * n / total:5.1f}%  {frame}")
    print("\nown time by package:")
    for package, n in by_package.most_common(12):
        print(f"  {100 * n / total:5.1f}%  {package}")
    print("\ntime under each part of the gateway's work (inclusive):")
    for part, n in inside.most_common():
        print(f"  {100 * n / total:5.1f}%  {part}")


def _package(frame: str) -> str:
    """'send (uvicorn/protocols/http/httptools_impl.py:524)' -> 'uvicorn'; the gateway's and
    the shared library's modules by name."""
    found = re.search(r"\(([^()]+):\d+\)$", frame)
    parts = (found.group(1) if found else frame).split("/")
    if parts[0] in ("gateway", "mtqg_shared") and len(parts) > 1:
        return "/".join(parts[:3] if parts[1] == "edge" else parts[:2])
    return parts[0]


# What the gateway does for a forwarded request, by the function that does it.
_PARTS = {
    "Observability.__call__": "request id, log, metrics, body limit (whole request)",
    "Observability._done": "access line and metrics, per request",
    "AccessLines.flush": "access lines logged (once per loop turn)",
    "request_id_from": "request id",
    "Edge.caller": "token check (cached), for the rate limit",
    "RateLimiter.hit": "rate limit",
    "Forwarder.forward": "forwarding (whole request)",
    "request_headers": "forwarding: request headers",
    "response_headers": "forwarding: response headers",
    "ClientSession._request": "forwarding: aiohttp request to the answer's head",
    "ClientResponse.read": "forwarding: aiohttp reading the answer's body",
    "RequestResponseCycle.send": "uvicorn writing the answer",
    "HttpToolsProtocol.data_received": "uvicorn reading requests",
    "RateLimiter.flush": "rate-limit counts shared (background)",
}


if __name__ == "__main__":
    sys.exit(main())
