"""The kit's vocabulary: labels checked against their enum when declared, enums named in a
document by one rule, the answer's documented schema, and If-None-Match."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Literal

import httpx
import pytest
from fastapi import FastAPI

from mtqg_shared.delivery import NotModified, none_match
from mtqg_shared.kit.vocabulary import (
    UnnamedEnumError,
    Vocabulary,
    document_enums,
    snake_case,
    terms,
    vocabulary_router,
)


class SupportType(StrEnum):
    NEW_BUILD = "new_build"
    REPAIR = "repair"


SUPPORT = {"new_build": ("Xây mới", "New build"), "repair": ("Sửa chữa", "Repair")}
Stage = Literal["2025-01", "draft"]


def test_a_strenum_is_named_as_its_openapi_schema() -> None:
    assert terms(SupportType, SUPPORT).name == "support_type"
    assert snake_case("OCOPProduct") == "ocop_product"
    assert snake_case("BeneficiaryGroup") == "beneficiary_group"


def test_labels_must_match_the_enum_value_for_value() -> None:
    with pytest.raises(ValueError, match=r"missing \['repair'\]"):
        terms(SupportType, {"new_build": ("Xây mới", "New build")})
    with pytest.raises(ValueError, match=r"not values \['rebuild'\]"):
        terms(SupportType, {**SUPPORT, "rebuild": ("Xây lại", "Rebuild")})
    with pytest.raises(ValueError, match="both vi and en"):
        terms(SupportType, {**SUPPORT, "repair": (" ", "Repair")})
    with pytest.raises(TypeError, match="needs a name"):
        terms(Stage, {"2025-01": ("Trước", "Before"), "draft": ("Nháp", "Draft")})


def test_two_enums_of_one_name_are_refused() -> None:
    with pytest.raises(ValueError, match="two enums named order"):
        Vocabulary(terms(("a",), {"a": ("Một", "One")}, name="order"))


def test_the_document_names_enums_by_schema_property_or_parameter() -> None:
    document: dict[str, Any] = {
        "components": {
            "schemas": {
                "SupportType": {"type": "string", "enum": ["new_build", "repair"]},
                "CaseRead": {
                    "properties": {
                        "support_type": {"$ref": "#/components/schemas/SupportType"},
                        "kind": {"anyOf": [{"enum": ["a", "b"]}, {"type": "null"}]},
                        "roles": {"type": "array", "items": {"enum": ["viewer"]}},
                        "token_type": {"const": "bearer"},
                    }
                },
            }
        },
        "paths": {
            "/cases": {
                "get": {
                    "parameters": [{"name": "order", "schema": {"enum": ["created", "updated"]}}],
                    "responses": {},
                }
            }
        },
    }
    assert document_enums(document) == {
        "support_type": ("new_build", "repair"),
        "kind": ("a", "b"),
        "roles": ("viewer",),
        "order": ("created", "updated"),
    }
    clash = {"properties": {"kind": {"enum": ["c"]}}}
    document["components"]["schemas"]["PartnerRead"] = clash
    with pytest.raises(UnnamedEnumError, match="two enums named kind"):
        document_enums(document)
    problem = {"properties": {"type": {"enum": ["/problems/validation"]}}}
    assert "type" not in document_enums({"components": {"schemas": {"Problem": problem}}})
    nameless = {"type": "object", "additionalProperties": {"enum": ["x"]}}
    with pytest.raises(UnnamedEnumError, match="no property or parameter"):
        document_enums({"components": {"schemas": {"Map": nameless}}})


@pytest.mark.parametrize(
    ("header", "hit"),
    [
        ('"abc"', True),
        ('W/"abc"', True),
        ('"x", W/"abc" , "y"', True),
        ("*", True),
        ('"abcd"', False),
        ('"ab", "c"', False),
        ("abc", False),
        ("", False),
        ('"a,bc"', False),
    ],
)
def test_if_none_match_is_a_weak_comparison_of_a_list(header: str, hit: bool) -> None:
    # The one matcher every 304 goes through, the vocabulary's included.
    assert none_match(header.encode(), b'"abc"') is hit


async def test_the_answer_its_schema_and_its_revalidation() -> None:
    vocabulary = Vocabulary(
        terms(SupportType, SUPPORT),
        terms(Stage, {"2025-01": ("Trước", "Before"), "draft": ("Nháp", "Draft")}, name="stage"),
    )
    app = FastAPI()
    app.include_router(vocabulary_router("/api/v1/probe", vocabulary))
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=NotModified(app)), base_url="http://test"
    ) as client:
        answer = await client.get("/api/v1/probe/vocabulary")
        assert answer.status_code == 200
        assert answer.json()["support_type"] == {
            "new_build": {"vi": "Xây mới", "en": "New build"},
            "repair": {"vi": "Sửa chữa", "en": "Repair"},
        }
        assert list(answer.json()) == [
            "order",
            "geography",
            "secret_change",
            "action",
            "support_type",
            "stage",
        ]
        assert answer.headers["cache-control"] == "public, max-age=86400"
        tag = answer.headers["etag"]
        cached = await client.get("/api/v1/probe/vocabulary", headers={"If-None-Match": tag})
        assert (cached.status_code, cached.content, cached.headers["etag"]) == (304, b"", tag)
    # The same words give the same tag in every replica and after a restart.
    assert (
        Vocabulary(terms(SupportType, SUPPORT)).etag == Vocabulary(terms(SupportType, SUPPORT)).etag
    )
    assert Vocabulary(terms(SupportType, SUPPORT)).etag != vocabulary.etag

    schemas = app.openapi()["components"]["schemas"]
    root = schemas["Vocabulary"]
    assert root["required"] == [
        "order",
        "geography",
        "secret_change",
        "action",
        "support_type",
        "stage",
    ]
    assert root["additionalProperties"] is False
    stage = schemas["StageLabels"]
    assert stage["required"] == ["2025-01", "draft"]
    assert stage["properties"]["2025-01"] == {"$ref": "#/components/schemas/Label"}
    assert schemas["Label"]["required"] == ["vi", "en"]
