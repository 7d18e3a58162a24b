"""What several benchmarks need alike: a province admin's token signed with a key of the
benchmark's own, and a py-spy sampler of a running process."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import jwt


def admin_token(key: Any, *, ttl_seconds: int = 3600) -> str:
    """A province admin's access token, as the gateway would sign it (kid "bench")."""
    now = int(time.time())
    claims = {
        "sub": "bench",
        "kind": "person",
        "roles": ["admin"],
        "areas": ["15"],
        "iss": "mtqg-gateway",
        "aud": "mtqg-api",
        "iat": now,
        "exp": now + ttl_seconds,
    }
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": "bench"})


def py_spy_record(pid: int, out: Path, seconds: int, rate: int) -> subprocess.Popen[bytes]:
    """Start sampling `pid` into `out` (raw format) for `seconds`; py-spy is installed into
    this environment first when missing (it is not a dependency of the project)."""
    py_spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    if not Path(py_spy).exists():
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "py-spy"], check=True)
    command = [py_spy, "record", "--pid", str(pid), "--format", "raw", "--output", str(out)]
    command += ["--duration", str(seconds), "--rate", str(rate), "--nonblocking"]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
