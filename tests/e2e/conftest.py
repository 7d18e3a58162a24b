"""Start the four real processes on free ports, on their own database, for end-to-end tests."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from mtqg_shared.registry import SERVICE_NAMES
from tests import support

ADMIN_PASSWORD = "e2e-admin-password-long"
SERVICES = (*SERVICE_NAMES, "gateway")  # the gateway starts last
FORWARD_TIMEOUT = 5.0
VIEW_TIMEOUT = 3.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Stack:
    env: dict[str, str]
    ports: dict[str, int]
    logs: Path
    procs: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def url(self, service: str) -> str:
        return f"http://127.0.0.1:{self.ports[service]}"

    def start(self, service: str) -> None:
        log = (self.logs / f"{service}.log").open("ab")
        self.procs[service] = subprocess.Popen(
            [sys.executable, "-m", service], env=self.env, stdout=log, stderr=subprocess.STDOUT
        )
        self.wait_healthy(service)

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


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    folder = tmp_path_factory.mktemp("e2e")
    ports = {service: free_port() for service in SERVICES}
    env = {k: v for k, v in os.environ.items() if not k.startswith("MTQG_")}
    env.update(
        {
            "MTQG_DATA_DIR": str(folder / "data"),
            "MTQG_ADMIN_PASSWORD": ADMIN_PASSWORD,
            "MTQG_JWKS_URL": f"http://127.0.0.1:{ports['gateway']}/.well-known/jwks.json",
            "MTQG_LOG_LEVEL": "warning",
            "PYTHONUNBUFFERED": "1",
            # The gateway's deadlines, short enough for the resilience tests to wait them out.
            "MTQG_FORWARD_TIMEOUT_SECONDS": str(FORWARD_TIMEOUT),
            "MTQG_VIEW_TIMEOUT_SECONDS": str(VIEW_TIMEOUT),
            # A small pool: one connection leaked per early-leaving client would soon show.
            "MTQG_FORWARD_POOL_SIZE": "8",
            # The demo data set is loaded through the gateway by one caller.
            "MTQG_RATE_LIMIT_PER_MINUTE": "1000000",
        }
    )
    for service, port in ports.items():
        env[f"MTQG_{service.upper()}_PORT"] = str(port)
        if service != "gateway":
            env[f"MTQG_{service.upper()}_URL"] = f"http://127.0.0.1:{port}"
    server = support.postgres_base_url()
    created: str | None = None
    if server is not None:
        url, created = support.create_postgres_database(server)
        env["MTQG_DATABASE_URL"] = url
    (folder / "data").mkdir()
    for service in SERVICES:
        subprocess.run(
            [sys.executable, "-m", "mtqg_shared.migrations", service, "upgrade"],
            env=env,
            check=True,
            capture_output=True,
        )
    running = Stack(env=env, ports=ports, logs=folder)
    try:
        for service in SERVICES:
            running.start(service)
        yield running
    finally:
        for service in list(running.procs):
            running.stop(service)
        if server is not None and created is not None:
            support.drop_postgres_database(server, created)


# The housing demo has 628 houses; the first ones are enough to check the figures end to end
# (the full set is checked against the seed in tests/housing/test_demo.py).
DEMO_HOUSES = 24


@pytest.fixture(scope="session")
def demo(stack: Stack) -> Stack:
    """The stack with the demo data set loaded through the gateway, as `make demo` does:
    La Pan Tẩn's labour and Bảo Yên's production figures whole, Si Ma Cai's first houses."""
    from demo import housing, labour, production

    async def load() -> None:
        headers = {"Authorization": f"Bearer {stack.token()}"}
        async with httpx.AsyncClient(
            base_url=stack.url("gateway"), headers=headers, timeout=60
        ) as client:
            lines: list[str] = []
            await housing.load(client, lines.append, houses=DEMO_HOUSES)
            await labour.load(client, lines.append)
            await production.load(client, lines.append)

    asyncio.run(load())
    return stack
