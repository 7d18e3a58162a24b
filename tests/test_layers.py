"""The layers of CONTRIBUTING.md, checked on every programme service's code: routers own
HTTP and never SQL; services own the rules and never see HTTP nor write SQL; domain rules
import neither; nothing reaches the database except through the kit's sessions."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from mtqg_shared.registry import SERVICE_NAMES

ROOT = Path(__file__).resolve().parent.parent
WEB = ("fastapi", "starlette")
SQL_BUILDERS = {"select", "insert", "update", "delete", "text", "func", "and_", "or_"}


def modules(kind: str) -> Iterator[Path]:
    for name in SERVICE_NAMES:
        package = ROOT / "services" / name / name
        for path in sorted(package.rglob("*.py")):
            if "migrations" in path.parts:
                continue
            of_kind = {
                "domain": path.parent.name == "domain",
                "router": path.name.endswith("router.py"),
                "service": path.name in {"service.py", *_RULE_MODULES},
                "any": True,
            }
            if of_kind[kind]:
                yield path


# Modules of rules that are not called service.py (a resource split in several files).
_RULE_MODULES = {"transitions.py", "disbursements.py", "participants.py"}


def imports(path: Path) -> Iterator[tuple[str, str]]:
    """(module, name) for every import of `path`; name is "" for `import module`."""
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                yield node.module, alias.name
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, ""


def rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


@pytest.mark.parametrize("path", list(modules("service")), ids=rel)
def test_services_see_no_http_and_write_no_sql(path: Path) -> None:
    for module, name in imports(path):
        assert module.split(".")[0] not in WEB, f"{rel(path)} imports {module}"
        if module == "sqlalchemy":
            assert name not in SQL_BUILDERS, f"{rel(path)} builds SQL ({name})"


@pytest.mark.parametrize("path", list(modules("router")), ids=rel)
def test_routers_write_no_sql(path: Path) -> None:
    for module, _name in imports(path):
        assert module.split(".")[0] != "sqlalchemy", f"{rel(path)} imports {module}"


@pytest.mark.parametrize("path", list(modules("domain")), ids=rel)
def test_domain_rules_import_neither_web_nor_database(path: Path) -> None:
    for module, _name in imports(path):
        root = module.split(".")[0]
        assert root not in (*WEB, "sqlalchemy"), f"{rel(path)} imports {module}"


def test_one_way_to_a_session() -> None:
    """No programme service opens sessions itself or reads the untyped app state for one."""
    found = [
        rel(path)
        for path in modules("any")
        if "app.state.db" in path.read_text() or ".session(write=" in path.read_text()
    ]
    assert found == []


def test_every_layer_has_modules() -> None:
    # The checks above would pass on nothing at all if the layout changed under them.
    for kind in ("service", "router", "domain"):
        assert len(list(modules(kind))) >= 3 * len(SERVICE_NAMES) // 2, kind
