"""Write the document the gateway serves at /openapi.json, built in this process: the gateway's
app and every service's app are made (no server, no database, no network) and their documents
merged as the gateway merges what it fetches. `make api-check` lints this file.

    .venv/bin/python -m scripts.api_document build/openapi.json
"""

from __future__ import annotations

import importlib
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric import rsa

from gateway.apidoc.merge import merge
from gateway.app import create_app
from gateway.config import Settings
from gateway.identity.keys import SigningKey
from mtqg_shared.registry import SERVICE_NAMES


def service_document(service: str) -> dict[str, Any]:
    """What the service serves at its own /openapi.json."""
    app = importlib.import_module(f"{service}.app")
    config = importlib.import_module(f"{service}.config")
    document: dict[str, Any] = app.create_app(config.Settings()).openapi()
    return document


def gateway_document() -> dict[str, Any]:
    """The gateway's own part, before the services' are merged in."""
    # A key of its own: the document does not depend on it, and no key file is written.
    key = SigningKey.from_private_key(
        rsa.generate_private_key(public_exponent=65537, key_size=2048)
    )
    with tempfile.TemporaryDirectory() as data_dir:
        settings = Settings(
            data_dir=Path(data_dir),
            database_url="",
            admin_password="",
            jwt_private_key="",
            rate_limit_per_minute=0,
        )
        document: dict[str, Any] = create_app(settings, signing_key=key).api.openapi()
    return document


def merged_document() -> dict[str, Any]:
    return merge(gateway_document(), {name: service_document(name) for name in SERVICE_NAMES})


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(f"usage: {argv[0]} OUTPUT.json", file=sys.stderr)
        return 2
    out = Path(argv[1])
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(merged_document(), ensure_ascii=False, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
