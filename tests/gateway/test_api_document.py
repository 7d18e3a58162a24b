"""What a client generator or a reader of /openapi.json relies on, in the merged document as the
gateway serves it: every example is valid against its schema, operation ids are stable and
unique, every tag is described, required headers say so, and the answers' headers are
documented where the gateway sends them."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import Any

import pytest
from openapi_schema_validator import OAS31Validator

from scripts.api_document import merged_document
from tests import support

METHODS = ("get", "put", "post", "delete", "patch")
FORWARDED = ("/api/v1/housing/", "/api/v1/labour/", "/api/v1/production/")


@cache
def document() -> dict[str, Any]:
    return merged_document()


def operations(doc: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in doc["paths"].items():
        for method in METHODS:
            if method in item:
                yield path, method, item[method]


def _pointer(parts: tuple[str, ...]) -> str:
    return "#/" + "/".join(p.replace("~", "~0").replace("/", "~1") for p in parts)


def examples(node: Any, at: tuple[str, ...] = ()) -> Iterator[tuple[str, str, Any]]:
    """(where, pointer of the schema it must match, example) for every example: of a media
    type or a parameter (`example`, `examples.*.value`, matched against its `schema`) and of a
    schema itself (`examples: [...]`, `example`)."""
    if isinstance(node, list):
        for i, item in enumerate(node):
            yield from examples(item, (*at, str(i)))
        return
    if not isinstance(node, dict):
        return
    if "schema" in node and isinstance(node["schema"], dict):
        schema = _pointer((*at, "schema"))
        if "example" in node:
            yield _pointer((*at, "example")), schema, node["example"]
        for name, given in (node.get("examples") or {}).items():
            if isinstance(given, dict) and "value" in given:
                yield _pointer((*at, "examples", name)), schema, given["value"]
    elif at and at[-1] != "properties":  # a schema (not a map of property names)
        if isinstance(node.get("examples"), list):
            for i, value in enumerate(node["examples"]):
                yield _pointer((*at, "examples", str(i))), _pointer(at), value
        if "example" in node:
            yield _pointer((*at, "example")), _pointer(at), node["example"]
    for key, value in node.items():
        if key not in ("example", "examples"):
            yield from examples(value, (*at, key))


def invalid_examples(doc: dict[str, Any]) -> list[str]:
    found = []
    for where, schema, value in examples(doc):
        # The document itself is the root, so that every "#/components/..." resolves.
        validator = OAS31Validator(
            {**doc, "$ref": schema}, format_checker=OAS31Validator.FORMAT_CHECKER
        )
        for error in validator.iter_errors(value):
            found.append(f"{where}: {error.message}")
    return found


def test_every_example_is_valid_against_its_schema() -> None:
    doc = document()
    where = [w for w, _, _ in examples(doc)]
    # Every error answer carries one: hundreds, the 422 problem with its errors[] among them.
    assert len(where) > 500
    create = "#/paths/~1api~1v1~1housing~1cases/post/responses/422"
    assert f"{create}/content/application~1problem+json/example" in where
    assert invalid_examples(doc) == []


def test_an_example_that_breaks_its_schema_is_found() -> None:
    doc = document()
    cases = doc["paths"]["/api/v1/housing/cases"]["get"]["responses"]
    broken = {**cases["404"]["content"]["application/problem+json"]["example"]}
    del broken["instance"]
    broken["type"] = "/problems/no-such-type"
    bad = {
        **doc,
        "paths": {"/x": {"get": {"responses": {"404": {"description": "x", "content": {
            "application/problem+json": {
                "schema": {"$ref": "#/components/schemas/Problem"}, "example": broken
            }
        }}}}}},
    }  # fmt: skip
    found = invalid_examples(bad)
    assert len(found) == 2
    assert any("'instance' is a required property" in f for f in found)


def test_operation_ids_are_dotted_stable_and_unique() -> None:
    ids = {(method, path): op["operationId"] for path, method, op in operations(document())}
    assert len(set(ids.values())) == len(ids)
    assert ids[("get", "/api/v1/housing/cases")] == "housing.cases.list"
    assert ids[("get", "/api/v1/housing/cases/{case_id}")] == "housing.cases.get"
    assert ids[("post", "/api/v1/housing/cases")] == "housing.cases.create"
    assert ids[("patch", "/api/v1/housing/cases/{case_id}")] == "housing.cases.update"
    assert ids[("post", "/api/v1/housing/cases/{case_id}/transitions")] == (
        "housing.cases.transitions.create"
    )
    assert ids[("post", "/api/v1/auth/token")] == "auth.token"
    assert ids[("get", "/api/v1/auth/users")] == "auth.users.list"
    assert ids[("get", "/api/v1/labour/reports/overview")] == "labour.reports.overview.get"
    for operation_id in ids.values():
        assert all(word.isidentifier() for word in operation_id.split(".")), operation_id


def test_every_tag_is_described_and_grouped_by_service() -> None:
    doc = document()
    described = {tag["name"]: tag.get("description", "") for tag in doc["tags"]}
    used = {tag for _, _, op in operations(doc) for tag in op["tags"]}
    assert used == set(described)
    assert all(text.strip() for text in described.values()), described
    assert "housing: cases" in used and "users" in used
    groups = {group["name"]: group["tags"] for group in doc["x-tagGroups"]}
    assert "housing: cases" in groups["housing"]
    assert sorted(t for ts in groups.values() for t in ts) == sorted(described)


def test_servers_say_the_gateway_serves_every_path() -> None:
    assert document()["servers"] == [{"url": "/", "description": "This gateway."}]


def test_required_headers_are_marked_required() -> None:
    for path, method, operation in operations(document()):
        headers = {p["name"]: p for p in operation.get("parameters", []) if p["in"] == "header"}
        if method in ("patch", "put") and "428" in operation["responses"]:
            assert headers["If-Match"]["required"] is True, (method, path)
            assert headers["If-Match"]["schema"]["type"] == "string"
    users = document()["paths"]["/api/v1/auth/users/{username}"]["patch"]
    assert any(p["name"] == "If-Match" and p["required"] for p in users["parameters"])


def test_rate_limit_and_retry_headers_are_documented() -> None:
    doc = document()
    headers = doc["components"]["headers"]
    assert {"RateLimit", "RateLimit-Policy", "Retry-After"} <= set(headers)
    for path, method, operation in operations(doc):
        responses = operation["responses"]
        if path.startswith(FORWARDED):
            for code, answer in responses.items():
                assert answer["headers"]["RateLimit"] == {
                    "$ref": "#/components/headers/RateLimit"
                }, (method, path, code)
                assert "RateLimit-Policy" in answer["headers"], (method, path, code)
        for code in ("429", "503"):
            if code in responses:
                assert responses[code]["headers"]["Retry-After"] == {
                    "$ref": "#/components/headers/Retry-After"
                }, (method, path, code)


@pytest.mark.parametrize("name", ["HousingAuditEntry", "LabourAuditEntry", "AuditEntry"])
def test_audit_changes_are_old_and_new_values(name: str) -> None:
    doc = document()
    changes = doc["components"]["schemas"][name]["properties"]["changes"]
    # An object of changes, or null: withheld (a sensitive record, a reader without its role).
    values, withheld = changes["anyOf"]
    assert withheld == {"type": "null"}
    pair, secret = values["additionalProperties"]["anyOf"]
    assert pair["type"] == "array" and pair["minItems"] == pair["maxItems"] == 2
    secret = doc["components"]["schemas"][secret["$ref"].rsplit("/", 1)[1]]
    assert secret["type"] == "string" and secret["enum"] == ["set", "changed", "rotated"]
    validator = OAS31Validator({**doc, "$ref": f"#/components/schemas/{name}/properties/changes"})
    assert validator.is_valid({"status": ["registered", "verified"], "note": [None, "x"]})
    assert validator.is_valid({"areas": [None, ["15"]], "milestones": [None, [{"a": 1}]]})
    assert validator.is_valid({"password": "changed"})
    assert validator.is_valid(None)
    assert not validator.is_valid({"status": "verified"})
    assert not validator.is_valid({"status": ["registered"]})


def test_closed_sets_are_enums_and_dates_are_json_schema() -> None:
    doc = document()
    schemas = doc["components"]["schemas"]
    geographies = ["2025-01", "2025-07"]
    read = schemas["HousingCaseRead"]["properties"]["geography"]
    assert read["enum"] == geographies
    create = schemas["HousingCaseCreate"]["properties"]["geography"]
    assert {"type": "string", "enum": geographies} in create["anyOf"]
    cases = doc["paths"]["/api/v1/housing/cases"]["get"]["parameters"]
    geography = next(p for p in cases if p["name"] == "geography")["schema"]
    assert {"type": "string", "enum": geographies} in geography["anyOf"]
    registered = schemas["HousingCaseCreate"]["properties"]["registered_on"]["anyOf"][0]
    assert registered["format"] == "date" and "ge" not in registered and "le" not in registered
    assert "1900-01-01" in registered["description"]

    def keys(node: Any) -> Iterator[str]:
        if isinstance(node, dict):
            yield from node
            for value in node.values():
                yield from keys(value)
        elif isinstance(node, list):
            for item in node:
                yield from keys(item)

    assert not {"ge", "le", "gt", "lt"} & set(keys(schemas))


def test_every_one_record_read_documents_its_etag_and_304() -> None:
    doc = document()
    # The household view gathers several programmes' records: it has no version of its own.
    views = {"/api/v1/households/{household_code}"}
    reads = set(support.single_record_reads(doc)) - views
    assert {"/api/v1/auth/users/{username}", "/api/v1/admin-units/{code}"} <= reads
    for path in reads | {"/api/v1/housing/vocabulary"}:
        get = doc["paths"][path]["get"]
        assert "ETag" in get["responses"]["200"]["headers"], path
        assert "ETag" in get["responses"]["304"]["headers"], path
        assert "If-None-Match" in [p["name"] for p in get["parameters"]], path
