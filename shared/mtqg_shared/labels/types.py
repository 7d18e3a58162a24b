"""A catalogue: a field's dotted path to its header, (Vietnamese, English); maps: the paths
of the fields that are maps whose keys are data (a country, a year) or enum values given as
text (a crop, a kind), so that a column `<map>.<key>` is headed by the map and the key."""

from __future__ import annotations

from collections.abc import Mapping

Catalogue = Mapping[str, tuple[str, str]]
Maps = frozenset[str]
