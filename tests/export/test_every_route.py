"""Every collection and every report of every service answers csv and xlsx, headed in the
answer's language. The routes are found in each app, so a new resource is covered without
editing this test; the records are the service's demo (and gender's protection case)."""

from __future__ import annotations

import importlib
import inspect
from typing import Any

import pytest

from mtqg_shared import export
from mtqg_shared.messages import msg
from mtqg_shared.registry import SERVICE_NAMES
from tests import support
from tests.export.helpers import flat, heading, read_csv, read_xlsx
from tests.test_304 import HOLDER, SENSITIVE

MEDIA = {"csv": "text/csv; charset=utf-8", "xlsx": export.XLSX_MEDIA}


async def _load_demo(client: Any, service: str, monkeypatch: pytest.MonkeyPatch) -> None:
    demo = importlib.import_module(f"demo.{service}")
    if hasattr(demo, "CONCURRENCY"):
        monkeypatch.setattr(demo, "CONCURRENCY", 1)
    wanted = inspect.signature(demo.load).parameters
    options: dict[str, Any] = {"concurrency": 1} if "concurrency" in wanted else {}
    if "houses" in wanted:
        options["houses"] = 3
    await demo.load(client, lambda _line: None, **options)
    make = SENSITIVE.get(service)
    if make is not None:
        await make(client)


def _first_item(shape: export.Shape, body: Any) -> Any | None:
    if shape.kind == "collection":
        return (body["items"] or [None])[0]
    if shape.kind == "rows":
        return (body["rows"] or [body["totals"]])[0]
    return body


@pytest.mark.parametrize("service", SERVICE_NAMES)
async def test_every_list_and_report_exports(
    service: str, service_client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with service_client(service) as client:
        client.headers.update(support.auth(subject="admin", roles=["admin"]))
        await _load_demo(client, service, monkeypatch)
        routes = [(r, export.shape_of(r)) for r in export.api_routes(client.app)]
        exported = [(r, s) for r, s in routes if s is not None]
        assert any(s.kind == "collection" for _, s in exported)
        for route, shape in exported:
            url = await support.path_values(client, route.path_format, HOLDER)
            plain = await client.get(url, headers=HOLDER)
            assert plain.status_code == 200, f"{url}: {plain.text}"
            item = _first_item(shape, plain.json())
            names = [c.name for c in shape.columns]
            if item is not None:  # every field of the JSON answer is a column, in order
                tops = list(dict.fromkeys(name.split(".")[0] for name in names))
                if shape.kind == "rows" and not plain.json()["rows"]:
                    # Only the totals row: its fields are the rows' columns it sums.
                    assert [t for t in tops if t in item] == list(item), url
                else:
                    assert tops == list(item), url
                for name in flat(item):
                    parts = name.split(".")
                    held = {".".join(parts[:i]) for i in range(1, len(parts) + 1)}
                    assert held & set(names) or any(n.startswith(f"{name}.") for n in names), (
                        f"{url}: {name}"
                    )
            for language in ("vi", "en"):
                for fmt, read in (("csv", read_csv), ("xlsx", read_xlsx)):
                    answer = await client.get(
                        url, params={"format": fmt}, headers={**HOLDER, "Accept-Language": language}
                    )
                    assert answer.status_code == 200, f"{url} {fmt}: {answer.text}"
                    assert answer.headers["content-type"] == MEDIA[fmt]
                    disposition = answer.headers["content-disposition"]
                    assert disposition.startswith('attachment; filename="'), disposition
                    assert f".{fmt}\"; filename*=UTF-8''" in disposition
                    assert disposition.endswith(f".{fmt}")
                    header = [str(cell) for cell in read(answer)[0]]
                    marker = [msg("export_row").render(language)] if shape.totals else []
                    assert header == marker + [
                        heading(service, n, language, row=shape.kind == "rows") for n in names
                    ], f"{url} {fmt} {language}"
