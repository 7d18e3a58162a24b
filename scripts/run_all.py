"""`make run`: migrate every service, then run the four processes in the foreground with
their output interleaved and labelled. Ctrl-C (or SIGTERM) stops all four, quietly. A process
that dies is started again after a short back-off (1 s, doubling to 30 s while it keeps dying
young); one that refuses its settings (exit 78) is not, and stops the others."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from mtqg_shared.migrations import upgrade
from mtqg_shared.registry import PROCESSES, SERVICE_NAMES
from mtqg_shared.serve import EXIT_CONFIG
from mtqg_shared.settings import CommonSettings

SERVICES = (*SERVICE_NAMES, "gateway")
COLOURS = {p.name: p.colour for p in PROCESSES}
FIRST_BACKOFF = 1.0  # seconds before restarting a process that died
MAX_BACKOFF = 30.0
STEADY = 60.0  # a process that ran this long starts again from the first back-off
_PUMPS: list[threading.Thread] = []


def _settings_for(service: str) -> CommonSettings:
    module = __import__(f"{service}.config", fromlist=["Settings"])
    settings: CommonSettings = module.Settings()
    return settings


def _pump(service: str, stream: object, lock: threading.Lock) -> None:
    colour = COLOURS[service] if sys.stdout.isatty() else ""
    label = f"{service:<10}|"
    label = f"\x1b[{colour}m{label}\x1b[0m" if colour else label
    for raw in iter(stream.readline, b""):  # type: ignore[attr-defined]
        line = raw.decode("utf-8", "replace").rstrip("\n")
        with lock:
            print(f"{label} {line}", flush=True)


def _start(service: str, env: dict[str, str], lock: threading.Lock) -> subprocess.Popen[bytes]:
    # A process group of its own: Ctrl-C in the terminal reaches only this script, which
    # then stops each process once.
    proc = subprocess.Popen(
        [sys.executable, "-m", service],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        process_group=0,
    )
    pump = threading.Thread(target=_pump, args=(service, proc.stdout, lock), daemon=True)
    pump.start()
    _PUMPS.append(pump)
    return proc


def _migrate() -> None:
    common = CommonSettings()
    common.data_dir.mkdir(parents=True, exist_ok=True)
    where = "PostgreSQL" if common.database_url else f"SQLite files in {common.data_dir}/"
    print(f"migrating every service ({where})", flush=True)
    for service in SERVICES:
        started = time.perf_counter()
        upgrade(service, _settings_for(service).async_database_url)
        print(f"  {service}: up to date ({time.perf_counter() - started:.1f} s)", flush=True)


def main() -> int:
    try:
        _migrate()
    except KeyboardInterrupt:
        print("stopped before start", flush=True)
        return 130

    env = dict(os.environ, PYTHONUNBUFFERED="1")
    lock = threading.Lock()
    procs: dict[str, subprocess.Popen[bytes]] = {}
    started_at: dict[str, float] = {}
    backoff = dict.fromkeys(SERVICES, FIRST_BACKOFF)
    restart_at: dict[str, float] = {}

    stopping = False

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)

    for service in SERVICES:
        procs[service] = _start(service, env, lock)
        started_at[service] = time.monotonic()
    ports = ", ".join(f"{s} {_settings_for(s).port}" for s in ("gateway", *SERVICE_NAMES))
    print(f"started: {ports}; Ctrl-C stops all", flush=True)

    code = 0
    while not stopping:
        now = time.monotonic()
        for service, proc in procs.items():
            if service in restart_at:
                if now >= restart_at[service]:
                    del restart_at[service]
                    print(f"restarting {service}", flush=True)
                    procs[service] = _start(service, env, lock)
                    started_at[service] = now
                continue
            if proc.poll() is None:
                continue
            if proc.returncode == EXIT_CONFIG:
                print(f"{service} refused its settings; stopping the others", flush=True)
                code = EXIT_CONFIG
                stopping = True
                break
            if now - started_at[service] >= STEADY:
                backoff[service] = FIRST_BACKOFF
            wait = backoff[service]
            backoff[service] = min(MAX_BACKOFF, wait * 2)
            restart_at[service] = now + wait
            print(
                f"{service} exited with code {proc.returncode}; restarting in {wait:.0f} s",
                flush=True,
            )
        time.sleep(0.2)
    # SIGTERM, not SIGINT: uvicorn shuts down as gracefully on either, and a process still
    # importing ends at once instead of printing a KeyboardInterrupt traceback.
    for proc in procs.values():
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 10
    for proc in procs.values():
        try:
            proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    for pump in _PUMPS:
        pump.join(timeout=2)  # their last lines, before ours
    print("stopped", flush=True)
    return code


if __name__ == "__main__":
    os.chdir(Path(__file__).resolve().parent.parent)
    sys.exit(main())
