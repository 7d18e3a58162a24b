"""`make api-check`: the merged OpenAPI document, as the gateway serves it, linted by Spectral
(spectral:oas, no error and no warning) and Redocly (recommended, no error), then a TypeScript
client generated from it with openapi-typescript that must compile under `tsc --strict` and
leave no `unknown` or `any` where the contract has a shape.

The tools are the exact versions of tools/api-check/package-lock.json (`npm ci` there; the
Makefile does it); nothing here needs a network. The rules turned off are in the ruleset files
beside them, each with its reason.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from scripts.api_document import main as write_document

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ROOT / "tools" / "api-check"
DOCUMENT = "build/openapi.json"
CLIENT = "build/api.d.ts"

# What openapi-typescript writes for "any other header": an answer may always carry more
# headers than it documents, so this is not a missing shape.
_OTHER_HEADERS = re.compile(r"^\s*\[name: string\]: unknown;\s*$")
_LOOSE = re.compile(r"\b(unknown|any)\b")
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
# A property's name before its type (`unknown: ...`, the words of the enum value "unknown").
_PROPERTY = re.compile(r"^\s*(?:readonly\s+)?[A-Za-z_$][\w$]*\??\s*:")


def loose_types(client: str) -> list[str]:
    """The lines of generated TypeScript that type something as `unknown` or `any` (comments
    string literals and property names, such as the enum value "unknown" and its words, aside)."""
    found = []
    in_comment = False
    for number, line in enumerate(client.splitlines(), 1):
        code = line
        if in_comment:
            end = code.find("*/")
            if end < 0:
                continue
            code, in_comment = code[end + 2 :], False
        code = re.sub(r"/\*.*?\*/", "", code)
        if "/*" in code:
            code, in_comment = code[: code.index("/*")], True
        code = _PROPERTY.sub("", _STRING.sub('""', code.split("//")[0]))
        if _LOOSE.search(code) and not _OTHER_HEADERS.match(line):
            found.append(f"{number}: {line.strip()}")
    return found


def _tool(name: str, *args: str) -> None:
    env = {
        **os.environ,
        "REDOCLY_TELEMETRY": "off",
        "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true",
        "NO_UPDATE_NOTIFIER": "1",
    }
    print(f"== {name} {' '.join(args)}", flush=True)
    subprocess.run(
        [str(TOOLS / "node_modules" / ".bin" / name), *args], cwd=TOOLS, env=env, check=True
    )


def main() -> int:
    if not (TOOLS / "node_modules" / ".bin").is_dir():
        print(f"the tools are not installed: run `npm ci` in {TOOLS}", file=sys.stderr)
        return 1
    write_document(["api_document", str(TOOLS / DOCUMENT)])
    try:
        _tool(
            "spectral", "lint", "--ruleset", ".spectral.yaml", "--fail-severity", "warn", DOCUMENT
        )
        _tool("redocly", "lint", "--config", "redocly.yaml", DOCUMENT)
        _tool("openapi-typescript", DOCUMENT, "--output", CLIENT)
        loose = loose_types((TOOLS / CLIENT).read_text())
        if loose:
            print("The generated client leaves these without a shape:", *loose, sep="\n  ")
            return 1
        _tool("tsc", "--project", "tsconfig.json")
    except subprocess.CalledProcessError as failed:
        print(f"api-check failed: {Path(failed.cmd[0]).name} exited {failed.returncode}")
        return 1
    print("api-check: the document lints clean and its TypeScript client compiles strictly")
    return 0


if __name__ == "__main__":
    sys.exit(main())
