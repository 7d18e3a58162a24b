"""Each process's words: `GET <prefix>/vocabulary` (no token) answers the Vietnamese and English
label of every enum value the process's OpenAPI document names,
`{enum_name: {value: {"vi": "...", "en": "..."}}}`, so that a phone or a web app shows an
officer "Hộ cận nghèo" where the API says `near_poor`.

Names. An enum is called by the name it has in the process's own OpenAPI document: a component
schema (a `StrEnum`) by its name in snake_case (`BeneficiaryGroup` -> `beneficiary_group`); an
enum written in place (a `Literal`) has no name there, so it is called by the property, query
parameter or form field that holds it (`kind`, `group_by`, `order`; a list's items by the list:
`roles`). `document_enums` reads a document by this rule; each process's tests check that its
vocabulary covers every enum the document holds, value for value. The problem schemas' enums
(a problem's `type`, a field error's `code`) are not vocabulary: what a person reads of an error
is its title and messages, which the message catalogue words in each language.

A service declares its labels beside its enums (`terms(...)` per enum, one `Vocabulary` of
them) and hands it to the app factory; the words every process shares (`COMMON`: the list
order, the two geographies) are added by `Vocabulary` itself. Labels that are missing, extra
or empty fail when the module is imported, so a release cannot ship an enum value without its
words.

The answer is made once, when the process starts: it changes only with a release. It carries
a strong ETag (a hash of its bytes) and `Cache-Control: public, max-age=86400`; a request
whose `If-None-Match` names that tag (a list of tags, `*`, weak comparison: RFC 9110 13.1.2)
gets 304 with no body.
"""

from __future__ import annotations

import hashlib
import re
import typing
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field, create_model

from mtqg_shared.admin_units import GEO_NEW, GEO_OLD, GEOGRAPHIES
from mtqg_shared.audit import SecretChange
from mtqg_shared.kit.changes import ChangeAction
from mtqg_shared.messages import name_enum_values
from mtqg_shared.openapi import PROBLEM_SCHEMAS, release_cached
from mtqg_shared.pagination import ListParams

MAX_AGE_SECONDS = 86400
CACHE_CONTROL = f"public, max-age={MAX_AGE_SECONDS}"

# A label as declared: (Vietnamese, English).
Words = tuple[str, str]


class Label(BaseModel):
    """One enum value's words."""

    model_config = ConfigDict(extra="forbid")

    vi: str = Field(description="Vietnamese: the word officers use.", min_length=1)
    en: str = Field(description="English.", min_length=1)


def snake_case(name: str) -> str:
    """`BeneficiaryGroup` -> `beneficiary_group`, `OCOPProduct` -> `ocop_product`."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", name).lower()


def _camel_case(name: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[^0-9A-Za-z]+", name))


def _values_of(source: object) -> tuple[str, ...]:
    if isinstance(source, type) and issubclass(source, Enum):
        return tuple(str(member.value) for member in source)
    if typing.get_origin(source) is typing.Literal:
        return tuple(str(value) for value in typing.get_args(source))
    if isinstance(source, Iterable) and not isinstance(source, str | bytes):
        return tuple(str(value) for value in source)
    raise TypeError(f"not an enum, a Literal or a list of values: {source!r}")


@dataclass(frozen=True, slots=True)
class Terms:
    """One enum's name and the words of each of its values, in the enum's order."""

    name: str
    labels: Mapping[str, Label]


def terms(source: object, labels: Mapping[str, Words], *, name: str | None = None) -> Terms:
    """The words of one enum: `source` is a `StrEnum` (named after it unless `name` is
    given), a `Literal` or a list of values (then `name` is required: the property or
    parameter that holds it); `labels` maps every value, and nothing else, to (vi, en)."""
    values = _values_of(source)
    if name is None:
        if not (isinstance(source, type) and issubclass(source, Enum)):
            raise TypeError(f"an enum written in place needs a name: {source!r}")
        name = snake_case(source.__name__)
    given = {str(value) for value in labels}
    missing = [value for value in values if value not in given]
    extra = sorted(given - set(values))
    if missing or extra:
        raise ValueError(f"labels of {name}: missing {missing}, not values {extra}")
    words = {str(value): pair for value, pair in labels.items()}
    out: dict[str, Label] = {}
    for value in values:
        vi, en = words[value]
        if not vi.strip() or not en.strip():
            raise ValueError(f"labels of {name}.{value}: both vi and en are needed")
        out[value] = Label(vi=vi, en=en)
    if isinstance(source, type) and issubclass(source, Enum):
        # Messages that name a member word it as the vocabulary does.
        name_enum_values(source, {value: label.model_dump() for value, label in out.items()})
    return Terms(name, out)


COMMON: tuple[Terms, ...] = (
    terms(
        ListParams.model_fields["order"].annotation,
        {
            "created": ("Theo ngày tạo, mới nhất trước", "By creation, newest first"),
            "updated": (
                "Theo lần sửa gần nhất, cũ nhất trước (để đồng bộ)",
                "By last change, oldest first (for sync)",
            ),
        },
        name="order",
    ),
    terms(
        GEOGRAPHIES,
        {
            GEO_OLD: (
                "Địa giới trước 01/07/2025 (tỉnh, huyện, xã)",
                "Units before 1 July 2025 (province, district, commune)",
            ),
            GEO_NEW: (
                "Địa giới từ 01/07/2025 (tỉnh, xã)",
                "Units from 1 July 2025 (province, commune)",
            ),
        },
        name="geography",
    ),
    terms(
        SecretChange,
        {
            SecretChange.SET: ("Đã đặt", "Set"),
            SecretChange.CHANGED: ("Đã đổi", "Changed"),
            SecretChange.ROTATED: ("Đã cấp mới", "Rotated"),
        },
    ),
    terms(
        ChangeAction,
        {
            "upsert": ("Thêm mới hoặc đã sửa", "Added or changed"),
            "remove": ("Không còn trong địa bàn của bạn", "No longer in your areas"),
        },
        name="action",
    ),
)


# Words of values that several services' enums share (each service keeps its own enum).
BUDGETS: Mapping[str, Words] = {
    "central_budget": ("Ngân sách trung ương", "Central budget"),
    "local_budget": ("Ngân sách địa phương", "Local budget"),
}
HOUSEHOLD_POVERTY: Mapping[str, Words] = {
    "poor": ("Hộ nghèo", "Poor household"),
    "near_poor": ("Hộ cận nghèo", "Near-poor household"),
    "escaped": ("Hộ mới thoát nghèo", "Household recently out of poverty"),
    "none": ("Không thuộc hộ nghèo, cận nghèo", "Neither poor nor near-poor"),
    "unknown": ("Chưa xác định", "Not known"),
}


class Vocabulary:
    """A process's vocabulary: its own enums' terms and the common ones, made into the answer
    (bytes, ETag) and its documented schema once."""

    def __init__(self, *own: Terms) -> None:
        self.own = own
        entries: dict[str, Terms] = {}
        for entry in (*COMMON, *own):
            if entry.name in entries:
                raise ValueError(f"two enums named {entry.name} in one vocabulary")
            entries[entry.name] = entry
        self.terms: Mapping[str, Terms] = entries
        self.model = _model(entries.values())
        body = self.model.model_validate(
            {name: dict(entry.labels) for name, entry in entries.items()}
        )
        self.body = body.model_dump_json(by_alias=True).encode()
        self.etag = f'"{hashlib.sha256(self.body).hexdigest()[:32]}"'

    def adding(self, *more: Terms) -> Vocabulary:
        """This vocabulary with the terms of what the app factory adds to every service."""
        return Vocabulary(*self.own, *more)

    def answer(self) -> Response:
        headers = {"ETag": self.etag, "Cache-Control": CACHE_CONTROL}
        return Response(self.body, media_type="application/json", headers=headers)


def _model(entries: Iterable[Terms]) -> type[BaseModel]:
    """The answer's schema: an object per enum, its values as properties, each a `Label`.
    Fields are named by position; their aliases are the enum names and values (which need
    not be Python names: `2025-01`)."""
    config = ConfigDict(extra="forbid", populate_by_name=True)
    fields: dict[str, Any] = {}
    for i, entry in enumerate(entries):
        values: dict[str, Any] = {
            f"v{j}": (Label, Field(alias=value)) for j, value in enumerate(entry.labels)
        }
        of_enum = create_model(
            f"{_camel_case(entry.name)}Labels",
            __config__=config,
            __doc__=f"The words of each value of `{entry.name}`.",
            **values,
        )
        fields[f"e{i}"] = (of_enum, Field(alias=entry.name))
    model: type[BaseModel] = create_model(
        "Vocabulary",
        __config__=config,
        __doc__="Every enum of the process: each value's Vietnamese and English words.",
        **fields,
    )
    return model


def vocabulary_router(prefix: str, vocabulary: Vocabulary) -> APIRouter:
    """`GET <prefix>/vocabulary`: no token, the same answer until the next release."""
    router = APIRouter(prefix=prefix, tags=["vocabulary"])

    @router.get(
        "/vocabulary",
        response_model=vocabulary.model,
        summary="The Vietnamese and English words of every enum value (no token needed)",
        response_description="Every enum of the service: each value's words.",
        responses=release_cached(CACHE_CONTROL, "vocabulary"),
    )
    async def get_vocabulary() -> Response:
        # An If-None-Match that names the tag gets 304 from the delivery layer.
        return vocabulary.answer()

    return router


class UnnamedEnumError(ValueError):
    """An enum in a document that the naming rule cannot name, or two enums of one name."""


def document_enums(document: Mapping[str, Any]) -> dict[str, tuple[str, ...]]:
    """Every enum of an OpenAPI document by the naming rule above: name -> its values."""
    found: dict[str, tuple[str, ...]] = {}

    def add(name: str | None, values: list[Any], where: str) -> None:
        if name is None:
            raise UnnamedEnumError(f"an enum with no property or parameter to name it: {where}")
        got = tuple(str(value) for value in values)
        if found.setdefault(name, got) != got:
            raise UnnamedEnumError(f"two enums named {name}: {found[name]} and {got} ({where})")

    def visit(node: Any, name: str | None, where: str) -> None:
        if isinstance(node, list):
            for i, item in enumerate(node):
                visit(item, name, f"{where}/{i}")
            return
        if not isinstance(node, dict):
            return
        if isinstance(node.get("enum"), list):
            add(name, node["enum"], where)
        for key, value in node.items():
            if key == "properties" and isinstance(value, dict):
                for prop, schema in value.items():
                    visit(schema, prop, f"{where}/properties/{prop}")
            elif key == "parameters" and isinstance(value, list):
                for i, parameter in enumerate(value):
                    if isinstance(parameter, dict):
                        visit(parameter.get("schema"), parameter.get("name"), f"{where}/{i}")
            elif key in ("items", "anyOf", "oneOf", "allOf"):
                visit(value, name, f"{where}/{key}")
            elif key not in ("enum", "examples", "example", "default", "const"):
                visit(value, None, f"{where}/{key}")

    schemas = document.get("components", {}).get("schemas", {})
    for component, schema in schemas.items():
        if component in PROBLEM_SCHEMAS:
            continue
        if isinstance(schema, dict) and isinstance(schema.get("enum"), list):
            add(snake_case(component), schema["enum"], f"#/components/schemas/{component}")
        else:
            visit(schema, None, f"#/components/schemas/{component}")
    visit(document.get("paths", {}), None, "#/paths")
    return found
