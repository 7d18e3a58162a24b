"""Column headers in Vietnamese and English: what an export's header row and an import
template's label row call each field (API.md section 10).

`label(service, path, language)` is the header of a field of a service's answers or bodies,
`path` dotted for a nested field ("funding_vnd.central_budget"), a list of objects' element
field as "<list>.<field>", a report's `rows` and `totals` by the row's own fields. The
catalogues live here, in the shared library, so the gateway can head the columns of every
service's overview too.

Where a header comes from, first found:

1. the service's own catalogue (`labels/<service>.py`: its fields and its wording of common
   ones);
2. the common catalogue (`labels/common.py`: id, version, places, audit, steps, ledgers);
3. for a dotted path, the header of its parent joined to its last part (" - "): the part's own
   entry in either catalogue, else, for a map keyed by an enum, the value's words in the
   service's vocabulary (`GET /vocabulary`): "Kinh phí đã nhận (đồng) - Ngân sách trung
   ương". Under a map keyed by data (a module's `MAPS`: countries, years, star counts) the
   key is its vocabulary word when it is an enum value (a crop), else the key as the data
   says it ("Số lao động xuất cảnh theo nước - KR").

Nothing else: a path no catalogue names is a KeyError, never the raw field name, so a new
field without its header fails `tests/shared/test_labels.py` rather than reaching a sheet.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from functools import cache

from mtqg_shared.labels import digital, gateway, gender, housing, labour, production
from mtqg_shared.labels.common import COMMON, COMMON_MAPS
from mtqg_shared.labels.types import Catalogue, Maps

__all__ = [
    "CATALOGUES",
    "COMMON",
    "COMMON_MAPS",
    "LANGUAGES",
    "MAPS",
    "SEPARATOR",
    "Catalogue",
    "Maps",
    "VocabularyAnswer",
    "label",
    "named",
]

LANGUAGES = ("vi", "en")
SEPARATOR = " - "

CATALOGUES: Mapping[str, Catalogue] = {
    "gateway": gateway.LABELS,
    "housing": housing.LABELS,
    "labour": labour.LABELS,
    "production": production.LABELS,
    "gender": gender.LABELS,
    "digital": digital.LABELS,
}
MAPS: Mapping[str, Maps] = {
    "gateway": gateway.MAPS,
    "housing": housing.MAPS,
    "labour": labour.MAPS,
    "production": production.MAPS,
    "gender": gender.MAPS,
    "digital": digital.MAPS,
}


# A process's `GET /vocabulary` answer as JSON: {enum: {value: {"vi": ..., "en": ...}}}.
VocabularyAnswer = Mapping[str, Mapping[str, Mapping[str, str]]]


def label(
    service: str,
    path: str,
    language: str,
    *,
    vocabulary: VocabularyAnswer | None = None,
    row: bool = False,
) -> str:
    """The header of `path` in `language` ("vi" or "en"; anything else is "vi"); KeyError
    when no catalogue names it. A field of a report's row (`row`) takes the header its
    catalogue gives `rows.<path>`, if any: where the service's own field of that name means
    something else (production's `code` is a project's).

    Enum values are worded by the service's own vocabulary, imported where its package is
    installed; a process without it (the gateway, heading a service's overview part) passes
    the service's `GET /vocabulary` answer as `vocabulary`."""
    index = 1 if language == "en" else 0
    if row and named(service, f"rows.{path}"):
        path = f"rows.{path}"
    enums = _enum_words(service) if vocabulary is None else _answer_words(vocabulary)
    return _words(service, path, enums)[index]


def named(service: str, path: str) -> bool:
    """Whether a catalogue names `path` itself (not by the rule for dotted paths)."""
    return path in CATALOGUES.get(service, {}) or path in COMMON


def _words(service: str, path: str, enums: Mapping[str, tuple[str, str]]) -> tuple[str, str]:
    own = CATALOGUES.get(service, {})
    found = own.get(path) or COMMON.get(path)
    if found is not None:
        return found
    parent, dot, last = path.rpartition(".")
    if dot and parent and last:
        head = _words(service, parent, enums)
        if parent in COMMON_MAPS:  # keyed by field names: the field's header
            part: tuple[str, str] | None = own.get(last) or COMMON.get(last) or (last, last)
        elif parent in MAPS.get(service, ()):
            part = enums.get(last, (last, last))
        else:
            part = own.get(last) or COMMON.get(last) or enums.get(last)
        if part is not None:
            return head[0] + SEPARATOR + part[0], head[1] + SEPARATOR + part[1]
    raise KeyError(f"no label for {path!r} of {service!r}")


@cache
def _enum_words(service: str) -> Mapping[str, tuple[str, str]]:
    """Every enum value of the service's vocabulary and its words (the first enum naming a
    value wins); empty where the service's package is not installed."""
    if service not in CATALOGUES:
        return {}
    try:
        module = importlib.import_module(f"{service}.vocabulary")
    except ModuleNotFoundError:
        return {}
    words: dict[str, tuple[str, str]] = {}
    for terms in module.VOCABULARY.terms.values():
        for value, words_of in terms.labels.items():
            words.setdefault(value, (words_of.vi, words_of.en))
    return words


def _answer_words(vocabulary: VocabularyAnswer) -> Mapping[str, tuple[str, str]]:
    words: dict[str, tuple[str, str]] = {}
    for values in vocabulary.values():
        for value, pair in values.items():
            words.setdefault(value, (pair["vi"], pair["en"]))
    return words
