"""Administrative units of Lào Cai before and after the 2025-07-01 reorganisation.

Two geographies: "2025-01" (province, 3-digit district, 5-digit commune; old Lào Cai "10" and
old Yên Bái "15") and "2025-07" (the new Lào Cai "15" and its 99 communes, no districts).
A new commune reuses the code of one old commune it took in, so a commune code means nothing
without its geography. The reference data ships as CSV files inside this package; it is parsed
once per process (`admin_units()`), and every lookup afterwards is a dict access.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from mtqg_shared.messages import Msg, field_message, msg, word

__all__ = [
    "GEOGRAPHIES",
    "GEO_NEW",
    "GEO_OLD",
    "LEVELS",
    "NEW_PROVINCE_CODE",
    "OLD_LAO_CAI_PROVINCE_CODE",
    "OLD_YEN_BAI_PROVINCE_CODE",
    "REORGANISED_ON",
    "AdminUnits",
    "Area",
    "OldUnitError",
    "PlacedCommune",
    "Unit",
    "UnknownUnitError",
    "admin_units",
]

GEO_OLD = "2025-01"
GEO_NEW = "2025-07"
GEOGRAPHIES = (GEO_OLD, GEO_NEW)
REORGANISED_ON = datetime.date(2025, 7, 1)
NEW_PROVINCE_CODE = "15"
OLD_LAO_CAI_PROVINCE_CODE = "10"
OLD_YEN_BAI_PROVINCE_CODE = "15"

PROVINCE = "province"
DISTRICT = "district"
COMMUNE = "commune"
LEVELS = (PROVINCE, DISTRICT, COMMUNE)

DATA_FILE_BEFORE = "lao_cai_units_before_2025-07-01.csv"
DATA_FILE_AFTER = "lao_cai_units_from_2025-07-01.csv"
DATA_FILE_CONVERSION = "lao_cai_units_conversion_2025-07-01.csv"

# The source lists give districts no type column; the type is the start of the name.
_DISTRICT_TYPES = ("Thành phố", "Thị xã", "Quận", "Huyện")
_LEVEL_BY_CODE_LENGTH = {2: PROVINCE, 3: DISTRICT, 5: COMMUNE}


class UnknownUnitError(ValueError):
    """A code that names no unit of the given geography; `hint` points at the likely mistake."""

    def __init__(
        self, code: str, geography: str, level: str = "unit", hint: Msg | None = None
    ) -> None:
        self.code = code
        self.geography = geography
        self.level = level
        self.hint = hint
        super().__init__(str(self.message))

    @property
    def message(self) -> Msg:
        params: dict[str, object] = {"level": word(self.level), "code": self.code}
        params["geography"] = self.geography
        if self.hint is None:
            return field_message("not_in_geography.level", **params)
        return field_message("not_in_geography.hinted", hint=self.hint, **params)

    def __reduce__(self) -> tuple[type[UnknownUnitError], tuple[str, str, str, Msg | None]]:
        # The default reduce would call __init__(message) and fail, e.g. across processes.
        return (type(self), (self.code, self.geography, self.level, self.hint))


class OldUnitError(ValueError):
    """A district or old province code asked for in the 2025-07 geography, where it is gone."""

    def __init__(self, code: str) -> None:
        self.code = code
        super().__init__(str(self.message))

    @property
    def message(self) -> Msg:
        return field_message(
            "not_in_geography.old_unit", level=word(_level_of(self.code)), code=self.code
        )

    def __reduce__(self) -> tuple[type[OldUnitError], tuple[str]]:
        return (type(self), (self.code,))


@dataclass(frozen=True, slots=True)
class Unit:
    code: str
    name: str
    level: str  # "province" | "district" | "commune"
    geography: str
    parent_code: str | None  # commune -> district (2025-01) or province (2025-07)
    unit_type: str | None  # as written in the source lists; None for provinces
    successor_code: str | None  # 2025-01 commune -> the 2025-07 commune it became
    predecessor_codes: tuple[str, ...]  # 2025-07 commune -> sorted 2025-01 communes


@dataclass(frozen=True, slots=True)
class PlacedCommune:
    """Where a record's commune lies: always the 2025-07 unit, plus the 2025-01 one if given."""

    commune_code: str
    legacy_commune_code: str | None
    legacy_district_code: str | None


@dataclass(frozen=True, slots=True)
class Area:
    """A unit used as a filter or report scope.

    `current_communes` are the 2025-07 communes it covers (for an old unit: every new commune
    that took any of its communes). `legacy_communes` are the 2025-01 communes inside an old
    unit, which is what a report for an old unit counts records by.
    """

    code: str
    geography: str
    level: str
    name: str
    is_legacy: bool
    current_communes: frozenset[str]
    legacy_communes: frozenset[str]


def _check_geography(geography: str) -> None:
    if geography not in GEOGRAPHIES:
        raise ValueError(f"unknown geography {geography!r}; expected one of {GEOGRAPHIES}")


def _level_of(code: str) -> str:
    return _LEVEL_BY_CODE_LENGTH.get(len(code), "unit")


def _field(row: Mapping[str, str], name: str, source: str) -> str:
    value = row.get(name)
    if value is None:
        raise ValueError(f"admin-unit data {source}: missing column {name!r}")
    # The source lists carry stray trailing spaces in names.
    return value.strip()


def _check_code(code: str, length: int, source: str) -> None:
    if len(code) != length or not code.isdigit():
        raise ValueError(f"admin-unit data {source}: bad code {code!r} ({length} digits expected)")


def _district_type(name: str) -> str:
    folded = name.casefold()
    for prefix in _DISTRICT_TYPES:
        if folded.startswith(prefix.casefold() + " "):
            return prefix
    raise ValueError(f"admin-unit data: cannot tell the type of district {name!r}")


def _unit(
    code: str,
    name: str,
    level: str,
    geography: str,
    *,
    parent_code: str | None = None,
    unit_type: str | None = None,
    successor_code: str | None = None,
    predecessor_codes: tuple[str, ...] = (),
) -> Unit:
    return Unit(
        code=code,
        name=name,
        level=level,
        geography=geography,
        parent_code=parent_code,
        unit_type=unit_type,
        successor_code=successor_code,
        predecessor_codes=predecessor_codes,
    )


def _read_package_csv(file_name: str) -> list[dict[str, str]]:
    text = (files("mtqg_shared") / "data" / file_name).read_text(encoding="utf-8-sig")
    return [
        {key: value or "" for key, value in row.items() if key is not None}
        for row in csv.DictReader(io.StringIO(text, newline=""))
    ]


class AdminUnits:
    """The reference data, indexed for O(1) lookups. Use `admin_units()` for the shared one."""

    def __init__(
        self,
        before: Iterable[Mapping[str, str]],
        after: Iterable[Mapping[str, str]],
        conversion: Iterable[Mapping[str, str]],
    ) -> None:
        """Build from the rows of the three CSV files; raise ValueError if they disagree."""
        old_provinces: dict[str, str] = {}
        old_districts: dict[str, tuple[str, str]] = {}  # code -> (name, province)
        old_communes: dict[str, tuple[str, str, str]] = {}  # code -> (name, type, district)
        for row in before:
            src = DATA_FILE_BEFORE
            p_code, p_name = _field(row, "province_code", src), _field(row, "province_name", src)
            d_code, d_name = _field(row, "district_code", src), _field(row, "district_name", src)
            c_code = _field(row, "commune_code", src)
            _check_code(p_code, 2, src)
            _check_code(d_code, 3, src)
            _check_code(c_code, 5, src)
            if old_provinces.setdefault(p_code, p_name) != p_name:
                raise ValueError(f"admin-unit data {src}: province {p_code} has two names")
            if old_districts.setdefault(d_code, (d_name, p_code)) != (d_name, p_code):
                raise ValueError(f"admin-unit data {src}: district {d_code} is inconsistent")
            if c_code in old_communes:
                raise ValueError(f"admin-unit data {src}: commune {c_code} listed twice")
            old_communes[c_code] = (
                _field(row, "commune_name", src),
                _field(row, "commune_type", src),
                d_code,
            )

        new_province_name: str | None = None
        new_communes: dict[str, tuple[str, str]] = {}  # code -> (name, type)
        for row in after:
            src = DATA_FILE_AFTER
            p_code, c_code = _field(row, "province_code", src), _field(row, "commune_code", src)
            _check_code(c_code, 5, src)
            if p_code != NEW_PROVINCE_CODE:
                raise ValueError(f"admin-unit data {src}: unexpected province {p_code}")
            new_province_name = _field(row, "province_name", src)
            if c_code in new_communes:
                raise ValueError(f"admin-unit data {src}: commune {c_code} listed twice")
            new_communes[c_code] = (
                _field(row, "commune_name", src),
                _field(row, "commune_type", src),
            )
        if new_province_name is None:
            raise ValueError(f"admin-unit data {DATA_FILE_AFTER}: no communes")

        successor: dict[str, str] = {}
        predecessors: dict[str, set[str]] = defaultdict(set)
        for row in conversion:
            src = DATA_FILE_CONVERSION
            old_code = _field(row, "old_commune_code", src)
            new_code = _field(row, "new_commune_code", src)
            if old_code not in old_communes:
                raise ValueError(f"admin-unit data {src}: unknown old commune {old_code}")
            if new_code not in new_communes:
                raise ValueError(f"admin-unit data {src}: unknown new commune {new_code}")
            if _field(row, "old_district_code", src) != old_communes[old_code][2]:
                raise ValueError(f"admin-unit data {src}: old commune {old_code} district differs")
            if successor.setdefault(old_code, new_code) != new_code:
                raise ValueError(f"admin-unit data {src}: old commune {old_code} split")
            predecessors[new_code].add(old_code)
        if missing := sorted(old_communes.keys() - successor.keys()):
            raise ValueError(f"admin-unit data: old communes without successor: {missing}")
        if orphans := sorted(new_communes.keys() - predecessors.keys()):
            raise ValueError(f"admin-unit data: new communes without predecessor: {orphans}")

        # Units, inserted level by level in code order so listings come out sorted.
        old_units: dict[str, Unit] = {}
        for code in sorted(old_provinces):
            old_units[code] = _unit(code, old_provinces[code], PROVINCE, GEO_OLD)
        for code in sorted(old_districts):
            name, province = old_districts[code]
            old_units[code] = _unit(
                code, name, DISTRICT, GEO_OLD, parent_code=province, unit_type=_district_type(name)
            )
        for code in sorted(old_communes):
            name, unit_type, district = old_communes[code]
            old_units[code] = _unit(
                code,
                name,
                COMMUNE,
                GEO_OLD,
                parent_code=district,
                unit_type=unit_type,
                successor_code=successor[code],
            )
        new_units: dict[str, Unit] = {
            NEW_PROVINCE_CODE: _unit(NEW_PROVINCE_CODE, new_province_name, PROVINCE, GEO_NEW)
        }
        for code in sorted(new_communes):
            name, unit_type = new_communes[code]
            new_units[code] = _unit(
                code,
                name,
                COMMUNE,
                GEO_NEW,
                parent_code=NEW_PROVINCE_CODE,
                unit_type=unit_type,
                predecessor_codes=tuple(sorted(predecessors[code])),
            )
        self._units: dict[str, dict[str, Unit]] = {GEO_OLD: old_units, GEO_NEW: new_units}

        # list(): every (geography, parent filter, level filter) answer, precomputed.
        lists: dict[tuple[str, str | None, str | None], list[Unit]] = defaultdict(list)
        for geography, units in self._units.items():
            for unit in units.values():
                lists[geography, None, None].append(unit)
                lists[geography, None, unit.level].append(unit)
                if unit.parent_code is not None:
                    lists[geography, unit.parent_code, None].append(unit)
                    lists[geography, unit.parent_code, unit.level].append(unit)
        self._lists: dict[tuple[str, str | None, str | None], tuple[Unit, ...]] = {
            key: tuple(value) for key, value in lists.items()
        }

        self._placed: dict[str, dict[str, PlacedCommune]] = {
            GEO_OLD: {
                code: PlacedCommune(successor[code], code, district)
                for code, (_, _, district) in old_communes.items()
            },
            GEO_NEW: {code: PlacedCommune(code, None, None) for code in new_communes},
        }

        self._all_current: frozenset[str] = frozenset(new_communes)
        old_in: dict[str, set[str]] = defaultdict(set)  # old province/district -> old communes
        for code, (_, _, district) in old_communes.items():
            old_in[district].add(code)
            old_in[old_districts[district][1]].add(code)
        old_areas: dict[str, Area] = {}
        for code, unit in old_units.items():
            inside = frozenset(old_in[code]) if unit.level != COMMUNE else frozenset((code,))
            old_areas[code] = Area(
                code=code,
                geography=GEO_OLD,
                level=unit.level,
                name=unit.name,
                is_legacy=True,
                current_communes=frozenset(successor[c] for c in inside),
                legacy_communes=inside,
            )
        new_areas: dict[str, Area] = {}
        for code, unit in new_units.items():
            new_areas[code] = Area(
                code=code,
                geography=GEO_NEW,
                level=unit.level,
                name=unit.name,
                is_legacy=False,
                current_communes=(
                    self._all_current if unit.level == PROVINCE else frozenset((code,))
                ),
                legacy_communes=frozenset(),
            )
        self._areas: dict[str, dict[str, Area]] = {GEO_OLD: old_areas, GEO_NEW: new_areas}

    @classmethod
    def from_package(cls) -> AdminUnits:
        """Parse the CSV files shipped in mtqg_shared/data."""
        return cls(
            _read_package_csv(DATA_FILE_BEFORE),
            _read_package_csv(DATA_FILE_AFTER),
            _read_package_csv(DATA_FILE_CONVERSION),
        )

    @property
    def all_current_communes(self) -> frozenset[str]:
        """The codes of the 2025-07 communes (all of the new province)."""
        return self._all_current

    def geography_for(self, geography: str | None, on: datetime.date | None) -> str:
        """The geography to read a code in: the explicit one, else by the record's own date."""
        if geography is not None:
            _check_geography(geography)
            return geography
        if on is None:
            return GEO_NEW
        if isinstance(on, datetime.datetime):  # a datetime does not compare with a date
            on = on.date()
        return GEO_OLD if on < REORGANISED_ON else GEO_NEW

    def get(self, code: str, geography: str) -> Unit | None:
        _check_geography(geography)
        return self._units[geography].get(code)

    def list(
        self, geography: str, parent_code: str | None = None, level: str | None = None
    ) -> list[Unit]:
        """Units of a geography, optionally only the direct children of `parent_code` and/or
        one level; by level (province, district, commune) then code."""
        _check_geography(geography)
        if level is not None and level not in LEVELS:
            raise ValueError(f"unknown level {level!r}; expected one of {LEVELS}")
        return list(self._lists.get((geography, parent_code, level), ()))

    def place_commune(self, code: str, geography: str) -> PlacedCommune:
        """The current commune of a record given as `code` in `geography`, with its legacy
        codes when it was given in 2025-01."""
        _check_geography(geography)
        placed = self._placed[geography].get(code)
        if placed is None:
            raise UnknownUnitError(code, geography, COMMUNE, self._hint(code, geography))
        return placed

    def resolve_area(self, code: str, geography: str | None = None) -> Area:
        """The area a filter or report names. "15" is the new province unless geography is
        2025-01 (then old Yên Bái); "10" and 3-digit districts imply 2025-01; communes are
        read in 2025-07 unless geography is 2025-01."""
        if geography is not None:
            _check_geography(geography)
        if len(code) == 3 or code == OLD_LAO_CAI_PROVINCE_CODE:
            # Units that exist only before the reorganisation.
            if geography == GEO_NEW:
                raise OldUnitError(code)
            resolved = GEO_OLD
        else:
            resolved = geography or GEO_NEW
        area = self._areas[resolved].get(code)
        if area is None:
            raise UnknownUnitError(code, resolved, _level_of(code), self._hint(code, resolved))
        return area

    def communes_for_areas(self, area_codes: Iterable[str]) -> frozenset[str] | None:
        """The 2025-07 communes a caller's 2025-07 areas cover; None means all of them
        ("15" is among the areas). Codes that are not 2025-07 areas are ignored."""
        if isinstance(area_codes, str):  # would otherwise be read as single digits
            raise TypeError("area_codes must be an iterable of codes, not a string")
        covered: set[str] = set()
        for code in area_codes:
            if code == NEW_PROVINCE_CODE:
                return None
            if code in self._all_current:
                covered.add(code)
        return frozenset(covered)

    def is_valid_caller_area(self, code: str) -> bool:
        """Whether a caller may hold `code` as an area: "15" or a 2025-07 commune."""
        return code == NEW_PROVINCE_CODE or code in self._all_current

    def communes_of_legacy_district(self, district_code: str) -> frozenset[str]:
        """The 2025-01 communes of an old district."""
        return self._legacy_district(district_code).legacy_communes

    def current_communes_of_legacy_district(self, district_code: str) -> frozenset[str]:
        """The 2025-07 communes that took any commune of an old district."""
        return self._legacy_district(district_code).current_communes

    def _legacy_district(self, district_code: str) -> Area:
        area = self._areas[GEO_OLD].get(district_code)
        if area is None or area.level != DISTRICT:
            raise UnknownUnitError(district_code, GEO_OLD, DISTRICT)
        return area

    def _hint(self, code: str, geography: str) -> Msg | None:
        # Point at the likely mistake: a commune code read in the wrong geography.
        if geography == GEO_NEW and (placed := self._placed[GEO_OLD].get(code)):
            return msg("hint.old_commune", geography=GEO_OLD, successor=placed.commune_code)
        if geography == GEO_OLD and code in self._placed[GEO_NEW]:
            return msg("hint.new_commune", geography=GEO_NEW)
        return None


@cache
def admin_units() -> AdminUnits:
    """The process-wide reference data, parsed on first use."""
    return AdminUnits.from_package()
