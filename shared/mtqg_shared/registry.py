"""The one list of MTQG's processes: the gateway and every programme service.

Everything that names the services reads it: the settings (`MTQG_<NAME>_PORT`, the gateway's
`MTQG_<NAME>_URL`), token scopes, the gateway's forwarding, merged OpenAPI document and
cross-programme overview, migrations, `make run`, `make migrate` and the tests. The files that
cannot import Python (docker-compose.yml, deploy/postgres/init-roles.sh, pyproject.toml) are
checked against it by tests/test_compose.py. Adding a service is one entry in `PROCESSES` and
the service's own folder (CONTRIBUTING.md, "Adding a service").

Only the standard library is used, so that tools can read the list before anything else is
installed: `python -m mtqg_shared.registry names` prints every process, gateway first.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

GATEWAY = "gateway"


@dataclass(frozen=True, slots=True)
class OverviewPart:
    """What the gateway's `GET /api/v1/overview` takes from a service (API.md section 6)."""

    report: str  # the report it asks for, under the service's prefix
    by: str = "year"  # "year": the report of `year`; "as_of": as of the view's `as_of` day
    part: str | None = None  # the member of the report's answer that is passed on

    @property
    def steps(self) -> tuple[str, ...]:
        """Where the part passed on sits in the report's answer."""
        return () if self.part is None else (self.part,)

    def description(self, prefix: str) -> str:
        path = f"{prefix}/{self.report}"
        if self.part is not None:
            return f"The {self.part} row of GET {path} for the area as of `as_of`."
        return f"GET {path} for the area and year."


@dataclass(frozen=True, slots=True)
class Process:
    """One process. Its name is also its Python package (`python -m <name>`), its folder under
    services/, its `service_name`, its database schema and role, and the `<NAME>` of its
    settings."""

    name: str
    port: int
    title: str  # the title of its OpenAPI document
    label: str  # how the settings' descriptions name it
    colour: str  # the ANSI colour of its lines under `make run`
    overview: OverviewPart | None = None

    @property
    def is_gateway(self) -> bool:
        return self.name == GATEWAY

    @property
    def package(self) -> str:
        return self.name

    @property
    def folder(self) -> str:
        return f"services/{self.name}"

    @property
    def schema(self) -> str:
        return self.name

    @property
    def prefix(self) -> str:
        """The paths it serves (a programme service) and the gateway forwards to it."""
        return f"/api/v1/{self.name}"

    @property
    def read_scope(self) -> str:
        return f"{self.name}:read"

    @property
    def write_scope(self) -> str:
        return f"{self.name}:write"

    @property
    def scopes(self) -> tuple[str, str]:
        return (self.read_scope, self.write_scope)

    @property
    def port_setting(self) -> str:
        """The settings field of its port (environment `MTQG_<NAME>_PORT`)."""
        return f"{self.name}_port"

    @property
    def url_setting(self) -> str:
        """The gateway's settings field of its base URL (environment `MTQG_<NAME>_URL`)."""
        return f"{self.name}_url"


PROCESSES: tuple[Process, ...] = (
    Process(GATEWAY, 8000, "MTQG gateway", "the gateway", "36"),
    Process(
        "housing",
        8001,
        "MTQG housing service",
        "the housing service",
        "32",
        OverviewPart("reports/progress", by="as_of", part="totals"),
    ),
    Process(
        "labour",
        8002,
        "MTQG labour service",
        "the labour service",
        "33",
        OverviewPart("reports/overview"),
    ),
    Process(
        "production",
        8003,
        "MTQG production service",
        "the production service",
        "35",
        OverviewPart("reports/overview"),
    ),
    Process(
        "gender",
        8004,
        "MTQG gender service",
        "the gender service",
        "95",
        OverviewPart("reports/overview"),
    ),
    Process(
        "digital",
        8005,
        "MTQG digital service",
        "the digital service",
        "94",
        OverviewPart("reports/overview"),
    ),
)

BY_NAME: dict[str, Process] = {p.name: p for p in PROCESSES}
# The programme services, in the order they are listed everywhere (views, scopes, documents).
SERVICES: tuple[Process, ...] = tuple(p for p in PROCESSES if not p.is_gateway)
NAMES: tuple[str, ...] = tuple(p.name for p in PROCESSES)
SERVICE_NAMES: tuple[str, ...] = tuple(p.name for p in SERVICES)
SCOPES: tuple[str, ...] = tuple(scope for s in SERVICES for scope in s.scopes)


def process(name: str) -> Process:
    """The process called `name` (KeyError when there is none)."""
    return BY_NAME[name]


def spoken_list(names: tuple[str, ...] | list[str]) -> str:
    """`a, b and c`, as the documents' texts name the services."""
    if len(names) < 2:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


_COMMANDS = {
    "names": lambda: NAMES,
    "services": lambda: SERVICE_NAMES,
    "folders": lambda: tuple(p.folder for p in PROCESSES),
}


def main(argv: list[str] | None = None) -> int:
    """`python -m mtqg_shared.registry names|services|folders`: one per line."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1 or args[0] not in _COMMANDS:
        print(f"usage: python -m mtqg_shared.registry {'|'.join(_COMMANDS)}", file=sys.stderr)
        return 2
    for item in _COMMANDS[args[0]]():
        print(item)
    return 0


if __name__ == "__main__":
    sys.exit(main())
