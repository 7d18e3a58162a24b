"""The processes themselves: settings that cannot start the gateway end it in one line, and
`make run` (scripts/run_all.py) restarts a process that dies and stops everything quietly on
Ctrl-C."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parent.parent


def clean_env(tmp_path: Path, **values: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MTQG_")}
    env.update({"MTQG_DATA_DIR": str(tmp_path / "data"), "PYTHONUNBUFFERED": "1"})
    env.update(values)
    return env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.mark.parametrize("password", ["short", "elevenchars"])
def test_a_too_short_admin_password_stops_the_gateway_in_one_line(
    tmp_path: Path, password: str
) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "gateway"],
        env=clean_env(tmp_path, MTQG_ADMIN_PASSWORD=password, MTQG_GATEWAY_PORT=str(free_port())),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 78, done.stderr
    lines = done.stderr.strip().splitlines()
    assert lines == ["gateway: cannot start: MTQG_ADMIN_PASSWORD must have 12+ characters"]
    assert password not in done.stderr + done.stdout
    assert "Traceback" not in done.stderr


class RunAll:
    """scripts/run_all.py on free ports and a folder of its own, its output collected."""

    def __init__(self, tmp_path: Path) -> None:
        self.ports = {s: free_port() for s in ("gateway", "housing", "labour", "production")}
        values = {f"MTQG_{s.upper()}_PORT": str(p) for s, p in self.ports.items()}
        values.update({f"MTQG_{s.upper()}_URL": self.url(s) for s in self.ports if s != "gateway"})
        values["MTQG_JWKS_URL"] = f"{self.url('gateway')}/.well-known/jwks.json"
        values["MTQG_LOG_LEVEL"] = "warning"
        self.proc = subprocess.Popen(
            [sys.executable, "scripts/run_all.py"],
            cwd=ROOT,
            env=clean_env(tmp_path, **values),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))

    def url(self, service: str) -> str:
        return f"http://127.0.0.1:{self.ports[service]}"

    def output(self) -> str:
        return "\n".join(self.lines)

    def wait_for(self, what: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while what not in self.output():
            assert self.proc.poll() is None, self.output()
            assert time.monotonic() < deadline, f"no {what!r} in:\n{self.output()}"
            time.sleep(0.1)

    def wait_ready(self, service: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                if httpx.get(f"{self.url(service)}/readyz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            assert self.proc.poll() is None, self.output()
            assert time.monotonic() < deadline, f"{service} not ready:\n{self.output()}"
            time.sleep(0.1)

    def child_pid(self, service: str) -> int:
        """The pid of `python -m SERVICE` started by run_all (Linux: /proc)."""
        children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text()
        for pid in children.split():
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
            if cmdline[-3:-1] == [b"-m", service.encode()]:
                return int(pid)
        raise AssertionError(f"no {service} process among {children!r}")

    def stop(self) -> int:
        self.proc.send_signal(signal.SIGINT)
        code = self.proc.wait(timeout=30)
        self._reader.join(timeout=5)
        return code


@pytest.fixture
def run_all(tmp_path: Path):  # type: ignore[no-untyped-def]
    running = RunAll(tmp_path)
    try:
        yield running
    finally:
        if running.proc.poll() is None:
            running.proc.kill()
            running.proc.wait()


def test_make_run_restarts_a_dead_service_and_stops_quietly_on_ctrl_c(run_all: RunAll) -> None:
    run_all.wait_for("Ctrl-C stops all")
    for service in run_all.ports:
        run_all.wait_ready(service)
    first = run_all.child_pid("housing")
    os.kill(first, signal.SIGKILL)
    run_all.wait_for("housing exited with code -9; restarting in 1 s")
    run_all.wait_for("restarting housing")
    run_all.wait_ready("housing")
    assert run_all.child_pid("housing") != first
    # The others were left running all along.
    for service in ("gateway", "labour", "production"):
        assert httpx.get(f"{run_all.url(service)}/healthz", timeout=5).status_code == 200

    assert run_all.stop() == 0
    out = run_all.output()
    assert out.splitlines()[-1] == "stopped"
    assert "Traceback" not in out
    assert "KeyboardInterrupt" not in out
    assert "CancelledError" not in out


def test_ctrl_c_during_start_up_is_quiet(run_all: RunAll) -> None:
    run_all.wait_for("Ctrl-C stops all")  # the processes are starting, none is ready yet
    assert run_all.stop() == 0
    out = run_all.output()
    assert "Traceback" not in out and "KeyboardInterrupt" not in out, out
