"""The national target programmes and their projects (API.md section 11), listed once.

The list is `data/programmes.json` in this package: programmes 90, 1719 and 263, each citing
its decision, with their projects and sub-projects as the decisions name them, in Vietnamese
and English (the notes there say which names were checked against which text). It is read
once, when this module is imported.

A money entry of a service carries the `project_code` of one of that service's projects (422
otherwise), by default the service's own (`DEFAULT_PROJECT`); the gateway's
`GET /api/v1/programmes` and the capital plans read the same list. `Programme.projects` is
flat, in the decision's order: each project followed by its sub-projects, a sub-project
naming its project in `parent_code`. A sub-project without a service of its own is recorded
by its project's service. Only the standard library and the registry, like the registry.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from importlib.resources import files
from typing import Any

from mtqg_shared.registry import SERVICE_NAMES

__all__ = [
    "DATA_FILE",
    "DEFAULT_PROJECT",
    "PROGRAMMES",
    "Decision",
    "Programme",
    "Project",
    "default_project",
    "project",
    "projects_of",
]

DATA_FILE = "programmes.json"


@dataclass(frozen=True, slots=True)
class Project:
    code: str
    name: str  # Vietnamese, as the programme's decision names it
    name_en: str
    service: str | None  # the service of the registry whose money entries belong to it
    parent_code: str | None = None  # the project of a sub-project

    def name_in(self, language: str) -> str:
        return self.name_en if language == "en" else self.name


@dataclass(frozen=True, slots=True)
class Decision:
    """The Prime Minister's decision that approved a programme, and where in it the projects
    are named."""

    number: str
    signed_on: dt.date
    where: str


@dataclass(frozen=True, slots=True)
class Programme:
    code: str
    name: str
    name_en: str
    decision: Decision
    projects: tuple[Project, ...]

    def name_in(self, language: str) -> str:
        return self.name_en if language == "en" else self.name


def _names(entry: Mapping[str, Any]) -> tuple[str, str]:
    vi, en = entry["name"]["vi"], entry["name"]["en"]
    if not (isinstance(vi, str) and vi.strip() and isinstance(en, str) and en.strip()):
        raise ValueError(f"{entry['code']}: a Vietnamese and an English name are needed")
    return vi, en


def _projects(entries: list[Mapping[str, Any]], parent: Project | None) -> Iterator[Project]:
    for entry in entries:
        vi, en = _names(entry)
        service = entry.get("service", parent.service if parent else None)
        if service is not None and service not in SERVICE_NAMES:
            raise ValueError(f"{entry['code']}: {service} is no service of the registry")
        if parent is not None and parent.service is not None and service != parent.service:
            raise ValueError(f"{entry['code']}: recorded by another service than its project")
        item = Project(entry["code"], vi, en, service, parent.code if parent else None)
        yield item
        yield from _projects(entry.get("sub_projects", []), item)


def _load() -> tuple[Programme, ...]:
    data = json.loads(files("mtqg_shared").joinpath("data", DATA_FILE).read_text("utf-8"))
    programmes = []
    for entry in data["programmes"]:
        vi, en = _names(entry)
        cited = entry["decision"]
        decision = Decision(
            cited["number"], dt.date.fromisoformat(cited["signed_on"]), cited["where"]
        )
        projects = tuple(_projects(entry["projects"], None))
        programmes.append(Programme(entry["code"], vi, en, decision, projects))
    return tuple(programmes)


PROGRAMMES: tuple[Programme, ...] = _load()

# The project every money entry of a service carries when it names none.
DEFAULT_PROJECT: dict[str, str] = {
    "housing": "90.DA5",
    "labour": "90.DA4",
    "production": "1719.DA3",
    "gender": "1719.DA8",
    "digital": "263.CDS",
}

_BY_CODE: dict[str, Project] = {}
for _programme in PROGRAMMES:
    for _project in _programme.projects:
        if _project.code in _BY_CODE:  # pragma: no cover - a mistake in the data file
            raise RuntimeError(f"{_project.code} is listed twice")
        _BY_CODE[_project.code] = _project
_OF_SERVICE: dict[str, frozenset[str]] = {
    name: frozenset(code for code, p in _BY_CODE.items() if p.service == name)
    for name in SERVICE_NAMES
}


def project(code: str) -> Project | None:
    """The project or sub-project of that code, None when no programme has one."""
    return _BY_CODE.get(code)


def projects_of(service: str) -> frozenset[str]:
    """The codes a service may record money on: its projects and their sub-projects (empty for
    a name that is no service)."""
    return _OF_SERVICE.get(service, frozenset())


def default_project(service: str) -> str:
    return DEFAULT_PROJECT[service]


for _service, _code in DEFAULT_PROJECT.items():
    if _code not in projects_of(_service):  # pragma: no cover - a mistake in the list above
        raise RuntimeError(f"{_code} is no project of the {_service} service")
