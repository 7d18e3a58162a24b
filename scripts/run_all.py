"""`make run`: migrate every service, then run the four processes in the foreground with
their output interleaved and labelled. Ctrl-C stops all four; so does any one of them dying."""

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
from mtqg_shared.settings import CommonSettings

SERVICES = (*SERVICE_NAMES, "gateway")
COLOURS = {p.name: p.colour for p in PROCESSES}


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


def main() -> int:
    common = CommonSettings()
    common.data_dir.mkdir(parents=True, exist_ok=True)
    where = "PostgreSQL" if common.database_url else f"SQLite files in {common.data_dir}/"
    print(f"migrating every service ({where})", flush=True)
    for service in SERVICES:
        started = time.perf_counter()
        upgrade(service, _settings_for(service).async_database_url)
        print(f"  {service}: up to date ({time.perf_counter() - started:.1f} s)", flush=True)

    env = dict(os.environ, PYTHONUNBUFFERED="1")
    lock = threading.Lock()
    procs: dict[str, subprocess.Popen[bytes]] = {}
    for service in SERVICES:
        proc = subprocess.Popen(
            [sys.executable, "-m", service],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        procs[service] = proc
        threading.Thread(target=_pump, args=(service, proc.stdout, lock), daemon=True).start()
    ports = ", ".join(f"{s} {_settings_for(s).port}" for s in ("gateway", *SERVICES[:3]))
    print(f"started: {ports}; Ctrl-C stops all", flush=True)

    stopping = False

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    code = 0
    while not stopping:
        for service, proc in procs.items():
            if proc.poll() is not None:
                print(f"{service} exited with code {proc.returncode}; stopping the others")
                code = proc.returncode or 1
                stopping = True
                break
        time.sleep(0.2)
    for proc in procs.values():
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
    deadline = time.monotonic() + 10
    for proc in procs.values():
        try:
            proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            proc.kill()
    return code


if __name__ == "__main__":
    os.chdir(Path(__file__).resolve().parent.parent)
    sys.exit(main())
