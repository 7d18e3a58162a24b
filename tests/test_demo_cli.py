"""`make demo` is `python -m demo`: it loads every programme unless told which."""

from __future__ import annotations

import pytest

from demo.__main__ import PROGRAMMES, parse


def test_no_programme_named_means_all_three() -> None:
    args = parse(["--password", "x" * 12])
    assert args.programmes == list(PROGRAMMES) == ["housing", "labour", "production"]


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
