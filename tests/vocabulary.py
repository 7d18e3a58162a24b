"""What every process's `GET .../vocabulary` must answer, checked against the process's own
OpenAPI document (so an enum added without its words fails): every enum by the kit's naming
rule with exactly its values, each value with Vietnamese and English words, the Vietnamese not
the English copied; no token; the answer valid against its documented schema; ETag, a public
Cache-Control, and 304 for a matching If-None-Match."""

from __future__ import annotations

from typing import Any

import httpx
import jsonschema

from mtqg_shared.kit.vocabulary import document_enums


def _component(document: dict[str, Any], ref: str) -> dict[str, Any]:
    return {"$ref": ref, "components": document["components"]}


async def check_vocabulary(
    client: httpx.AsyncClient, path: str, document: dict[str, Any]
) -> dict[str, dict[str, dict[str, str]]]:
    """The vocabulary at `path` after every check; `document` is the process's own."""
    answer = await client.get(path)  # no Authorization header
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("application/json")
    body: dict[str, dict[str, dict[str, str]]] = answer.json()

    enums = document_enums(document)
    assert enums, "the document names no enum at all"
    for name, values in enums.items():
        assert name in body, f"{name} has no words"
        assert set(body[name]) == set(values), f"{name}: {sorted(body[name])} != {values}"
    for name, labels in body.items():
        for value, label in labels.items():
            assert set(label) == {"vi", "en"}, (name, value)
            assert label["vi"].strip() and label["en"].strip(), (name, value)
            assert label["vi"].casefold() != label["en"].casefold(), (name, value, label)
        # Vietnamese is written with its diacritics; an enum of ASCII-only labels is English.
        assert any(not label["vi"].isascii() for label in labels.values()), (name, labels)

    operation = document["paths"][path]["get"]
    assert "security" not in operation  # documented as needing no token
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    jsonschema.validate(body, _component(document, schema["$ref"]))

    tag = answer.headers["etag"]
    assert tag.startswith('"') and tag.endswith('"')
    cache = answer.headers["cache-control"]
    assert "public" in cache and "max-age=86400" in cache
    again = await client.get(path)
    assert again.headers["etag"] == tag and again.content == answer.content

    for header in (tag, f'"other", W/{tag}', "*"):
        fresh = await client.get(path, headers={"If-None-Match": header})
        assert fresh.status_code == 304, header
        assert fresh.content == b""
        assert fresh.headers["etag"] == tag
        assert "public" in fresh.headers["cache-control"]
    stale = await client.get(path, headers={"If-None-Match": '"an-older-release"'})
    assert stale.status_code == 200 and stale.content == answer.content

    unknown = await client.get(path, params={"lang": "vi"})
    assert unknown.status_code == 422
    assert unknown.headers["content-type"].startswith("application/problem+json")
    return body
