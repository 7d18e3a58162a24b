"""Column headers in Vietnamese and English: what an export's header row and an import
template's label row call each field (API.md section 10).

`label(service, path, language)` is the header of a field of a service's answers or bodies,
`path` dotted for a nested field ("funding_vnd.central"). The catalogues live here, in the
shared library, so the gateway can head the columns of every service's overview too.
"""

from __future__ import annotations


def label(service: str, path: str, language: str) -> str:
    """The header of `path` in `language`; KeyError when no catalogue names it."""
    raise KeyError(f"{service}:{path}")
