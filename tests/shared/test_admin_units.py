"""Tests of mtqg_shared.admin_units.

Expected values are computed here straight from the packaged CSV files with the csv module,
so the tests check the module against the data rather than against its own output.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime
import pickle
from collections import defaultdict
from functools import cache
from pathlib import Path

import pytest

from mtqg_shared.admin_units import (
    GEO_NEW,
    GEO_OLD,
    GEOGRAPHIES,
    NEW_PROVINCE_CODE,
    REORGANISED_ON,
    AdminUnits,
    PlacedCommune,
    UnknownUnitError,
    admin_units,
)

DATA_DIR = Path(__file__).resolve().parents[2] / "shared" / "mtqg_shared" / "data"


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8-sig", newline="") as f:
        return [{k: v.strip() for k, v in row.items()} for row in csv.DictReader(f)]


@cache
def before_rows() -> list[dict[str, str]]:
    return _rows("lao_cai_units_before_2025-07-01.csv")


@cache
def after_rows() -> list[dict[str, str]]:
    return _rows("lao_cai_units_from_2025-07-01.csv")


@cache
def conversion_rows() -> list[dict[str, str]]:
    return _rows("lao_cai_units_conversion_2025-07-01.csv")


def successor_map() -> dict[str, str]:
    return {r["old_commune_code"]: r["new_commune_code"] for r in conversion_rows()}


def old_communes_in(column: str, code: str) -> set[str]:
    """Old commune codes whose `column` (province_code / district_code) is `code`."""
    return {r["commune_code"] for r in before_rows() if r[column] == code}


def old_districts() -> list[str]:
    return sorted({r["district_code"] for r in before_rows()})


@pytest.fixture(scope="module")
def units() -> AdminUnits:
    return admin_units()


# --- shape of the data ------------------------------------------------------------------------


def test_admin_units_is_a_cached_singleton() -> None:
    assert admin_units() is admin_units()


def test_99_new_communes(units: AdminUnits) -> None:
    expected = {r["commune_code"] for r in after_rows()}
    assert len(expected) == 99
    assert units.all_current_communes == frozenset(expected)
    communes = units.list(GEO_NEW, level="commune")
    assert [u.code for u in communes] == sorted(expected)
    assert all(u.parent_code == NEW_PROVINCE_CODE and u.geography == GEO_NEW for u in communes)


def test_319_old_communes_in_18_districts(units: AdminUnits) -> None:
    communes = units.list(GEO_OLD, level="commune")
    districts = units.list(GEO_OLD, level="district")
    assert len(communes) == 319
    assert [u.code for u in communes] == sorted(r["commune_code"] for r in before_rows())
    assert len(districts) == 18
    assert [u.code for u in districts] == old_districts()
    for province in ("10", "15"):
        assert len(units.list(GEO_OLD, parent_code=province, level="district")) == 9
        assert len(units.list(GEO_OLD, parent_code=province)) == 9


def test_list_orders_provinces_then_districts_then_communes(units: AdminUnits) -> None:
    old = units.list(GEO_OLD)
    assert [u.level for u in old[:2]] == ["province", "province"]
    assert [u.code for u in old[:2]] == ["10", "15"]
    assert all(u.level == "district" for u in old[2:20])
    assert all(u.level == "commune" for u in old[20:])
    assert len(old) == 2 + 18 + 319
    new = units.list(GEO_NEW)
    assert new[0].code == NEW_PROVINCE_CODE and new[0].level == "province"
    assert len(new) == 1 + 99
    assert units.list(GEO_NEW, level="district") == []
    assert [u.code for u in units.list(GEO_OLD, parent_code="084")] == sorted(
        old_communes_in("district_code", "084")
    )
    assert units.list(GEO_OLD, parent_code="999") == []


def test_list_returns_a_fresh_list(units: AdminUnits) -> None:
    first = units.list(GEO_NEW)
    first.clear()
    assert len(units.list(GEO_NEW)) == 100


def test_list_rejects_bad_arguments(units: AdminUnits) -> None:
    with pytest.raises(ValueError):
        units.list(GEO_OLD, level="hamlet")
    with pytest.raises(ValueError):
        units.list("2024-01")


# --- units ------------------------------------------------------------------------------------


def test_02824_in_both_geographies(units: AdminUnits) -> None:
    new = units.get("02824", GEO_NEW)
    assert new is not None
    assert new.name == "Xã Sín Chéng"
    assert new.level == "commune"
    assert new.parent_code == NEW_PROVINCE_CODE
    assert new.predecessor_codes == ("02803", "02806", "02824", "02836")
    assert new.successor_code is None

    old = units.get("02824", GEO_OLD)
    assert old is not None
    assert old.name == "Xã Sín Chéng"
    assert old.parent_code == "084"
    assert old.successor_code == "02824"
    assert old.predecessor_codes == ()


def test_provinces_and_district_types(units: AdminUnits) -> None:
    new_province = units.get("15", GEO_NEW)
    yen_bai = units.get("15", GEO_OLD)
    old_lao_cai = units.get("10", GEO_OLD)
    assert new_province is not None and new_province.name == "Tỉnh Lào Cai"
    assert yen_bai is not None and yen_bai.name == "Tỉnh Yên Bái"
    assert old_lao_cai is not None and old_lao_cai.name == "Tỉnh Lào Cai"
    assert new_province.parent_code is None and new_province.unit_type is None
    assert units.get("10", GEO_NEW) is None

    district_names = {r["district_code"]: r["district_name"] for r in before_rows()}
    for code, name in district_names.items():
        unit = units.get(code, GEO_OLD)
        assert unit is not None and unit.name == name and unit.level == "district"
        assert unit.unit_type is not None and name.startswith(unit.unit_type + " ")
    si_ma_cai = units.get("084", GEO_OLD)
    assert si_ma_cai is not None
    assert (si_ma_cai.unit_type, si_ma_cai.parent_code) == ("Huyện", "10")
    types = {u.code: u.unit_type for u in units.list(GEO_OLD, level="district")}
    assert (types["080"], types["088"], types["132"]) == ("Thành phố", "Thị xã", "Thành phố")


def test_commune_names_and_types_come_from_the_lists(units: AdminUnits) -> None:
    for r in before_rows():
        unit = units.get(r["commune_code"], GEO_OLD)
        assert unit is not None
        assert (unit.name, unit.unit_type) == (r["commune_name"], r["commune_type"])
        assert unit.parent_code == r["district_code"]
    for r in after_rows():
        unit = units.get(r["commune_code"], GEO_NEW)
        assert unit is not None
        assert (unit.name, unit.unit_type) == (r["commune_name"], r["commune_type"])


def test_get_unknown(units: AdminUnits) -> None:
    assert units.get("99999", GEO_NEW) is None
    assert units.get("084", GEO_NEW) is None
    assert units.get("02791", GEO_NEW) is None  # merged into 02782
    with pytest.raises(ValueError):
        units.get("02782", "new")


def test_units_are_immutable(units: AdminUnits) -> None:
    unit = units.get("02782", GEO_NEW)
    assert unit is not None
    with pytest.raises(dataclasses.FrozenInstanceError):
        unit.name = "x"  # type: ignore[misc]


# --- placing a record's commune ---------------------------------------------------------------


def test_place_old_la_pan_tan(units: AdminUnits) -> None:
    assert units.place_commune("02791", GEO_OLD) == PlacedCommune("02782", "02791", "083")


def test_place_new_commune(units: AdminUnits) -> None:
    assert units.place_commune("02824", GEO_NEW) == PlacedCommune("02824", None, None)
    assert units.place_commune("02824", GEO_OLD) == PlacedCommune("02824", "02824", "084")
    assert units.place_commune("02803", GEO_OLD) == PlacedCommune("02824", "02803", "084")


def test_place_every_old_commune_as_the_conversion_table_says(units: AdminUnits) -> None:
    for r in conversion_rows():
        placed = units.place_commune(r["old_commune_code"], GEO_OLD)
        assert placed == PlacedCommune(
            r["new_commune_code"], r["old_commune_code"], r["old_district_code"]
        )


def test_place_unknown(units: AdminUnits) -> None:
    with pytest.raises(UnknownUnitError, match="commune 99999 does not exist in geography 2025-07"):
        units.place_commune("99999", GEO_NEW)
    with pytest.raises(UnknownUnitError, match="02791.*2025-07"):
        units.place_commune("02791", GEO_NEW)
    with pytest.raises(UnknownUnitError, match="084.*2025-01"):
        units.place_commune("084", GEO_OLD)  # a district, not a commune
    with pytest.raises(UnknownUnitError):
        units.place_commune("00001", GEO_OLD)  # not in old Lào Cai or old Yên Bái
    with pytest.raises(ValueError):
        units.place_commune("02782", "2025")


# --- which geography a record is read in ------------------------------------------------------


def test_geography_for_by_date(units: AdminUnits) -> None:
    assert datetime.date(2025, 7, 1) == REORGANISED_ON
    assert units.geography_for(None, datetime.date(2025, 6, 30)) == GEO_OLD
    assert units.geography_for(None, datetime.date(2025, 7, 1)) == GEO_NEW
    assert units.geography_for(None, datetime.date(2020, 1, 1)) == GEO_OLD
    assert units.geography_for(None, datetime.date(2026, 1, 1)) == GEO_NEW
    assert units.geography_for(None, None) == GEO_NEW
    assert units.geography_for(None, datetime.datetime(2025, 6, 30, 23, 59)) == GEO_OLD
    assert units.geography_for(None, datetime.datetime(2025, 7, 1, 0, 0)) == GEO_NEW


def test_geography_for_explicit_wins(units: AdminUnits) -> None:
    assert units.geography_for(GEO_OLD, datetime.date(2026, 1, 1)) == GEO_OLD
    assert units.geography_for(GEO_NEW, datetime.date(2020, 1, 1)) == GEO_NEW
    assert units.geography_for(GEO_OLD, None) == GEO_OLD
    assert GEOGRAPHIES == (GEO_OLD, GEO_NEW)
    for bad in ("2025-06", "", "new", "2025-07 "):
        with pytest.raises(ValueError):
            units.geography_for(bad, None)


# --- areas ------------------------------------------------------------------------------------


def test_resolve_new_province(units: AdminUnits) -> None:
    for geography in (None, GEO_NEW):
        area = units.resolve_area("15", geography)
        assert (area.code, area.geography, area.level) == ("15", GEO_NEW, "province")
        assert area.name == "Tỉnh Lào Cai"
        assert not area.is_legacy
        assert area.current_communes == frozenset(r["commune_code"] for r in after_rows())
        assert area.legacy_communes == frozenset()


def test_resolve_15_in_2025_01_is_old_yen_bai(units: AdminUnits) -> None:
    area = units.resolve_area("15", GEO_OLD)
    assert (area.geography, area.level, area.name) == (GEO_OLD, "province", "Tỉnh Yên Bái")
    assert area.is_legacy
    inside = old_communes_in("province_code", "15")
    assert len(inside) == 168
    assert area.legacy_communes == frozenset(inside)
    succ = successor_map()
    assert area.current_communes == frozenset(succ[c] for c in inside)


def test_resolve_10_is_old_lao_cai(units: AdminUnits) -> None:
    for geography in (None, GEO_OLD):
        area = units.resolve_area("10", geography)
        assert (area.geography, area.level, area.name) == (GEO_OLD, "province", "Tỉnh Lào Cai")
        assert area.is_legacy
        inside = old_communes_in("province_code", "10")
        assert len(inside) == 151
        assert area.legacy_communes == frozenset(inside)
        succ = successor_map()
        assert area.current_communes == frozenset(succ[c] for c in inside)
    old_provinces = (
        units.resolve_area("10").current_communes
        | units.resolve_area("15", GEO_OLD).current_communes
    )
    assert old_provinces == units.all_current_communes


def test_resolve_si_ma_cai_district(units: AdminUnits) -> None:
    inside = old_communes_in("district_code", "084")
    expected_current = {
        r["new_commune_code"] for r in conversion_rows() if r["old_district_code"] == "084"
    }
    for geography in (None, GEO_OLD):
        area = units.resolve_area("084", geography)
        assert (area.geography, area.level, area.name) == (GEO_OLD, "district", "Huyện Si Ma Cai")
        assert area.is_legacy
        assert area.legacy_communes == frozenset(inside)
        assert area.current_communes == frozenset(expected_current)
    assert "02824" in expected_current


@pytest.mark.parametrize("district", old_districts())
def test_every_old_district_covers_the_new_communes_that_took_its_communes(
    units: AdminUnits, district: str
) -> None:
    inside = old_communes_in("district_code", district)
    took = {r["new_commune_code"] for r in conversion_rows() if r["old_district_code"] == district}
    assert units.communes_of_legacy_district(district) == frozenset(inside)
    assert units.current_communes_of_legacy_district(district) == frozenset(took)
    assert units.resolve_area(district).current_communes == frozenset(took)


def test_legacy_district_helpers_reject_unknown(units: AdminUnits) -> None:
    for bad in ("999", "02824", "10", ""):
        with pytest.raises(UnknownUnitError):
            units.communes_of_legacy_district(bad)
        with pytest.raises(UnknownUnitError):
            units.current_communes_of_legacy_district(bad)


def test_resolve_new_commune(units: AdminUnits) -> None:
    for geography in (None, GEO_NEW):
        area = units.resolve_area("02824", geography)
        assert (area.geography, area.level, area.name) == (GEO_NEW, "commune", "Xã Sín Chéng")
        assert not area.is_legacy
        assert area.current_communes == frozenset({"02824"})
        assert area.legacy_communes == frozenset()


def test_resolve_old_commune(units: AdminUnits) -> None:
    area = units.resolve_area("02791", GEO_OLD)
    assert (area.geography, area.level, area.name) == (GEO_OLD, "commune", "Xã La Pan Tẩn")
    assert area.is_legacy
    assert area.current_communes == frozenset({"02782"})
    assert area.legacy_communes == frozenset({"02791"})
    # Same code, old unit: only old Sín Chéng itself, still inside new Sín Chéng.
    old_sin_cheng = units.resolve_area("02824", GEO_OLD)
    assert old_sin_cheng.legacy_communes == frozenset({"02824"})
    assert old_sin_cheng.current_communes == frozenset({"02824"})


def test_resolve_unknown(units: AdminUnits) -> None:
    with pytest.raises(UnknownUnitError, match="commune 99999 does not exist in geography 2025-07"):
        units.resolve_area("99999")
    cases = [
        ("99999", GEO_OLD),
        ("02791", None),  # merged away: not a 2025-07 commune
        ("02791", GEO_NEW),
        ("999", None),
        ("999", GEO_OLD),
        ("12", None),
        ("12", GEO_OLD),
        ("", None),
        ("1", None),
    ]
    for code, geography in cases:
        with pytest.raises(UnknownUnitError) as caught:
            units.resolve_area(code, geography)
        assert caught.value.code == code
        assert caught.value.geography in GEOGRAPHIES
        assert code in str(caught.value) and caught.value.geography in str(caught.value)


def test_resolve_geography_contradicting_code(units: AdminUnits) -> None:
    for code in ("084", "999", "10"):
        with pytest.raises(ValueError) as caught:
            units.resolve_area(code, GEO_NEW)
        assert not isinstance(caught.value, UnknownUnitError)


def test_resolve_bad_geography(units: AdminUnits) -> None:
    for bad in ("2025", "2025-13", "old", ""):
        with pytest.raises(ValueError):
            units.resolve_area("15", bad)


def test_unknown_unit_error_pickles() -> None:
    error = UnknownUnitError("99999", GEO_NEW, "commune")
    copy = pickle.loads(pickle.dumps(error))
    assert isinstance(copy, UnknownUnitError) and isinstance(copy, ValueError)
    assert str(copy) == "commune 99999 does not exist in geography 2025-07"
    assert (copy.code, copy.geography) == ("99999", GEO_NEW)


# --- callers' areas ---------------------------------------------------------------------------


def test_communes_for_areas(units: AdminUnits) -> None:
    assert units.communes_for_areas(["15"]) is None
    assert units.communes_for_areas(["02782", "15"]) is None
    assert units.communes_for_areas(["02782"]) == frozenset({"02782"})
    assert units.communes_for_areas(["02782", "02824", "02782"]) == frozenset({"02782", "02824"})
    # Not 2025-07 areas: unknown, old-only commune, old district, old province.
    assert units.communes_for_areas(["02782", "99999", "02791", "084", "10"]) == frozenset(
        {"02782"}
    )
    assert units.communes_for_areas([]) == frozenset()
    assert units.communes_for_areas(c for c in ("02824",)) == frozenset({"02824"})
    with pytest.raises(TypeError):
        units.communes_for_areas("15")


def test_is_valid_caller_area(units: AdminUnits) -> None:
    assert units.is_valid_caller_area("15")
    assert units.is_valid_caller_area("02782")
    assert all(units.is_valid_caller_area(r["commune_code"]) for r in after_rows())
    for bad in ("10", "084", "02791", "99999", "", "2782"):
        assert not units.is_valid_caller_area(bad)


# --- consistency of the shipped data ----------------------------------------------------------


def test_every_old_commune_has_exactly_one_existing_successor(units: AdminUnits) -> None:
    new_codes = {r["commune_code"] for r in after_rows()}
    successors: dict[str, list[str]] = defaultdict(list)
    for r in conversion_rows():
        successors[r["old_commune_code"]].append(r["new_commune_code"])
    old_codes = {r["commune_code"] for r in before_rows()}
    assert set(successors) == old_codes
    for code, targets in successors.items():
        assert len(targets) == 1, code
        assert targets[0] in new_codes
        unit = units.get(code, GEO_OLD)
        assert unit is not None and unit.successor_code == targets[0]


def test_every_new_commune_predecessors_map_back(units: AdminUnits) -> None:
    seen: set[str] = set()
    for new in units.list(GEO_NEW, level="commune"):
        assert new.predecessor_codes, new.code
        assert list(new.predecessor_codes) == sorted(new.predecessor_codes)
        # A new commune reuses the code of one old commune it took in.
        assert new.code in new.predecessor_codes
        for old_code in new.predecessor_codes:
            old = units.get(old_code, GEO_OLD)
            assert old is not None and old.successor_code == new.code
            assert old_code not in seen
            seen.add(old_code)
    assert seen == {r["commune_code"] for r in before_rows()}


def test_inconsistent_data_is_rejected() -> None:
    before, after, conversion = before_rows(), after_rows(), conversion_rows()
    with pytest.raises(ValueError, match="without successor"):
        AdminUnits(before, after, conversion[1:])
    with pytest.raises(ValueError, match="split"):
        moved = dict(conversion[0], new_commune_code=after[-1]["commune_code"])
        AdminUnits(before, after, [*conversion, moved])
    with pytest.raises(ValueError, match="unknown new commune"):
        AdminUnits(before, after, [dict(conversion[0], new_commune_code="99999")])
    with pytest.raises(ValueError, match="missing column"):
        AdminUnits([{k: v for k, v in before[0].items() if k != "commune_type"}], after, [])
