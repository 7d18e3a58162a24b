"""Every image the compose file builds, built without a Docker engine: its Dockerfile's steps
run in a fresh virtual environment in a temporary folder (COPY copies the same files, RUN runs
the same pip install), then its CMD starts the process there (migrations, then the server, on
SQLite in a temporary data folder) and its HEALTHCHECK command must pass.

What is not run, on purpose: `useradd`, `mkdir /data` and `chown` (they need root and would
change this machine; the test runs as its own user with a temporary data folder instead), and
PIP_NO_CACHE_DIR (the pip cache is reused so the test takes seconds, not minutes). The five
programme services' images differ only in the folder they copy and their dependencies are the
same list (checked below), so they are installed into one environment; the gateway's, whose
dependencies differ, gets its own.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import tomllib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import yaml

from mtqg_shared import registry
from tests import support
from tests.deploy.dockerfile import Image, read
from tests.deploy.test_kubernetes import generate
from tests.gateway.upstreams import free_port

ROOT = Path(__file__).resolve().parents[2]
# What each Dockerfile's RUN does besides pip install: make its user and its data folder.
# The user is the number deploy/kubernetes runs every container as.
USER_ID = str(generate.USER_ID)
USER_SETUP = [
    ["groupadd", "--system", "--gid", USER_ID, "mtqg"],
    ["useradd", "--system", "--uid", USER_ID, "--gid", USER_ID, "--home", "/app", "mtqg"],
    ["mkdir", "-p", "/data"],
    ["chown", "mtqg", "/data"],
]
IGNORED = shutil.ignore_patterns("__pycache__", "*.egg-info", "build", ".mypy_cache")


def compose_images() -> dict[str, Image]:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    found = {}
    for name, spec in compose["services"].items():
        if "build" in spec:
            found[name] = read(ROOT / spec["build"]["context"] / spec["build"]["dockerfile"])
    return found


IMAGES = compose_images()


def dependencies(name: str) -> list[str]:
    project = tomllib.loads((ROOT / registry.process(name).folder / "pyproject.toml").read_text())
    return sorted(project["project"]["dependencies"])


def pip_install(image: Image) -> list[str]:
    """The arguments of the image's `pip install` (the first command of its one RUN)."""
    (commands,) = image.runs
    assert commands[0][:2] == ["pip", "install"], commands
    return commands[0][2:]


def test_compose_builds_an_image_for_every_process() -> None:
    assert set(IMAGES) == set(registry.NAMES)


@pytest.mark.parametrize("name", registry.NAMES)
def test_each_image_copies_its_own_folder_and_installs_it_with_the_lock(name: str) -> None:
    image = IMAGES[name]
    folder = registry.process(name).folder
    assert image.base == f"python:{sys.version_info.major}.{sys.version_info.minor}-slim"
    assert image.workdir == "/app"
    assert image.copies == [
        ("requirements.lock", "./"),
        ("shared", "./shared"),
        (folder, f"./{folder}"),
    ]
    assert pip_install(image) == [
        "--disable-pip-version-check",
        "-c",
        "requirements.lock",
        "./shared",
        f"./{folder}",
    ]
    assert image.runs[0][1:] == USER_SETUP  # the steps this test does not run, and no other
    assert image.user == f"{USER_ID}:{USER_ID}"
    assert image.exposed == [registry.process(name).port]


def test_programme_services_share_their_dependencies() -> None:
    """Why one environment may stand for the five programme services' images."""
    lists = {tuple(dependencies(s)) for s in registry.SERVICE_NAMES}
    assert len(lists) == 1, lists


def build(root: Path, names: list[str]) -> Path:
    """Lay out the images' files under root (their WORKDIR) and run their pip install there."""
    root.mkdir(parents=True)
    for name in names:
        for source, destination in IMAGES[name].copies:
            target = root / destination
            if (ROOT / source).is_dir():
                if not target.exists():
                    shutil.copytree(ROOT / source, target, ignore=IGNORED)
            else:
                target.mkdir(parents=True, exist_ok=True)
                shutil.copy2(ROOT / source, target)
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", venv], check=True)
    args: list[str] = []
    for name in names:  # the same options for each; each image adds its folder
        args += [a for a in pip_install(IMAGES[name]) if a not in args]
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    command = [sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python")]
    subprocess.run(
        [*command, "install", "--quiet", *args], cwd=root, env=env, check=True, timeout=600
    )
    return venv


@pytest.fixture(scope="module")
def environments(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each process's image root (its files and `venv`), the two built side by side."""
    groups = {"gateway": [registry.GATEWAY], "services": list(registry.SERVICE_NAMES)}
    base = tmp_path_factory.mktemp("images")
    with ThreadPoolExecutor(len(groups)) as pool:
        built = dict(
            zip(groups, pool.map(lambda g: build(base / g, groups[g]), groups), strict=True)
        )
    return {name: built[group].parent for group, names in groups.items() for name in names}


def image_environment(image: Image, root: Path, name: str, port: int) -> dict[str, str]:
    """The image's ENV, with this machine's PATH led by the fresh environment."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MTQG_", "PYTHON", "PIP"))}
    env.pop("VIRTUAL_ENV", None)
    env.update(image.env)
    env["PATH"] = f"{root / 'venv' / 'bin'}{os.pathsep}{os.environ['PATH']}"
    env["MTQG_DATA_DIR"] = str(root / f"data-{name}")  # /data in the image
    env[f"MTQG_{name.upper()}_PORT"] = str(port)  # the image's port may be taken here
    return env


# An image runs on SQLite here whatever the pass: built and started once, in the SQLite pass
# (installing the images twice more in the PostgreSQL pass would add minutes to CI).
@pytest.mark.skipif(
    support.postgres_base_url() is not None,
    reason="the images are built the same for any database; the SQLite pass builds them",
)
@pytest.mark.timeout(900)
@pytest.mark.parametrize("name", registry.NAMES)
def test_image_starts_from_its_own_install_and_passes_its_healthcheck(
    environments: dict[str, Path], name: str
) -> None:
    image = IMAGES[name]
    root = environments[name]
    port = free_port()
    env = image_environment(image, root, name, port)
    where = subprocess.run(
        ["python", "-c", f"import {name}, mtqg_shared; print({name}.__file__)"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    # The installed copy, not the repository's sources.
    assert Path(where).is_relative_to(root / "venv" / "lib"), where
    health = [
        part.replace(f"127.0.0.1:{image.exposed[0]}/", f"127.0.0.1:{port}/")
        for part in image.healthcheck
    ]
    assert health != image.healthcheck  # the check names the image's port and now ours
    log = (root / f"{name}.log").open("wb")
    server = subprocess.Popen(image.cmd, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        passed = wait_healthy(health, root, env, server)
        output = (root / f"{name}.log").read_text(errors="replace")
        assert passed, f"{name} never passed its HEALTHCHECK:\n{output[-3000:]}"
        assert f"Uvicorn running on http://{image.env['MTQG_HOST']}:{port}" in output
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()


def wait_healthy(
    health: list[str], root: Path, env: dict[str, str], server: subprocess.Popen[Any]
) -> bool:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and server.poll() is None:
        if subprocess.run(health, cwd=root, env=env, capture_output=True).returncode == 0:
            return True
        time.sleep(0.5)
    return False
