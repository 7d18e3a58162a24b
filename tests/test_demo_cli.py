"""`make demo` is `python -m demo`: it loads every programme unless told which."""

from __future__ import annotations

import pytest

from demo.__main__ import PROGRAMMES, parse


def test_no_programme_named_means_all_of_them() -> None:
    args = parse(["--password", "x" * 12])
    assert args.programmes == list(PROGRAMMES)
    assert list(PROGRAMMES) == ["housing", "labour", "production", "gender", "digital"]


def test_one_programme() -> None:
    assert parse(["--password", "x" * 12, "labour"]).programmes == ["labour"]


def test_unknown_programme_and_missing_password_are_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with pytest.raises(SystemExit) as unknown:
        parse(["--password", "x" * 12, "fisheries"])
    assert unknown.value.code == 2
    monkeypatch.delenv("MTQG_ADMIN_PASSWORD", raising=False)
    with pytest.raises(SystemExit) as missing:
        parse(["--password", ""])
    assert missing.value.code == 2


def test_the_demo_and_the_services_follow_the_gateway_port(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from mtqg_shared.settings import CommonSettings

    monkeypatch.delenv("MTQG_GATEWAY_URL", raising=False)
    monkeypatch.delenv("MTQG_JWKS_URL", raising=False)
    monkeypatch.setenv("MTQG_GATEWAY_PORT", "9180")
    assert parse(["--password", "x" * 12]).gateway == "http://127.0.0.1:9180"
    assert CommonSettings().public_keys_url == "http://127.0.0.1:9180/.well-known/jwks.json"
    # Set explicitly, both win over the port.
    monkeypatch.setenv("MTQG_GATEWAY_URL", "https://mtqg.laocai.gov.vn")
    monkeypatch.setenv("MTQG_JWKS_URL", "http://gateway:8000/.well-known/jwks.json")
    assert parse(["--password", "x" * 12]).gateway == "https://mtqg.laocai.gov.vn"
    assert CommonSettings().public_keys_url == "http://gateway:8000/.well-known/jwks.json"
