"""A catalogue: a field's dotted path to its header, (Vietnamese, English)."""

from __future__ import annotations

from collections.abc import Mapping

Catalogue = Mapping[str, tuple[str, str]]
