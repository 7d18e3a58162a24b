"""The message catalogues: every key in both languages with the same placeholders, every key
the code names present, pydantic's error types mapped or given the generic code, and
Accept-Language read as RFC 9110 says."""

from __future__ import annotations

import ast
import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from mtqg_shared.messages import (
    CATALOGUES,
    FIELD_CODES,
    LANGUAGES,
    Msg,
    choose_language,
    msg,
    placeholders,
    render,
    word,
)
from mtqg_shared.messages.pydantic import _BY_TYPE, invalid, pydantic_message

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [ROOT / "shared" / "mtqg_shared", *sorted((ROOT / "services").glob("*/*/"))]

# Calls naming a message key: (function, position of the key, how the key is written).
_KEY_ARGS = {
    "msg": (0, "{}"),
    "Msg": (0, "{}"),
    "word": (0, "word.{}"),
    "RuleViolation": (1, "field.{}"),
    "field_error": (1, "field.{}"),
    "validation_problem": (1, "field.{}"),
    "invalid": (0, "field.{}"),
    "field_message": (0, "field.{}"),
    "check_not_before": (3, "word.{}"),
    "require_word": (0, "word.{}"),
    "not_found": (0, "word.{}"),
    # A resource, a status path and a ledger name their records with words.
    "Resource": (1, "word.{}"),
    "StatusPath": (0, "word.{}"),
}
_KEYWORD_WORDS = {"name", "owner_name", "own_label"}


def _word_key(text: str) -> str:
    return text.lower().replace(" ", "_")


def _python_files() -> Iterator[Path]:
    for folder in SOURCES:
        for path in sorted(folder.rglob("*.py")):
            if "migrations" not in path.parts and "messages" not in path.parts:
                yield path


def keys_in_code() -> dict[str, str]:
    """Every key a raise site names literally -> where."""
    found: dict[str, str] = {}
    for path in _python_files():
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            where = f"{path.relative_to(ROOT)}:{node.lineno}"
            if name in _KEY_ARGS:
                position, form = _KEY_ARGS[name]
                if len(node.args) > position:
                    arg = node.args[position]
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                        text = arg.value
                        if form.startswith("word."):
                            text = _word_key(text)
                        found[form.format(text)] = where
            if name in ("Ledger", "check_step_date") or name in _KEY_ARGS:
                for keyword in node.keywords:
                    value = keyword.value
                    if (
                        keyword.arg in _KEYWORD_WORDS
                        and isinstance(value, ast.Constant)
                        and isinstance(value.value, str)
                        and name != "Resource"
                    ):
                        found[f"word.{_word_key(value.value)}"] = where
    return found


def test_the_scan_finds_the_raise_sites() -> None:
    """A scan that found nothing would prove nothing."""
    found = keys_in_code()
    assert len(found) > 100
    for key in ("field.in_future", "word.case", "word.registration_date", "if_match_stale"):
        assert key in found, key


def test_every_key_has_both_languages_with_the_same_placeholders() -> None:
    vi, en = CATALOGUES["vi"], CATALOGUES["en"]
    assert set(vi) == set(en), set(vi) ^ set(en)
    for key in en:
        assert placeholders(vi[key]) == placeholders(en[key]), key
        assert vi[key].strip() and en[key].strip(), key


def test_every_key_the_code_names_exists() -> None:
    missing = {key: where for key, where in keys_in_code().items() if key not in CATALOGUES["en"]}
    assert not missing


def test_keys_built_at_run_time_exist() -> None:
    from mtqg_shared.errors import _DEFAULTS, _HTTP_DETAILS

    en = CATALOGUES["en"]
    for slug in (
        *_DEFAULTS.values(),
        "invalid-state",
        "idempotency-in-flight",
        "idempotency-mismatch",
        "period-locked",
        "cursor-expired",
        "cursor-reset",
    ):
        assert f"title.{slug}" in en, slug
    for status in _HTTP_DETAILS:
        assert f"http.{status}" in en
    for kind in ("unavailable", "timeout", "bad_answer"):
        assert f"upstream_{kind}" in en
    for level in ("unit", "province", "district", "commune"):
        assert f"word.{level}" in en
    for key, _ in _BY_TYPE.values():
        assert f"field.{key}" in en, key
        assert f"field.{key.split('.')[0]}" in en, key  # the code's own message


def test_field_codes_are_plain_words() -> None:
    codes = set(FIELD_CODES)
    assert {"required", "unknown_field", "invalid_format", "too_short", "too_long"} <= codes
    assert {"out_of_range", "in_future", "not_in_geography", "not_in_your_areas"} <= codes
    assert {"over_cap", "invalid_choice", "invalid"} <= codes
    assert all(re.fullmatch(r"[a-z]+(_[a-z]+)*", code) for code in codes)


def test_vietnamese_is_written_with_its_diacritics() -> None:
    """A catalogue typed without diacritics ("khong duoc") is not Vietnamese to a reader."""
    vi = CATALOGUES["vi"]
    assert "không được để trống" in vi["field.too_short.empty"]
    assert "sau ngày hôm nay" in vi["field.in_future"]
    plain = [key for key, text in vi.items() if re.search(r"\bkhong\b|\bduoc\b|\bngay\b", text)]
    assert not plain


def test_words_are_translated_in_turn() -> None:
    found = msg("not_found", what=word("case"))
    assert render(found, "en") == "No such case."
    assert render(found, "vi") == "Không tìm thấy hồ sơ."
    taken = msg("id_taken", what=word("obstacle"))
    assert render(taken, "en") == "An obstacle with this id already exists."
    on = dt.date(2026, 1, 2)
    assert "2026-01-02" in render(Msg("field.in_future", {"on": on}), "vi")


@pytest.mark.parametrize(
    ("header", "default", "chosen"),
    [
        (None, "vi", "vi"),
        (None, "en", "en"),
        ("en", "vi", "en"),
        ("vi-VN", "en", "vi"),
        ("EN-us", "vi", "en"),
        ("fr, en;q=0.5", "vi", "en"),
        ("en;q=0.4, vi;q=0.8", "en", "vi"),
        ("vi;q=0, en;q=0.1", "vi", "en"),
        ("en;q=0", "vi", "vi"),
        ("fr, de", "vi", "vi"),
        ("fr, de", "en", "en"),
        ("*", "en", "en"),
        ("en;q=abc, vi", "en", "vi"),
        ("en;q=2", "vi", "vi"),
        ("vietnamese", "en", "en"),
        ("en, vi", "vi", "en"),
        (",,;;=", "vi", "vi"),
    ],
)
def test_accept_language(header: str | None, default: str, chosen: str) -> None:
    assert choose_language(header, default) == chosen


class _Probe(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=3)
    count: int = Field(ge=0, le=10)
    kind: str = Field(pattern=r"^[a-z]+$")


def test_pydantic_errors_get_codes_and_never_the_input() -> None:
    secret = "079123456789"
    with pytest.raises(ValidationError) as caught:
        _Probe.model_validate({"name": secret, "count": secret, "kind": secret, "extra": secret})
    keys = {err["loc"][0]: pydantic_message(err) for err in caught.value.errors()}
    assert keys["name"] == ("too_long.chars", {"max_length": 3})
    assert keys["count"][0] == "out_of_range.le"
    assert keys["kind"] == ("invalid_format", {})
    assert keys["extra"] == ("unknown_field", {})
    for key, params in keys.values():
        for language in LANGUAGES:
            assert secret not in render(Msg(f"field.{key}", params), language)


def test_a_date_bound_is_written_as_a_date() -> None:
    from mtqg_shared.fields import Day

    with pytest.raises(ValidationError) as caught:
        TypeAdapter(Day).validate_python("2300-01-01")
    key, params = pydantic_message(caught.value.errors()[0])
    assert (key, params) == ("out_of_range.le", {"le": "2200-12-31"})
    for language in LANGUAGES:
        text = render(Msg(f"field.{key}", params), language)
        assert "2200-12-31" in text and "datetime" not in text


def test_an_unmapped_pydantic_type_gets_the_generic_code_in_both_languages() -> None:
    key, params = pydantic_message({"type": "some_future_type", "ctx": {"x": 1}})
    assert (key, params) == ("invalid", {})
    for language in LANGUAGES:
        assert render(Msg("field.invalid"), language) != "field.invalid"


def test_every_pydantic_error_type_has_a_code_and_a_sane_message() -> None:
    """Walk every error type pydantic-core knows, mapped or not."""
    from pydantic_core.core_schema import ErrorType

    for kind in ErrorType.__args__:  # type: ignore[attr-defined]
        key, params = pydantic_message({"type": kind, "ctx": {}})
        for language in LANGUAGES:
            text = render(Msg(f"field.{key}", params), language)
            assert text and not text.startswith("field."), (kind, language)
            assert "{" not in text, (kind, language)


def test_invalid_is_a_pydantic_error_whose_type_is_the_key() -> None:
    error = invalid("out_of_range.min_age", age=18)
    assert error.type == "out_of_range.min_age"
    assert pydantic_message({"type": error.type, "ctx": error.context}) == (
        "out_of_range.min_age",
        {"age": 18},
    )


def test_an_enum_member_is_worded_as_the_vocabulary_words_it() -> None:
    from enum import StrEnum

    from mtqg_shared.kit.vocabulary import terms
    from mtqg_shared.messages import msg

    class Stage(StrEnum):
        DONE = "done"

    class Other(StrEnum):
        DONE = "done"

    class Unlabelled(StrEnum):
        DONE = "done"

    terms(Stage, {"done": ("Đã xong", "Finished")})
    terms(Other, {"done": ("Hoàn thành", "Completed")})
    moved = msg("status_move", what="x", current=Stage.DONE, to=Other.DONE, allowed=[])
    assert "Đã xong" in moved.render("vi") and "Hoàn thành" in moved.render("vi")
    assert "Finished" in moved.render("en") and "Completed" in moved.render("en")
    # An enum no vocabulary labels is named by its value.
    assert "done" in msg(
        "status_move", what="x", current=Unlabelled.DONE, to="y", allowed=[]
    ).render("vi")
