"""Webhook URLs that would reach inside (API.md section 9): refused with 422 when given, and
refused again on each delivery's connection, so a name that resolved to a public address then
and to a loopback one now (DNS rebinding) is never called."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from gateway.webhooks import urls
from gateway.webhooks.dispatcher import Dispatcher
from tests.gateway.helpers import (
    GatewayClient,
    admin_auth,
    assert_problem,
    create_client,
    create_webhook,
    gateway_of,
)
from tests.gateway.hooks import change, feed_service, receiver

IP = ipaddress.ip_address


def fake_dns(monkeypatch: pytest.MonkeyPatch, answers: dict[str, list[str]]) -> None:
    """Resolve the names of `answers` as they say now (others as the system does)."""
    real = urls.lookup

    async def lookup(host: str, port: int) -> list[Any]:
        if host in answers:
            return [IP(a) for a in answers[host]]
        return await real(host, port)

    monkeypatch.setattr(urls, "lookup", lookup)


async def subscribe(client: httpx.AsyncClient, url: str) -> httpx.Response:
    system = await create_client(client, name=f"System {len(url)}")
    return await client.post(
        "/api/v1/webhooks",
        json={"url": url, "services": ["housing"], "client_id": system["client_id"]},
        headers=admin_auth(),
    )


REFUSED = [
    ("https://127.0.0.1/hook", "private_address"),
    ("https://localhost:8443/hook", "private_address"),  # a name that resolves to loopback
    ("https://[::1]/hook", "private_address"),
    ("https://10.1.2.3/hook", "private_address"),
    ("https://192.168.10.4/hook", "private_address"),
    ("https://172.16.0.9/hook", "private_address"),
    ("https://100.64.0.1/hook", "private_address"),  # CGNAT
    ("https://[fd12:3456::1]/hook", "private_address"),  # unique-local
    ("https://169.254.169.254/latest/meta-data", "private_address"),  # link-local (metadata)
    ("https://[fe80::1]/hook", "private_address"),
    ("https://0.0.0.0/hook", "private_address"),
    ("https://[::ffff:93.184.216.34]/hook", "mapped_address"),
    ("https://[::ffff:127.0.0.1]/hook", "mapped_address"),
    ("https://inside.example.test/hook", "private_address"),  # fake DNS: 192.168.1.10
    ("https://split.example.test/hook", "private_address"),  # one public, one private
    ("http://93.184.216.34/hook", "https_required"),
    ("https://nowhere.invalid/hook", "unresolved"),
    ("ftp://93.184.216.34/hook", "format"),
    ("https:///hook", "format"),
]


@pytest.mark.parametrize(("url", "reason"), REFUSED)
async def test_urls_that_reach_inside_are_refused(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch, url: str, reason: str
) -> None:
    fake_dns(
        monkeypatch,
        {
            "inside.example.test": ["192.168.1.10"],
            "split.example.test": ["93.184.216.34", "10.0.0.8"],
            "nowhere.invalid": [],
        },
    )
    answer = await subscribe(client, url)
    problem = assert_problem(answer, 422, "validation")
    assert problem["errors"][0]["field"] == "body.url"
    assert problem["errors"][0]["code"] in ("invalid",)
    expected = {
        "private_address": "points to an internal address",
        "mapped_address": "IPv4-mapped",
        "https_required": "needs https",
        "unresolved": "does not resolve",
        "format": "full http or https URL",
    }[reason]
    assert expected in problem["errors"][0]["message"]


async def test_a_changed_url_is_checked_too(client: httpx.AsyncClient) -> None:
    system = await create_client(client)
    made = await create_webhook(client, system["client_id"])
    moved = await client.patch(
        f"/api/v1/webhooks/{made['id']}",
        json={"url": "https://10.0.0.1/hook"},
        headers={**admin_auth(), "If-Match": '"1"'},
    )
    assert assert_problem(moved, 422, "validation")["errors"][0]["field"] == "body.url"


async def test_public_https_names_are_accepted(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_dns(monkeypatch, {"hooks.example.gov.vn": ["93.184.216.34", "2606:2800:220:1::1"]})
    answer = await subscribe(client, "https://hooks.example.gov.vn/mtqg")
    assert answer.status_code == 201, answer.text


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("http://127.0.0.1:9/hook", True),
        ("https://10.1.2.3/hook", True),
        ("http://[fd00::5]/hook", True),
        ("https://169.254.169.254/latest/meta-data", False),  # never, even then
        ("https://[::ffff:10.0.0.1]/hook", False),
        ("http://93.184.216.34/hook", False),  # a public address still needs https
    ],
)
async def test_allow_private_opens_private_and_loopback_only(
    gateway_client: GatewayClient, url: str, allowed: bool
) -> None:
    async with gateway_client(webhook_allow_private=True) as client:
        answer = await subscribe(client, url)
    assert answer.status_code == (201 if allowed else 422), answer.text


async def test_a_name_rebound_to_loopback_is_refused_at_the_connection(
    gateway_client: GatewayClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers: dict[str, list[str]] = {"rebind.example.test": ["93.184.216.34"]}
    fake_dns(monkeypatch, answers)
    async with (
        feed_service() as feed,
        receiver() as found,
        gateway_client(housing_url=feed.url) as client,
    ):
        port = found.url.split(":")[2].split("/")[0]
        system = await create_client(client)
        made = await create_webhook(
            client, system["client_id"], url=f"https://rebind.example.test:{port}/hook"
        )
        answers["rebind.example.test"] = ["127.0.0.1"]  # the name now points inside
        feed.add("housing", change(1))
        dispatcher: Dispatcher = gateway_of(client).api.state.webhooks
        try:
            assert await dispatcher.run_once() == 0
        finally:
            await dispatcher.close()
        attempts = await client.get(
            f"/api/v1/webhooks/{made['id']}/deliveries", headers=admin_auth()
        )
    assert found.seen == []
    (attempt,) = attempts.json()["items"]
    assert attempt["succeeded"] is False
    assert attempt["error"] == "refused: private_address"
    assert attempt["status"] is None


async def test_an_address_url_made_private_is_refused_at_delivery(
    gateway_client: GatewayClient,
) -> None:
    """A subscription stored while private addresses were allowed is not called once they
    are not."""
    async with (
        feed_service() as feed,
        receiver() as found,
        gateway_client(housing_url=feed.url, webhook_allow_private=True) as client,
    ):
        system = await create_client(client)
        made = await create_webhook(client, system["client_id"], url=found.url)
        settings = gateway_of(client).api.state.settings
        settings_before = settings.webhook_allow_private
        settings.webhook_allow_private = False
        feed.add("housing", change(1))
        dispatcher: Dispatcher = gateway_of(client).api.state.webhooks
        try:
            assert await dispatcher.run_once() == 0
        finally:
            await dispatcher.close()
            settings.webhook_allow_private = settings_before
        attempts = await client.get(
            f"/api/v1/webhooks/{made['id']}/deliveries", headers=admin_auth()
        )
    assert found.seen == []
    assert attempts.json()["items"][0]["error"] == "refused: private_address"


def test_the_address_rules() -> None:
    check: Callable[..., str | None] = urls.refusal
    assert check(IP("93.184.216.34"), scheme="https", allow_private=False) is None
    assert check(IP("2606:2800:220:1::1"), scheme="https", allow_private=False) is None
    assert check(IP("93.184.216.34"), scheme="http", allow_private=True) == "https_required"
    for private in ("127.0.0.1", "10.0.0.1", "100.127.255.254", "fc00::1", "::1"):
        assert check(IP(private), scheme="https", allow_private=False) == "private_address"
        assert check(IP(private), scheme="http", allow_private=True) is None
    for never in ("169.254.0.1", "fe80::1", "224.0.0.1", "0.0.0.0", "::"):
        assert check(IP(never), scheme="https", allow_private=True) == "private_address"
    assert check(IP("::ffff:127.0.0.1"), scheme="https", allow_private=True) == "mapped_address"
