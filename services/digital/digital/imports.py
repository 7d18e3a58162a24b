"""What the digital service imports from a spreadsheet (kit.importing, API.md section 10)."""

from __future__ import annotations

from mtqg_shared.kit.importing import Importable

IMPORTS: tuple[Importable, ...] = ()
