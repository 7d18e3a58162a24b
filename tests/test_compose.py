"""No Docker engine runs here, so the compose file is checked against the code: every
process, port, setting, dependency and database role must agree with the settings classes.
The other files that cannot read the registry (the Makefile, pyproject.toml, the database
init script) are checked against it here too."""

from __future__ import annotations

import importlib
import re
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

from mtqg_shared import registry
from tests.deploy import dockerfile, settings

ROOT = Path(__file__).resolve().parent.parent
SERVICES = registry.NAMES


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return data


def settings_class(service: str) -> Any:
    return importlib.import_module(f"{service}.config").Settings


def default_port(service: str) -> int:
    return int(settings_class(service)().port)


def test_every_process_is_there(compose: dict[str, Any]) -> None:
    assert set(compose["services"]) == {"postgres", *SERVICES}


@pytest.mark.parametrize("service", SERVICES)
def test_service_builds_from_its_dockerfile(compose: dict[str, Any], service: str) -> None:
    spec = compose["services"][service]
    dockerfile = ROOT / spec["build"]["context"] / spec["build"]["dockerfile"]
    assert dockerfile.is_file()
    text = dockerfile.read_text()
    port = default_port(service)
    assert f"EXPOSE {port}" in text
    assert f"127.0.0.1:{port}/readyz" in text  # health check on its own readiness
    assert f"mtqg_shared.migrations {service} upgrade" in text  # migrations at start
    assert f"python -m {service}" in text


def given_settings(compose: dict[str, Any], service: str) -> set[str]:
    """What a container gets: its image's ENV (the MTQG_ ones) and the compose environment."""
    spec = compose["services"][service]
    image = dockerfile.read(ROOT / spec["build"]["context"] / spec["build"]["dockerfile"])
    from_image = {name for name in image.env if name.startswith("MTQG_")}
    return from_image | set(spec["environment"])


@pytest.mark.parametrize("service", SERVICES)
def test_environment_names_real_settings(compose: dict[str, Any], service: str) -> None:
    assert given_settings(compose, service) >= {"MTQG_HOST", "MTQG_DATA_DIR"}
    assert not settings.unknown(service, given_settings(compose, service))


@pytest.mark.parametrize("service", SERVICES)
def test_every_needed_setting_is_given(compose: dict[str, Any], service: str) -> None:
    # One gateway, its signing key kept in its volume: no key setting needed here.
    missing = settings.needed(service, replicas=False) - given_settings(compose, service)
    assert not missing, f"{service} lacks {sorted(missing)}"


@pytest.mark.parametrize("service", SERVICES)
def test_one_role_and_schema_per_service(compose: dict[str, Any], service: str) -> None:
    spec = compose["services"][service]
    url = spec["environment"]["MTQG_DATABASE_URL"]
    match = re.fullmatch(r"postgresql://(\w+):\$\{(\w+)\}@postgres:5432/(\w+)", url)
    assert match, url
    role, password_var, database = match.groups()
    assert role == service
    assert database == compose["services"]["postgres"]["environment"]["POSTGRES_DB"]
    assert password_var in compose["services"]["postgres"]["environment"]
    assert spec["depends_on"]["postgres"]["condition"] == "service_healthy"
    # The init script makes the role and the schema named after the service.
    init = (ROOT / "deploy/postgres/init-roles.sh").read_text()
    assert f"for service in {' '.join(registry.NAMES)}; do" in init
    assert "CREATE SCHEMA $service AUTHORIZATION $service" in init
    # And the service itself uses its own name as its schema.
    assert settings_class(service)().service_name == service


def test_ports_agree_with_settings(compose: dict[str, Any]) -> None:
    gateway = compose["services"]["gateway"]
    assert gateway["ports"] == [f"{default_port('gateway')}:{default_port('gateway')}"]
    env = gateway["environment"]
    for service in SERVICES[1:]:
        assert compose["services"][service]["expose"] == [str(default_port(service))]
        assert env[f"MTQG_{service.upper()}_URL"] == f"http://{service}:{default_port(service)}"
        jwks = compose["services"][service]["environment"]["MTQG_JWKS_URL"]
        assert jwks == f"http://gateway:{default_port('gateway')}/.well-known/jwks.json"


def test_postgres_is_healthchecked(compose: dict[str, Any]) -> None:
    postgres = compose["services"]["postgres"]
    assert "pg_isready" in " ".join(postgres["healthcheck"]["test"])
    mounted = [v.split(":")[0] for v in postgres["volumes"]]
    assert "./deploy/postgres/init-roles.sh" in mounted


def test_postgres_gets_a_password_for_every_role(compose: dict[str, Any]) -> None:
    env = compose["services"]["postgres"]["environment"]
    wanted = {f"{name.upper()}_DB_PASSWORD" for name in registry.NAMES}
    assert wanted <= set(env)
    header = (ROOT / "docker-compose.yml").read_text().split("\nname:")[0]
    for variable in wanted:  # the comment that says which secrets to set names them all
        assert variable in header, variable


def test_every_process_has_its_folder_and_nothing_else_is_there() -> None:
    folders = {
        p.parent.relative_to(ROOT).as_posix() for p in ROOT.glob("services/*/pyproject.toml")
    }
    assert folders == {p.folder for p in registry.PROCESSES}
    for process in registry.PROCESSES:
        project = tomllib.loads((ROOT / process.folder / "pyproject.toml").read_text())
        assert project["project"]["name"] == f"mtqg-{process.name}"
        assert (ROOT / process.folder / process.package / "__main__.py").is_file()


@pytest.mark.parametrize("name", SERVICES)
def test_settings_and_migrations_use_the_registry_name_and_port(name: str) -> None:
    process = registry.process(name)
    settings = settings_class(name)()
    assert settings.service_name == name
    assert settings.port == process.port
    env = (ROOT / process.folder / process.package / "migrations" / "env.py").read_text()
    assert f'schema="{process.schema}"' in env


def test_make_installs_every_package() -> None:
    show = 'print-%: ; @printf "%s" "$($*)"'
    printed = subprocess.run(
        ["make", "--no-print-directory", "-s", "--eval", show, "print-PACKAGES"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert printed.split() == ["-e", "shared"] + [
        word for p in registry.PROCESSES for word in ("-e", p.folder)
    ]


def test_make_migrates_every_process() -> None:
    printed = subprocess.run(
        ["make", "--no-print-directory", "-n", "migrate"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    names = subprocess.run(
        [sys.executable, "-m", "mtqg_shared.registry", "names"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "-m mtqg_shared.registry names" in printed
    assert names.split() == list(registry.NAMES)


def test_tools_know_every_package() -> None:
    tools = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]
    first_party = tools["ruff"]["lint"]["isort"]["known-first-party"]
    assert first_party == ["mtqg_shared", *(p.package for p in registry.PROCESSES)]
    assert tools["mypy"]["mypy_path"].split(":") == ["shared"] + [
        p.folder for p in registry.PROCESSES
    ]
