"""The four real processes over sockets: sign in through the gateway, call a service through
it, and see the gateway name a service that has stopped."""

from __future__ import annotations

import time

import httpx

from tests.stack import Stack


def test_sign_in_and_call_every_service_through_the_gateway(stack: Stack) -> None:
    token = stack.token()
    headers = {"Authorization": f"Bearer {token}", "X-Request-ID": "e2e-trace-1"}
    with httpx.Client(base_url=stack.url("gateway"), headers=headers, timeout=10) as client:
        users = client.get("/api/v1/auth/users")
        assert users.status_code == 200
        assert "admin" in [u["username"] for u in users.json()["items"]]
        for service in ("housing", "labour", "production"):
            answer = client.get(f"/api/v1/{service}/audit")
            assert answer.status_code == 200, (service, answer.text)
            assert answer.json()["items"] == [] or "items" in answer.json()
            # The request id travels through the gateway to the service and back.
            assert answer.headers["x-request-id"] == "e2e-trace-1"


def test_services_verify_tokens_themselves(stack: Stack) -> None:
    token = stack.token()
    direct = httpx.get(
        f"{stack.url('housing')}/api/v1/housing/audit",
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    assert direct.status_code == 200
    forged = httpx.get(
        f"{stack.url('housing')}/api/v1/housing/audit",
        headers={"Authorization": f"Bearer {token[:-4]}AAAA"},
        timeout=10,
    )
    assert forged.status_code == 401
    assert forged.headers["content-type"].startswith("application/problem+json")


def test_wrong_password_is_invalid_grant(stack: Stack) -> None:
    answer = httpx.post(
        f"{stack.url('gateway')}/api/v1/auth/token",
        data={"grant_type": "password", "username": "admin", "password": "not-the-password"},
        timeout=10,
    )
    assert answer.status_code == 400
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert answer.json()["error"] == "invalid_grant"


def test_admin_units_need_no_token(stack: Stack) -> None:
    answer = httpx.get(
        f"{stack.url('gateway')}/api/v1/admin-units",
        params={"geography": "2025-07", "level": "commune", "limit": 200},
        timeout=10,
    )
    assert answer.status_code == 200
    assert len(answer.json()["items"]) == 99


def test_stopped_service_is_named_and_others_keep_answering(stack: Stack) -> None:
    headers = {"Authorization": f"Bearer {stack.token()}"}
    with httpx.Client(base_url=stack.url("gateway"), headers=headers, timeout=15) as client:
        stack.stop("labour")
        try:
            started = time.monotonic()
            down = client.get("/api/v1/labour/audit")
            assert down.status_code == 503
            assert down.headers["content-type"].startswith("application/problem+json")
            assert down.json()["type"] == "/problems/service-unavailable"
            assert down.json()["service"] == "labour"
            assert time.monotonic() - started < 10
            assert client.get("/api/v1/housing/audit").status_code == 200
        finally:
            stack.start("labour")
        # Back again, without restarting the gateway.
        assert client.get("/api/v1/labour/audit").status_code == 200
