"""The real processes on free ports, on a database of their own: what the end-to-end and the
browser tests run against."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from mtqg_shared.registry import GATEWAY, SERVICE_NAMES
from tests import support
from tests.gateway.upstreams import free_port

ADMIN_PASSWORD = "e2e-admin-password-long"


@dataclass
class Stack:
    env: dict[str, str]
    ports: dict[str, int]
    logs: Path
    procs: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def url(self, service: str) -> str:
        return f"http://127.0.0.1:{self.ports[service]}"

    def start(self, service: str) -> None:
        """Start a process: a service or the gateway by name, or one of its further replicas
        (`housing-2`), on its own port."""
        log = (self.logs / f"{service}.log").open("ab")
        name = service.partition("-")[0]
        env = {**self.env, f"MTQG_{name.upper()}_PORT": str(self.ports[service])}
        self.procs[service] = subprocess.Popen(
            [sys.executable, "-m", name], env=env, stdout=log, stderr=subprocess.STDOUT
        )
        self.wait_healthy(service)

    def kill(self, service: str) -> None:
        """End the process at once (SIGKILL), as a crash or a lost machine would."""
        proc = self.procs.pop(service)
        proc.kill()
        proc.wait()

    def stop(self, service: str) -> None:
        proc = self.procs.pop(service)
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

    def pause(self, service: str) -> None:
        """Freeze the process (SIGSTOP): it still accepts connections, and answers nothing."""
        self.procs[service].send_signal(signal.SIGSTOP)

    def resume(self, service: str) -> None:
        self.procs[service].send_signal(signal.SIGCONT)

    def wait_healthy(self, service: str, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            proc = self.procs[service]
            if proc.poll() is not None:
                log = (self.logs / f"{service}.log").read_text(errors="replace")
                raise RuntimeError(f"{service} exited with {proc.returncode}:\n{log[-3000:]}")
            try:
                if httpx.get(f"{self.url(service)}/readyz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"{service} did not become ready within {timeout} s")

    def token(self) -> str:
        answer = httpx.post(
            f"{self.url('gateway')}/api/v1/auth/token",
            data={"grant_type": "password", "username": "admin", "password": ADMIN_PASSWORD},
            timeout=10,
        )
        assert answer.status_code == 200, answer.text
        return str(answer.json()["access_token"])


def replica_names(name: str, count: int) -> list[str]:
    """`housing`, `housing-2`, ...: the processes of one service (or of the gateway)."""
    return [name] + [f"{name}-{n}" for n in range(2, count + 1)]


@contextmanager
def running_stack(
    folder: Path,
    services: Sequence[str] = SERVICE_NAMES,
    settings: Mapping[str, str] | None = None,
    *,
    replicas: int = 1,
    gateways: int = 1,
) -> Iterator[Stack]:
    """The gateway and `services`, migrated and ready, with user `admin` (ADMIN_PASSWORD).
    The gateway's address of a service not started answers nothing. `settings` are more
    environment variables for every process. `replicas` processes of each service (each
    gateway lists them all) and `gateways` gateways, on one database."""
    started = [
        *(r for s in services for r in replica_names(s, replicas)),
        *replica_names(GATEWAY, gateways),  # the gateways start last
    ]
    every = [r for s in SERVICE_NAMES for r in replica_names(s, replicas)]
    ports = {name: free_port() for name in (*every, *replica_names(GATEWAY, gateways))}
    env = {k: v for k, v in os.environ.items() if not k.startswith("MTQG_")}
    env.update(
        {
            "MTQG_DATA_DIR": str(folder / "data"),
            "MTQG_ADMIN_PASSWORD": ADMIN_PASSWORD,
            "MTQG_JWKS_URL": f"http://127.0.0.1:{ports[GATEWAY]}/.well-known/jwks.json",
            "MTQG_LOG_LEVEL": "warning",
            "PYTHONUNBUFFERED": "1",
            **(settings or {}),
        }
    )
    env[f"MTQG_{GATEWAY.upper()}_PORT"] = str(ports[GATEWAY])
    for name in SERVICE_NAMES:
        env[f"MTQG_{name.upper()}_PORT"] = str(ports[name])
        urls = [f"http://127.0.0.1:{ports[r]}" for r in replica_names(name, replicas)]
        env[f"MTQG_{name.upper()}_URL"] = ",".join(urls)
    server = support.postgres_base_url()
    created: str | None = None
    if server is not None:
        url, created = support.create_postgres_database(server)
        env["MTQG_DATABASE_URL"] = url
    (folder / "data").mkdir()
    running = Stack(env=env, ports=ports, logs=folder)
    try:
        for name in dict.fromkeys(n.partition("-")[0] for n in started):
            subprocess.run(
                [sys.executable, "-m", "mtqg_shared.migrations", name, "upgrade"],
                env=env,
                check=True,
                capture_output=True,
            )
        for name in started:
            running.start(name)
        yield running
    finally:
        for name in list(running.procs):
            running.stop(name)
        if server is not None and created is not None:
            support.drop_postgres_database(server, created)
