"""Headers of the gender process's own fields."""

from __future__ import annotations

from mtqg_shared.labels.types import Catalogue

LABELS: Catalogue = {}
