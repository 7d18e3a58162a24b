"""`GET /api/v1/overview?format=xlsx`: the province's overview as a workbook, made from what
real services answer through the gateway: a sheet per programme that answered with every
figure of its JSON part under its header, and a sheet listing the programmes left out."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import openpyxl  # type: ignore[import-untyped]

from mtqg_shared.labels import label
from mtqg_shared.messages import msg
from tests.export.helpers import flat
from tests.gateway.helpers import SIGNING_KEY, GatewayClient, admin_auth
from tests.gateway.upstreams import free_port, serving
from tests.housing.helpers import create_case

LEFT_OUT = ("production", "gender", "digital")


def _workbook(answer: httpx.Response) -> dict[str, list[tuple[Any, ...]]]:
    book = openpyxl.load_workbook(io.BytesIO(answer.content))
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}


def _as_json(value: Any) -> Any:
    """A cell as the JSON answer says it (a date cell is its ISO day)."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return value


@asynccontextmanager
async def _gateway(
    gateway_client: GatewayClient, service_client: Any
) -> AsyncIterator[httpx.AsyncClient]:
    """The gateway in front of real housing and labour services (one case recorded); the
    other programmes' addresses answer nothing."""
    trusted = {"trusted_kids": (SIGNING_KEY.kid,)}  # the gateway's views pass the token on
    async with (
        service_client("housing", **trusted) as housing,
        service_client("labour", **trusted) as labour,
    ):
        await create_case(housing)
        async with serving(housing.app) as housing_url, serving(labour.app) as labour_url:
            urls = {f"{name}_url": f"http://127.0.0.1:{free_port()}" for name in LEFT_OUT}
            async with gateway_client(
                housing_url=housing_url,
                labour_url=labour_url,
                view_timeout_seconds=5,
                **urls,
            ) as client:
                yield client


async def test_a_sheet_per_programme_holds_every_figure_of_its_part(
    gateway_client: GatewayClient, service_client: Any
) -> None:
    async with _gateway(gateway_client, service_client) as client:
        for language in ("vi", "en"):
            headers = {**admin_auth(), "Accept-Language": language}
            answer = await client.get(
                "/api/v1/overview", params={"format": "xlsx"}, headers=headers
            )
            assert answer.status_code == 200, answer.text
            assert answer.headers["content-type"].startswith(
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            )
            assert answer.headers["content-language"] == language
            assert "filename*=UTF-8''overview-15-" in answer.headers["content-disposition"]
            body = (await client.get("/api/v1/overview", headers=headers)).json()
            sheets = _workbook(answer)
            assert list(sheets) == ["housing", "labour", "unavailable"]
            for service in ("housing", "labour"):
                rows = sheets[service]
                figure, value = msg("export_figure"), msg("export_value")
                assert rows[0] == (figure.render(language), value.render(language))
                assert rows[1][0] == label("gateway", service, language)
                cells = {row[0]: _as_json(row[1]) for row in rows[2:] if row[0] is not None}
                assert cells[label("gateway", "area.code", language)] == "15"
                assert cells[label("gateway", "as_of", language)] == body["as_of"]
                figures = flat(body[service])
                assert len(figures) > 5, figures
                for path, expected in figures.items():
                    if isinstance(expected, list):
                        continue  # a table of its own, or a list of words
                    header = label(service, path, language)
                    assert header in cells, (service, path, header)
                    shown = None if expected == {} else expected  # an empty map: no figure
                    assert cells[header] == shown, (service, path)
                # Money stays a whole number of dong, a number in the cell.
                amounts = [
                    cells[label(service, k, language)]
                    for k, v in figures.items()
                    if k.endswith("_vnd") and v is not None
                ]
                assert amounts and all(type(a) is int for a in amounts), (service, amounts)
            left_out = sheets["unavailable"]
            assert left_out[0] == (
                label("gateway", "service", language),
                msg("export_reason").render(language),
            )
            assert left_out[1:] == [
                (label("gateway", s, language), label("gateway", "unavailable", language))
                for s in LEFT_OUT
            ]


async def test_the_housing_count_in_the_workbook_is_the_case_recorded(
    gateway_client: GatewayClient, service_client: Any
) -> None:
    async with _gateway(gateway_client, service_client) as client:
        answer = await client.get(
            "/api/v1/overview",
            params={"format": "xlsx"},
            headers={**admin_auth(), "Accept-Language": "vi"},
        )
    assert answer.status_code == 200, answer.text
    rows = _workbook(answer)["housing"]
    counted = [row[1] for row in rows if row[0] == label("housing", "cases", "vi")]
    assert counted == [1]


async def test_only_xlsx_and_only_for_a_caller(
    gateway_client: GatewayClient, service_client: Any
) -> None:
    async with _gateway(gateway_client, service_client) as client:
        csv = await client.get("/api/v1/overview", params={"format": "csv"}, headers=admin_auth())
        assert csv.status_code == 422, csv.text
        assert [e["field"] for e in csv.json()["errors"]] == ["query.format"]
        anonymous = await client.get("/api/v1/overview", params={"format": "xlsx"})
        assert anonymous.status_code == 401, anonymous.text
        far = await client.get(
            "/api/v1/overview", params={"format": "xlsx", "area_code": "08"}, headers=admin_auth()
        )
        assert far.status_code == 422, far.text
