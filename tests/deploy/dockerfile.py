"""Read the instructions of the project's Dockerfiles (the subset they use), so a test can run
the same steps without a Docker engine. An instruction outside that subset is an error: a new
step must be taught here before the image test passes again."""

from __future__ import annotations

import json
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

KNOWN = {"FROM", "ENV", "WORKDIR", "COPY", "RUN", "USER", "EXPOSE", "HEALTHCHECK", "CMD"}


@dataclass
class Image:
    base: str = ""
    env: dict[str, str] = field(default_factory=dict)
    workdir: str = "/"
    copies: list[tuple[str, str]] = field(default_factory=list)  # (source, destination)
    runs: list[list[list[str]]] = field(default_factory=list)  # RUN: its `&&`-joined commands
    user: str = "root"
    exposed: list[int] = field(default_factory=list)
    healthcheck: list[str] = field(default_factory=list)
    cmd: list[str] = field(default_factory=list)


def instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments), continuation lines joined, comments dropped."""
    found: list[tuple[str, str]] = []
    pending = ""
    for line in text.splitlines():
        if not pending and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        whole = (pending + line).strip()
        pending = ""
        word, _, rest = whole.partition(" ")
        found.append((word.upper(), rest.strip()))
    if pending:
        raise ValueError("the Dockerfile ends inside a continued line")
    return found


def read(path: Path) -> Image:
    image = Image()
    for word, rest in instructions(path.read_text()):
        if word not in KNOWN:
            raise ValueError(f"{path}: {word} is a step the image test does not run")
        if word == "FROM":
            image.base = rest
        elif word == "ENV":
            for pair in shlex.split(rest):
                name, _, value = pair.partition("=")
                image.env[name] = value
        elif word == "WORKDIR":
            image.workdir = rest
        elif word == "COPY":
            *sources, destination = shlex.split(rest)
            image.copies += [(source, destination) for source in sources]
        elif word == "RUN":
            commands = [shlex.split(part) for part in re.split(r"\s&&\s", rest)]
            image.runs.append(commands)
        elif word == "USER":
            image.user = rest
        elif word == "EXPOSE":
            image.exposed += [int(port) for port in rest.split()]
        elif word == "HEALTHCHECK":
            _, _, command = rest.partition(" CMD ")
            image.healthcheck = shlex.split(command)
        elif word == "CMD":
            image.cmd = json.loads(rest)
    return image
