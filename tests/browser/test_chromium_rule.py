"""Without chromium the browser tests are skipped on a developer's machine, and fail in CI."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.conftest import require_chromium


def test_a_missing_browser_skips_outside_ci(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception):
        require_chromium(tmp_path / "chromium")


def test_a_missing_browser_fails_in_ci(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="not installed"):
        require_chromium(tmp_path / "chromium")


def test_a_present_browser_runs_the_tests(tmp_path: Path) -> None:
    (tmp_path / "chromium").touch()
    require_chromium(tmp_path / "chromium")
