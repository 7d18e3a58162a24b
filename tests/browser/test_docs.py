"""/docs and /redoc in headless Chromium with the network limited to the gateway (or, for a
service's own pages, to that service): the pages show the operations, Swagger UI's Authorize
dialog signs in with a username and password (OAuth2 password flow), and "Try it out" runs a
request that answers 200 with the records."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from playwright.async_api import Locator, Page, expect

from demo import housing
from tests.browser.conftest import ConfinedPage
from tests.stack import ADMIN_PASSWORD, Stack

pytestmark = pytest.mark.e2e

LIST = "/api/v1/housing/cases"
TIMEOUT_MS = 30_000


@pytest.fixture(scope="session")
async def newest_case(stack: Stack) -> dict[str, Any]:
    """Two demo cases loaded through the gateway; the one the list answers first."""
    headers = {"Authorization": f"Bearer {stack.token()}"}
    async with httpx.AsyncClient(
        base_url=stack.url("gateway"), headers=headers, timeout=60
    ) as client:
        await housing.load(client, lambda _line: None, houses=2)
        answer = await client.get(LIST, params={"limit": 1})
        assert answer.status_code == 200, answer.text
        item: dict[str, Any] = answer.json()["items"][0]
        return item


async def operation_summary(stack: Stack, method: str, path: str) -> str:
    async with httpx.AsyncClient(base_url=stack.url("gateway"), timeout=30) as client:
        document = (await client.get("/openapi.json")).json()
    summary: str = document["paths"][path][method]["summary"]
    return summary


def operation(page: Page, method: str, path: str) -> Locator:
    """Swagger UI's block of one operation, found by what it shows (method and path)."""
    path_label = page.locator(f'.opblock-summary-path[data-path="{path}"]')
    return page.locator(f".opblock.opblock-{method}", has=path_label)


async def sign_in(page: Page, username: str, password: str) -> None:
    """Authorize -> the OAuth2 password flow's form -> Authorize -> Close."""
    await page.locator("button.authorize").first.click()
    dialog = page.locator(".modal-ux")
    form = dialog.locator(".auth-container", has=page.get_by_text("OAuth2 (OAuth2, password)"))
    await form.locator("#oauth_username").fill(username)
    await form.locator("#oauth_password").fill(password)
    await form.get_by_role("button", name="Apply given OAuth2 credentials").click()
    # Signed in: the form gives way to "Authorized" and a Logout button.
    logout = form.get_by_role("button", name="Remove authorization")
    await expect(logout).to_be_visible(timeout=TIMEOUT_MS)
    await expect(form.get_by_role("heading", name="Authorized")).to_be_visible()
    await expect(form.locator(".errors")).to_have_count(0)
    await dialog.locator("button.close-modal").click()
    await expect(dialog).to_have_count(0)


async def test_swagger_ui_signs_in_and_runs_a_request_offline(
    stack: Stack, confined_page: ConfinedPage, newest_case: dict[str, Any]
) -> None:
    gateway = stack.url("gateway")
    async with confined_page(gateway) as confined:
        page = confined.page
        await page.goto(f"{gateway}/docs")
        cases = operation(page, "get", LIST)
        await expect(cases).to_have_count(1, timeout=TIMEOUT_MS)
        await expect(page.locator(".opblock-tag", has_text="housing: cases")).to_be_visible()
        await expect(operation(page, "post", LIST)).to_have_count(1)

        await sign_in(page, "admin", ADMIN_PASSWORD)

        await cases.locator(".opblock-summary").click()
        await cases.get_by_role("button", name="Try it out").click()
        await cases.get_by_role("button", name="Execute").click()
        answer = cases.locator(".live-responses-table .response")
        await expect(answer.locator(".response-col_status")).to_have_text("200", timeout=TIMEOUT_MS)
        body = answer.locator(".response-col_description")
        await expect(body).to_contain_text(newest_case["id"])
        await expect(body).to_contain_text(newest_case["household_code"])
        # The request Swagger UI shows went to the gateway, with the token it was given.
        curl = cases.locator(".curl-command")
        await expect(curl).to_contain_text(f"{gateway}{LIST}")
        await expect(curl).to_contain_text("Authorization: Bearer ey")
    assert confined.foreign == []


async def test_redoc_lists_the_operations_offline(
    stack: Stack, confined_page: ConfinedPage
) -> None:
    gateway = stack.url("gateway")
    shown = (("get", LIST), ("post", LIST), ("post", "/api/v1/auth/token"))
    summaries = {key: await operation_summary(stack, *key) for key in shown}
    async with confined_page(gateway) as confined:
        page = confined.page
        await page.goto(f"{gateway}/redoc")
        menu = page.get_by_role("menu")
        await expect(menu.get_by_role("menuitem", name="housing: cases", exact=True)).to_have_count(
            1, timeout=TIMEOUT_MS
        )
        for (method, path), summary in summaries.items():
            await expect(page.get_by_role("heading", level=2, name=summary)).to_have_count(1)
            # Each operation's box shows its method and path.
            endpoint = page.get_by_role("button", name=f"{method} {path}", exact=True)
            await expect(endpoint).to_have_count(1)
    assert confined.foreign == []


async def test_a_services_own_docs_work_offline(stack: Stack, confined_page: ConfinedPage) -> None:
    service = stack.url("housing")
    async with confined_page(service) as confined:
        page = confined.page
        await page.goto(f"{service}/docs")
        await expect(operation(page, "get", LIST)).to_have_count(1, timeout=TIMEOUT_MS)
        await page.goto(f"{service}/redoc")
        endpoint = page.get_by_role("button", name=f"get {LIST}", exact=True)
        await expect(endpoint).to_have_count(1, timeout=TIMEOUT_MS)
    assert confined.foreign == []
