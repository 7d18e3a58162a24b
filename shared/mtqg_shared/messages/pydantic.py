"""pydantic's validation errors as the catalogue's field messages, with stable codes.

Each pydantic error `type` maps to a field message key (its first segment is the code) and the
parameters taken from the error's `ctx` (`min_length`, `ge`, `expected`...), never from its
`input`: a value sent can be personal data. Validators of this code base raise `invalid(key,
...)` (a PydanticCustomError whose type is the key) or a `RuleViolation`; an error type not
mapped here still gets the generic code `invalid` and a sane message in every language.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from pydantic_core import PydanticCustomError

from mtqg_shared.messages import CATALOGUES, GENERIC_CODE, render
from mtqg_shared.messages import field_message as _field_message

# pydantic type -> (field message key, the ctx members it takes as parameters).
_BY_TYPE: dict[str, tuple[str, tuple[str, ...]]] = {
    "missing": ("required", ()),
    "missing_argument": ("required", ()),
    "missing_keyword_only_argument": ("required", ()),
    "missing_positional_only_argument": ("required", ()),
    "extra_forbidden": ("unknown_field", ()),
    "unexpected_keyword_argument": ("unknown_field", ()),
    "unexpected_positional_argument": ("unknown_field", ()),
    "string_too_short": ("too_short.chars", ("min_length",)),
    "string_too_long": ("too_long.chars", ("max_length",)),
    "too_short": ("too_short.items", ("min_length",)),
    "too_long": ("too_long.items", ("max_length",)),
    "bytes_too_short": ("too_short.chars", ("min_length",)),
    "bytes_too_long": ("too_long.chars", ("max_length",)),
    "greater_than": ("out_of_range.gt", ("gt",)),
    "greater_than_equal": ("out_of_range.ge", ("ge",)),
    "less_than": ("out_of_range.lt", ("lt",)),
    "less_than_equal": ("out_of_range.le", ("le",)),
    "multiple_of": ("out_of_range.multiple_of", ("multiple_of",)),
    "finite_number": ("out_of_range.finite", ()),
    "decimal_max_digits": ("too_long.digits", ("max_digits",)),
    "decimal_max_places": ("too_long.decimals", ("decimal_places",)),
    "decimal_whole_digits": ("too_long.digits", ("whole_digits",)),
    "enum": ("invalid_choice.one_of", ("expected",)),
    "literal_error": ("invalid_choice.one_of", ("expected",)),
    "string_pattern_mismatch": ("invalid_format", ()),
    "string_type": ("invalid_type.text", ()),
    "string_unicode": ("invalid_type.text", ()),
    "string_sub_type": ("invalid_type.text", ()),
    "int_parsing": ("not_a_number.integer", ()),
    "int_type": ("not_a_number.integer", ()),
    "int_from_float": ("not_a_number.integer", ()),
    "int_parsing_size": ("out_of_range.finite", ()),
    "float_parsing": ("not_a_number", ()),
    "float_type": ("not_a_number", ()),
    "decimal_parsing": ("not_a_number", ()),
    "decimal_type": ("not_a_number", ()),
    "complex_str_parsing": ("not_a_number", ()),
    "complex_type": ("not_a_number", ()),
    "bool_parsing": ("invalid_format.bool", ()),
    "bool_type": ("invalid_format.bool", ()),
    "date_parsing": ("invalid_format.day", ()),
    "date_type": ("invalid_format.day", ()),
    "date_from_datetime_parsing": ("invalid_format.day", ()),
    "date_from_datetime_inexact": ("invalid_format.day", ()),
    "date_past": ("out_of_range", ()),
    "date_future": ("out_of_range", ()),
    "datetime_parsing": ("invalid_format.timestamp", ()),
    "datetime_type": ("invalid_format.timestamp", ()),
    "datetime_from_date_parsing": ("invalid_format.timestamp", ()),
    "datetime_object_invalid": ("invalid_format.timestamp", ()),
    "timezone_aware": ("invalid_format.timestamp", ()),
    "timezone_naive": ("invalid_format.timestamp", ()),
    "time_parsing": ("invalid_format", ()),
    "time_type": ("invalid_format", ()),
    "time_delta_parsing": ("invalid_format", ()),
    "time_delta_type": ("invalid_format", ()),
    "uuid_parsing": ("invalid_format.uuid", ()),
    "uuid_type": ("invalid_format.uuid", ()),
    "uuid_version": ("invalid_format.uuid", ()),
    "url_parsing": ("invalid_format", ()),
    "url_syntax_violation": ("invalid_format", ()),
    "url_type": ("invalid_format", ()),
    "url_scheme": ("invalid_format", ()),
    "url_too_long": ("too_long.chars", ("max_length",)),
    "dict_type": ("invalid_type.object", ()),
    "model_type": ("invalid_type.object", ()),
    "model_attributes_type": ("invalid_type.object", ()),
    "dataclass_type": ("invalid_type.object", ()),
    "mapping_type": ("invalid_type.object", ()),
    "list_type": ("invalid_type.list", ()),
    "tuple_type": ("invalid_type.list", ()),
    "set_type": ("invalid_type.list", ()),
    "frozen_set_type": ("invalid_type.list", ()),
    "iterable_type": ("invalid_type.list", ()),
    "set_item_not_hashable": ("invalid_type.list", ()),
    "none_required": ("invalid_type.null", ()),
    "frozen_field": ("read_only", ()),
    "frozen_instance": ("read_only", ()),
}

_QUOTED = re.compile(r"'((?:[^'\\]|\\.)*)'")


def _choices(expected: object) -> list[str]:
    """pydantic's "'a', 'b' or 'c'" as the values, to be listed in the request's language."""
    text = str(expected)
    found = _QUOTED.findall(text)
    return found if found else [part.strip() for part in re.split(r",| or ", text) if part.strip()]


# pydantic gives a bound that is a date as its repr: "datetime.date(2200, 12, 31)".
_DATE_REPR = re.compile(r"datetime\.date\((\d+), (\d+), (\d+)\)")


def _param(name: str, value: object) -> object:
    if name == "expected":
        return _choices(value)
    if isinstance(value, str) and (day := _DATE_REPR.fullmatch(value)):
        year, month, date = (int(part) for part in day.groups())
        return dt.date(year, month, date).isoformat()
    return value


def pydantic_message(err: Mapping[str, Any]) -> tuple[str, dict[str, object]]:
    """The field message key and parameters of one pydantic error."""
    kind = str(err.get("type", ""))
    ctx: Mapping[str, Any] = err.get("ctx") or {}
    if kind in ("value_error", "assertion_error"):
        # A RuleViolation raised in a validator keeps its own code and words.
        from mtqg_shared.rules import RuleViolation

        error = ctx.get("error")
        if isinstance(error, RuleViolation):
            return error.key, dict(error.message.params)
        return GENERIC_CODE, {}
    known = _BY_TYPE.get(kind)
    if known is not None:
        key, names = known
        params = {name: _param(name, ctx[name]) for name in names if name in ctx}
        if len(params) < len(names):  # the code's own message needs no parameter
            return key.split(".", 1)[0], {}
        if key == "too_short.chars" and params.get("min_length") == 1:
            return "too_short.empty", {}
        return key, params
    if f"field.{kind}" in CATALOGUES["en"]:
        # Raised by `invalid(...)`: the type is the catalogue key, the ctx its parameters.
        return kind, dict(ctx)
    return GENERIC_CODE, {}


def invalid(key: str, **params: object) -> PydanticCustomError:
    """What a validator raises for a broken rule: `raise invalid("invalid_format.day")`. The
    error's type is the field message key (its code first), so the answer's code is right."""
    return PydanticCustomError(key, render(_field_message(key, **params), "en"), dict(params))
