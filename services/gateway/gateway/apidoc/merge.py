"""One OpenAPI 3.1 document from the gateway's own and every service's.

- Paths: the gateway's own, and of each service those under its prefix `/api/v1/<service>`
  (its /healthz, /readyz and /metrics are not reachable through the gateway).
- Components: each service's schemas take the service's name as a prefix (`Overview` ->
  `LabourOverview` and `ProductionOverview`, `CaseRead` -> `HousingCaseRead`), every `$ref`
  rewritten, so no two can clash and a name never changes with which services answered (a
  client generated while one service was down keeps its names). The gateway's own keep theirs.
  Security schemes are shared when equal (they are: the same bearer token), else prefixed.
- Tags are prefixed with the service (`housing: cases`), each described and grouped by
  process (`x-tagGroups`); operationIds are kept unique.
- `servers` is the gateway itself (`/`): every path is the gateway's.
- Errors: every error answer is `application/problem+json` with the one `Problem` schema and
  its fixed `type` URIs; the answers the gateway adds are documented where they apply (429
  everywhere but the probes, 413 with a body, 502/503/504 on forwarded paths, ...); a change
  answering 428 requires If-Match; every forwarded answer carries the rate limit's headers.
- An operation that needs no token says so (`security: []`).
- The views' members point at the services' own schemas of what they pass on.
- Schemas nothing refers to any more (the services' own problem schemas) are dropped.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping
from typing import Any

from gateway.apidoc import headers, problems, security
from mtqg_shared.openapi import document_revalidation, require_if_match
from mtqg_shared.registry import GATEWAY, SERVICE_NAMES, SERVICES, spoken_list

_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_COMPONENTS = "#/components/"
_PROBES = frozenset({"/healthz", "/readyz", "/metrics"})
# (gateway schema, property, service path answering it, steps into its 200 answer, list?)
_VIEW_LINKS = (
    *(
        ("ProgrammeOverview", s.name, f"{s.prefix}/{s.overview.report}", s.overview.steps, False)
        for s in SERVICES
        if s.overview is not None
    ),
    ("HouseholdHousing", "cases", "/api/v1/housing/cases", ("items", "[]"), True),
    ("HouseholdLabour", "workers", "/api/v1/labour/workers", ("items", "[]"), True),
    ("HouseholdLabour", "placements", "/api/v1/labour/placements", ("items", "[]"), True),
    ("HouseholdProduction", "projects", "/api/v1/production/projects", ("items", "[]"), True),
)

Renames = dict[tuple[str, str], str]  # (component section, name) -> new name


def merge(
    gateway: Mapping[str, Any],
    services: Mapping[str, Mapping[str, Any] | None],
) -> dict[str, Any]:
    """The merged document; `services` maps each service to its document, or None when it
    could not be had (it is then named in `x-missing-services`)."""
    doc = copy.deepcopy(dict(gateway))
    doc["openapi"] = "3.1.0"
    components = doc.setdefault("components", {})
    components.setdefault("schemas", {}).update(problems.schemas())
    components.setdefault("headers", {}).update(headers.COMPONENTS)
    missing = []
    for service, source in services.items():
        if source is None:
            missing.append(service)
        else:
            _add_service(doc, service, copy.deepcopy(dict(source)))
    security.add_oauth2(doc)
    _document_errors(doc, tuple(services))
    metrics = doc.get("paths", {}).get("/metrics", {}).get("get")
    if metrics is not None:  # Prometheus text, not JSON
        ok = metrics.setdefault("responses", {}).setdefault("200", {"description": "Metrics"})
        ok["content"] = {"text/plain": {"schema": {"type": "string"}}}
    _link_views(doc)
    _link_changes(doc)
    _prune(doc)
    _mark_public(doc)
    _tags(doc, services)
    _describe(doc, services, missing)
    return doc


def _operations(doc: Mapping[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in doc.get("paths", {}).items():
        for method in _METHODS:
            operation = item.get(method)
            if isinstance(operation, dict):
                yield path, method, operation


def _rewrite(node: Any, renames: Renames) -> Any:
    """`node` with every reference to a renamed component pointing at its new name."""
    if not renames:
        return node
    if isinstance(node, list):
        return [_rewrite(item, renames) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "$ref" and isinstance(value, str):
            out[key] = _renamed_ref(value, renames)
        elif key == "mapping" and isinstance(value, dict):  # discriminator mappings
            out[key] = {
                k: _renamed_ref(v, renames) if isinstance(v, str) else v for k, v in value.items()
            }
        else:
            out[key] = _rewrite(value, renames)
    return out


def _renamed_ref(ref: str, renames: Renames) -> str:
    if not ref.startswith(_COMPONENTS):
        return ref
    section, _, name = ref[len(_COMPONENTS) :].partition("/")
    new = renames.get((section, name))
    return f"{_COMPONENTS}{section}/{new}" if new else ref


def _fresh_name(service: str, name: str, taken: set[str]) -> str:
    base = service.capitalize() + name
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}{n}", n + 1
    return candidate


def _renames(doc: dict[str, Any], service: str, source: dict[str, Any]) -> Renames:
    """The service's components under their names in the merged document."""
    ours: dict[str, dict[str, Any]] = doc["components"]
    theirs: dict[str, dict[str, Any]] = source.get("components", {})
    renames: Renames = {}
    for section, entries in theirs.items():
        present = ours.get(section, {})
        taken = set(present) | set(entries)
        for name, value in entries.items():
            if section == "securitySchemes" and present.get(name, value) == value:
                continue  # the same scheme: shared under its name
            new = _fresh_name(service, name, taken)
            taken.add(new)
            renames[(section, name)] = new
    return renames


def _add_service(doc: dict[str, Any], service: str, source: dict[str, Any]) -> None:
    prefix = f"/api/v1/{service}"
    renames = _renames(doc, service, source)
    for section, entries in source.get("components", {}).items():
        target = doc["components"].setdefault(section, {})
        for name, value in entries.items():
            new = renames.get((section, name), name)
            value = _rewrite(value, renames)
            if isinstance(value, dict) and value.get("title") == name:
                value["title"] = new  # generators name classes by title as often as by key
            target.setdefault(new, value)
    schemes = {old: new for (section, old), new in renames.items() if section == "securitySchemes"}
    operation_ids = {op.get("operationId") for _, _, op in _operations(doc)}
    paths = doc.setdefault("paths", {})
    for path, item in source.get("paths", {}).items():
        if not (path == prefix or path.startswith(prefix + "/")) or path in paths:
            continue
        item = _rewrite(item, renames)
        for method in _METHODS:
            operation = item.get(method)
            if not isinstance(operation, dict):
                continue
            operation["tags"] = [f"{service}: {tag}" for tag in operation.get("tags", [])] or [
                service
            ]
            if operation.get("operationId") in operation_ids:
                operation["operationId"] = f"{service}_{operation['operationId']}"
            operation_ids.add(operation.get("operationId"))
            if schemes and "security" in operation:
                operation["security"] = [
                    {schemes.get(k, k): v for k, v in requirement.items()}
                    for requirement in operation["security"]
                ]
        paths[path] = item


def _document_errors(doc: dict[str, Any], services: tuple[str, ...]) -> None:
    prefixes = tuple(f"/api/v1/{s}" for s in services)
    for path, _method, operation in _operations(doc):
        forwarded = any(path == p or path.startswith(p + "/") for p in prefixes)
        responses: dict[str, Any] = operation.setdefault("responses", {})
        added: set[int] = set()
        if path not in _PROBES:
            added.add(429)  # the per-caller rate limit counts every other path
        if path.startswith("/api/v1/"):
            added.add(422)  # unknown query parameters at least
        if operation.get("security"):
            added |= {401, 403}
        body = operation.get("requestBody")
        if body:
            added |= {400, 413}  # a body that cannot be read; the gateway's body limit
            if not forwarded and "application/json" in body.get("content", {}):
                added.add(415)  # the gateway's own JSON endpoints read JSON only
        if forwarded:
            added |= {502, 503, 504}
        if path == "/readyz":
            added.add(503)
        for status in sorted(added):
            responses.setdefault(str(status), {})
        for code, given in list(responses.items()):
            if code.isdigit() and int(code) >= 400 and "$ref" not in given:
                responses[code] = problems.answer(int(code), given, path)
        if "428" in responses:
            require_if_match(operation)
        if "304" in responses:
            document_revalidation(operation)
        if forwarded:
            headers.rate_limited(responses)
        operation["responses"] = dict(sorted(responses.items()))


def _mark_public(doc: dict[str, Any]) -> None:
    """An operation with no security requirement needs no token: said, not left unsaid."""
    for _path, _method, operation in _operations(doc):
        operation.setdefault("security", [])


def _tags(doc: dict[str, Any], services: Mapping[str, Mapping[str, Any] | None]) -> None:
    """The tags the operations use, each with its description, grouped by process."""
    used = {tag for _, _, op in _operations(doc) for tag in op.get("tags", [])}
    described: list[dict[str, Any]] = []
    groups: list[dict[str, Any]] = []
    sources = {GATEWAY: (doc.get("tags", []), "{}"), **{
        name: (source.get("tags", []), f"{name}: {{}}")
        for name, source in services.items()
        if source is not None
    }}  # fmt: skip
    for process, (tags, named) in sources.items():
        ours = [{**tag, "name": named.format(tag["name"])} for tag in tags]
        ours = [tag for tag in ours if tag["name"] in used]
        if ours:
            described.extend(ours)
            groups.append({"name": process, "tags": [tag["name"] for tag in ours]})
    doc["tags"] = described
    doc["x-tagGroups"] = groups


def _deref(doc: Mapping[str, Any], schema: Any) -> Any:
    seen = 0
    while isinstance(schema, dict) and isinstance(schema.get("$ref"), str) and seen < 32:
        ref: str = schema["$ref"]
        if not ref.startswith(_COMPONENTS):
            return None
        section, _, name = ref[len(_COMPONENTS) :].partition("/")
        schema = doc.get("components", {}).get(section, {}).get(name)
        seen += 1
    return schema


def _follow(doc: Mapping[str, Any], path: str, steps: tuple[str, ...]) -> Any:
    """The schema at `steps` inside what GET `path` answers with 200, or None."""
    try:
        answer = doc["paths"][path]["get"]["responses"]["200"]
        schema = answer["content"]["application/json"]["schema"]
    except (KeyError, TypeError):
        return None
    for step in steps:
        schema = _deref(doc, schema)
        if not isinstance(schema, dict):
            return None
        schema = schema.get("items") if step == "[]" else schema.get("properties", {}).get(step)
    return copy.deepcopy(schema) if isinstance(schema, dict) else None


def _link_views(doc: dict[str, Any]) -> None:
    schemas = doc["components"].get("schemas", {})
    for schema_name, prop, path, steps, is_list in _VIEW_LINKS:
        holder = schemas.get(schema_name, {}).get("properties", {})
        target = _follow(doc, path, steps)
        if prop not in holder or target is None:
            continue
        description = holder[prop].get("description")
        linked = {"type": "array", "items": target} if is_list else {
            "anyOf": [target, {"type": "null"}]
        }  # fmt: skip
        if description:
            linked["description"] = description
        holder[prop] = linked


def _link_changes(doc: dict[str, Any]) -> None:
    """The gateway's change items hold the records of every service's feed: one of theirs."""
    holder = doc["components"].get("schemas", {}).get("GatewayChange", {}).get("properties", {})
    if "record" not in holder:
        return
    shapes: list[Any] = []
    for service in SERVICES:
        target = _follow(doc, f"{service.prefix}/changes", ("items", "[]", "record"))
        if isinstance(target, dict):
            for shape in target.get("anyOf", [target]):
                if shape != {"type": "null"} and shape not in shapes:
                    shapes.append(shape)
    if shapes:
        description = holder["record"].get("description")
        holder["record"] = {"anyOf": [*shapes, {"type": "null"}]}
        if description:
            holder["record"]["description"] = description


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            elif key == "mapping" and isinstance(value, dict):
                yield from (v for v in value.values() if isinstance(v, str))
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def _prune(doc: dict[str, Any]) -> None:
    """Drop components nothing refers to (security schemes are referred to by name: kept)."""
    components = doc["components"]
    reached: set[str] = set()
    todo = [ref for ref in _refs(doc.get("paths", {})) if ref.startswith(_COMPONENTS)]
    while todo:
        ref = todo.pop()
        if ref in reached:
            continue
        reached.add(ref)
        section, _, name = ref[len(_COMPONENTS) :].partition("/")
        todo.extend(r for r in _refs(components.get(section, {}).get(name)) if r not in reached)
    for section, entries in components.items():
        if section == "securitySchemes":
            continue
        for name in [n for n in entries if f"{_COMPONENTS}{section}/{n}" not in reached]:
            del entries[name]


def _describe(
    doc: dict[str, Any], services: Mapping[str, Mapping[str, Any] | None], missing: list[str]
) -> None:
    info = doc.setdefault("info", {})
    info["title"] = "MTQG API"
    present = [s for s, source in services.items() if source is not None]
    text = (
        "The whole public API of the MTQG backend, served by the gateway: identity, "
        "administrative units and the cross-programme views, and the "
        f"{spoken_list(SERVICE_NAMES)} services' endpoints, which the gateway forwards "
        "unchanged. Every error is application/problem+json with a fixed `type`."
    )
    if missing:
        text += (
            f"\n\nNot included because the service could not be reached: {', '.join(missing)}. "
            "The gateway fetches their documents again on the next request."
        )
    info["description"] = text
    doc["servers"] = [{"url": "/", "description": "This gateway."}]
    doc["x-services"] = {
        s: str(services[s].get("info", {}).get("version", ""))  # type: ignore[union-attr]
        for s in present
    }
    doc["x-missing-services"] = missing
