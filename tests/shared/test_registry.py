"""The registry of processes is what settings, scopes, the gateway and the tools go by."""

from __future__ import annotations

import subprocess
import sys

import pytest

from gateway.apidoc import problems
from gateway.config import Settings as GatewaySettings
from gateway.views.schemas import HouseholdView, ProgrammeOverview
from mtqg_shared import auth, registry
from mtqg_shared.settings import CommonSettings


def test_the_gateway_comes_first_then_the_programme_services() -> None:
    assert registry.NAMES == ("gateway", "housing", "labour", "production", "gender", "digital")
    assert registry.SERVICE_NAMES == ("housing", "labour", "production", "gender", "digital")
    assert [p.port for p in registry.PROCESSES] == [8000, 8001, 8002, 8003, 8004, 8005]
    assert len({p.port for p in registry.PROCESSES}) == len(registry.PROCESSES)
    assert len({p.colour for p in registry.PROCESSES}) == len(registry.PROCESSES)


def test_each_service_has_its_prefix_scopes_and_schema() -> None:
    labour = registry.process("labour")
    assert labour.prefix == "/api/v1/labour"
    assert labour.scopes == ("labour:read", "labour:write")
    assert labour.schema == labour.package == "labour"
    assert labour.folder == "services/labour"
    with pytest.raises(KeyError):
        registry.process("unknown")


def test_tokens_know_every_scope_the_registry_names() -> None:
    assert auth.SERVICES == registry.SERVICE_NAMES
    assert auth.SCOPES == (
        "housing:read",
        "housing:write",
        "labour:read",
        "labour:write",
        "production:read",
        "production:write",
        "gender:read",
        "gender:write",
        "digital:read",
        "digital:write",
    )


@pytest.mark.parametrize("process", registry.PROCESSES, ids=lambda p: p.name)
def test_each_port_is_a_setting_read_from_its_variable(
    process: registry.Process, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert getattr(CommonSettings(), f"{process.name}_port") == process.port
    monkeypatch.setenv(f"MTQG_{process.name.upper()}_PORT", "9123")
    settings = CommonSettings(service_name=process.name)
    assert settings.port == 9123


@pytest.mark.parametrize("service", registry.SERVICES, ids=lambda p: p.name)
def test_the_gateway_finds_each_service_at_its_port_or_url(
    service: registry.Process, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert GatewaySettings().service_urls()[service.name] == (f"http://127.0.0.1:{service.port}",)
    monkeypatch.setenv(f"MTQG_{service.name.upper()}_URL", f"http://{service.name}:80/")
    assert GatewaySettings().service_urls()[service.name] == (f"http://{service.name}:80",)
    monkeypatch.setenv(f"MTQG_{service.name.upper()}_URL", "ftp://elsewhere")
    with pytest.raises(ValueError, match="http"):
        GatewaySettings()


def test_documents_name_every_service() -> None:
    service = problems.schemas()["Problem"]["properties"]["service"]
    assert service["enum"] == list(registry.SERVICE_NAMES)
    for model in (ProgrammeOverview, HouseholdView):
        schema = model.model_json_schema()
        unavailable = schema["properties"]["unavailable"]["items"]
        assert unavailable["enum"] == list(registry.SERVICE_NAMES)
    members = list(ProgrammeOverview.model_json_schema()["properties"])
    assert members == ["area", "year", "as_of", *registry.SERVICE_NAMES, "unavailable", "forbidden"]


def test_the_overview_member_says_what_it_passes_on() -> None:
    props = ProgrammeOverview.model_json_schema()["properties"]
    assert props["housing"]["description"] == (
        "The totals row of GET /api/v1/housing/reports/progress for the area as of `as_of`."
    )
    assert props["labour"]["description"] == (
        "GET /api/v1/labour/reports/overview for the area and year."
    )
    assert registry.spoken_list(["a", "b", "c"]) == "a, b and c"
    assert registry.spoken_list(["a"]) == "a"


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("names", list(registry.NAMES)),
        ("services", list(registry.SERVICE_NAMES)),
        ("folders", [p.folder for p in registry.PROCESSES]),
    ],
)
def test_tools_read_the_list_from_the_command_line(command: str, expected: list[str]) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mtqg_shared.registry", command],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.split() == expected


def test_an_unknown_command_says_how_to_use_it() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mtqg_shared.registry", "everything"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert "usage: python -m mtqg_shared.registry names|services|folders" in done.stderr
