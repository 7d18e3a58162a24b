"""Print (or write into README.md) the table of every MTQG_* setting, from the settings
classes themselves, so the documentation cannot drift from the code."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Any

from mtqg_shared.registry import NAMES

ROOT = Path(__file__).resolve().parent.parent
START, END = "<!-- settings:start -->", "<!-- settings:end -->"
PROCESSES = NAMES
SECRET = ("password", "private_key", "secret")


def _default(name: str, field: Any) -> str:
    if any(s in name for s in SECRET):
        return "(none)"
    value = field.default
    if value is None or value == "":
        return "(empty)"
    return f"`{value}`"


def table() -> str:
    from mtqg_shared.settings import CommonSettings

    rows: dict[str, tuple[str, str, set[str]]] = {}
    for process in PROCESSES:
        settings = importlib.import_module(f"{process}.config").Settings
        for name, field in settings.model_fields.items():
            if name == "service_name":
                continue
            common = name in CommonSettings.model_fields
            default = _default(name, field)
            if name == "service_name" or (common and name in rows):
                rows[name][2].add(process)
                continue
            description = (field.description or "").replace("|", "\\|").replace("\n", " ")
            rows.setdefault(name, (default, description, set()))[2].add(process)
    lines = ["| variable | default | used by | meaning |", "|---|---|---|---|"]
    for name, (default, description, users) in sorted(rows.items()):
        who = "all" if len(users) == len(PROCESSES) else ", ".join(sorted(users))
        lines.append(f"| `MTQG_{name.upper()}` | {default} | {who} | {description} |")
    return "\n".join(lines)


def readme_with_table(readme: str) -> str:
    head, _, rest = readme.partition(START)
    _, _, tail = rest.partition(END)
    return f"{head}{START}\n{table()}\n{END}{tail}"


def main() -> int:
    readme = ROOT / "README.md"
    if "--write" in sys.argv:
        readme.write_text(readme_with_table(readme.read_text()))
    else:
        print(table())
    return 0


if __name__ == "__main__":
    sys.exit(main())
