"""The README documents every setting as the code declares it."""

from __future__ import annotations

from pathlib import Path

from scripts.settings_table import END, START, readme_with_table

README = Path(__file__).resolve().parent.parent / "README.md"


def test_settings_table_matches_the_settings_classes() -> None:
    text = README.read_text()
    assert START in text
    assert END in text
    assert readme_with_table(text) == text, (
        "README settings table is stale: run .venv/bin/python scripts/settings_table.py --write"
    )


def test_readme_shows_the_two_commands() -> None:
    text = README.read_text()
    assert "make run" in text
    assert "make test" in text
