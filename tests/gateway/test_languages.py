"""Errors in the caller's language (API.md section 7): Vietnamese by default, English with
`Accept-Language: en`, the same stable `code` on every field error in both, on real endpoints
of a service and through the gateway (its own answers and the services' it forwards)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, AsyncExitStack
from typing import Any

import httpx
import pydantic
import pytest

from mtqg_shared.types import today_vn
from tests import support
from tests.gateway.helpers import GatewayClient
from tests.gateway.upstreams import free_port, serving
from tests.housing.helpers import (
    API,
    ELSEWHERE,
    admin,
    case_body,
    create_case,
    officer,
)

ServiceClient = Callable[..., AbstractAsyncContextManager[httpx.AsyncClient]]
VI = {"Accept-Language": "vi"}
EN = {"Accept-Language": "en"}
FORM_JSON = {"Content-Type": "application/json"}


@pytest.fixture
async def housing(service_client: ServiceClient) -> AsyncIterator[httpx.AsyncClient]:
    """The housing service, asked with no Accept-Language unless a test sends one."""
    async with service_client("housing") as client:
        del client.headers["Accept-Language"]
        yield client


def problem(answer: httpx.Response, status: int, language: str) -> dict[str, Any]:
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert answer.headers["content-language"] == language
    assert "accept-language" in answer.headers["vary"].lower()
    body: dict[str, Any] = answer.json()
    return body


def codes(body: dict[str, Any]) -> dict[str, str]:
    return {e["field"]: e["code"] for e in body["errors"]}


async def test_a_future_date_in_vietnamese_by_default_and_in_english_when_asked(
    housing: httpx.AsyncClient,
) -> None:
    future = (today_vn() + dt.timedelta(days=3)).isoformat()
    sent = case_body(registered_on=future)
    vi = problem(await housing.post(f"{API}/cases", json=sent, headers=admin()), 422, "vi")
    en = problem(await housing.post(f"{API}/cases", json=sent, headers=admin() | EN), 422, "en")
    assert vi["type"] == en["type"] == "/problems/validation"
    assert vi["title"] == "Dữ liệu không hợp lệ"
    assert en["title"] == "Validation failed"
    assert codes(vi) == codes(en) == {"body.registered_on": "in_future"}
    assert vi["errors"][0]["message"] == f"không được sau ngày hôm nay ({future})"
    assert en["errors"][0]["message"] == f"may not be in the future ({future})"
    assert vi["detail"] == f"body.registered_on: không được sau ngày hôm nay ({future})"


async def test_pydantic_refusals_have_codes_and_words_in_both_languages(
    housing: httpx.AsyncClient,
) -> None:
    sent = case_body(beneficiary_group="rich", colour="red", registered_on="02/01/2025")
    del sent["head_of_household"]
    for language, header in (("vi", {}), ("en", EN)):
        answer = await housing.post(f"{API}/cases", json=sent, headers=admin() | header)
        body = problem(answer, 422, language)
        assert codes(body) == {
            "body.head_of_household": "required",
            "body.colour": "unknown_field",
            "body.beneficiary_group": "invalid_choice",
            "body.registered_on": "invalid_format",
        }
        messages = {e["field"]: e["message"] for e in body["errors"]}
        if language == "vi":
            assert messages["body.head_of_household"] == "không được để trống"
            assert messages["body.colour"] == "trường không được hỗ trợ"
            assert messages["body.registered_on"] == "phải là ngày viết theo dạng YYYY-MM-DD"
            assert messages["body.beneficiary_group"] == (
                "phải là một trong các giá trị: meritorious, poor, near_poor, disaster, other"
            )
        else:
            assert messages["body.head_of_household"] == "is required"
            assert messages["body.colour"] == "unknown field"
            assert messages["body.registered_on"] == "must be a date written YYYY-MM-DD"
            assert messages["body.beneficiary_group"] == (
                "must be one of: meritorious, poor, near_poor, disaster, other"
            )
        # pydantic's own wording never shows, nor the value sent.
        assert "rich" not in answer.text and "02/01/2025" not in answer.text
        assert "Value error" not in answer.text and "Input should" not in answer.text


async def test_an_empty_name_is_too_short(housing: httpx.AsyncClient) -> None:
    answer = await housing.post(
        f"{API}/cases", json=case_body(head_of_household="  "), headers=admin()
    )
    body = problem(answer, 422, "vi")
    assert body["errors"] == [
        {"field": "body.head_of_household", "code": "too_short", "message": "không được để trống"}
    ]


async def test_outside_the_callers_areas(housing: httpx.AsyncClient) -> None:
    case = await create_case(housing)
    elsewhere = officer(ELSEWHERE)
    hidden = await housing.get(f"{API}/cases/{case['id']}", headers=elsewhere)
    body = problem(hidden, 404, "vi")
    assert (body["title"], body["detail"]) == ("Không tìm thấy", "Không tìm thấy hồ sơ.")
    hidden = await housing.get(f"{API}/cases/{case['id']}", headers=elsewhere | EN)
    assert problem(hidden, 404, "en")["detail"] == "No such case."
    made = await housing.post(
        f"{API}/cases", json=case_body(), headers=officer(ELSEWHERE) | {"Accept-Language": "vi-VN"}
    )
    assert problem(made, 422, "vi")["errors"] == [
        {
            "field": "body.commune_code",
            "code": "not_in_your_areas",
            "message": "Xã này nằm ngoài địa bàn của bạn.",
        }
    ]
    unknown = await housing.post(
        f"{API}/cases", json=case_body(commune_code="99999"), headers=admin() | EN
    )
    assert problem(unknown, 422, "en")["errors"] == [
        {
            "field": "body.commune_code",
            "code": "not_in_geography",
            "message": "commune 99999 does not exist in geography 2025-07",
        }
    ]


async def test_conflicts_and_preconditions(housing: httpx.AsyncClient) -> None:
    case = await create_case(housing)
    url = f"{API}/cases/{case['id']}"
    again = await housing.post(
        f"{API}/cases", json=case_body(id=case["id"]), headers=admin() | {"Accept-Language": "vi"}
    )
    body = problem(again, 409, "vi")
    assert (body["title"], body["detail"]) == ("Trùng lặp", "Đã có hồ sơ với mã (id) này.")
    missing = await housing.patch(url, json={"village": "Sín Chải"}, headers=admin())
    body = problem(missing, 428, "vi")
    assert body["detail"] == "Cần gửi If-Match kèm ETag của bản ghi bạn đã đọc."
    stale = await housing.patch(
        url, json={"village": "Sín Chải"}, headers=admin() | EN | {"If-Match": '"7"'}
    )
    body = problem(stale, 412, "en")
    assert body["detail"] == "The record has changed since you read it (current version 1)."
    moved = await housing.post(f"{url}/transitions", json={"to": "handed_over"}, headers=admin())
    body = problem(moved, 409, "vi")
    assert body["type"] == "/problems/invalid-state"
    # Statuses in the officers' words (the vocabulary's), not the API's codes.
    assert body["detail"] == (
        "Không thể chuyển hồ sơ từ trạng thái Đã đăng ký sang Đã bàn giao "
        "(được phép: Đã hủy, Đã khảo sát)."
    )


async def test_bodies_that_are_not_json(housing: httpx.AsyncClient) -> None:
    text = await housing.post(
        f"{API}/cases", content=b"x", headers=admin() | {"Content-Type": "text/plain"}
    )
    assert problem(text, 415, "vi")["detail"] == (
        "Nội dung phải là JSON (application/json), không phải text/plain."
    )
    broken = await housing.post(
        f"{API}/cases",
        content=b'{"household_code": ',
        headers=admin() | EN | {"Content-Type": "application/json"},
    )
    assert problem(broken, 400, "en")["detail"] == "The body is not valid JSON."
    unknown = await housing.get(f"{API}/cases", params={"colour": "red"}, headers=admin())
    assert problem(unknown, 422, "vi")["errors"] == [
        {"field": "query.colour", "code": "unknown_field", "message": "tham số không được hỗ trợ"}
    ]


async def test_accept_language_q_values_and_fallback(housing: httpx.AsyncClient) -> None:
    url = f"{API}/cases/{uuid.uuid4()}"
    cases = {
        "fr-FR, en;q=0.8, vi;q=0.5": "en",
        "en;q=0.1, vi-VN;q=0.9": "vi",
        "fr, de": "vi",
        "en;q=0": "vi",
        "*": "vi",
    }
    for header, language in cases.items():
        answer = await housing.get(url, headers=admin() | {"Accept-Language": header})
        assert problem(answer, 404, language)["title"] == (
            "Not found" if language == "en" else "Không tìm thấy"
        )


async def test_the_default_language_is_a_setting(service_client: ServiceClient) -> None:
    async with service_client("housing", default_language="en") as client:
        del client.headers["Accept-Language"]
        answer = await client.get(f"{API}/cases/{uuid.uuid4()}", headers=admin())
        assert problem(answer, 404, "en")["detail"] == "No such case."
        answer = await client.get(f"{API}/cases/{uuid.uuid4()}", headers=admin() | VI)
        assert problem(answer, 404, "vi")["detail"] == "Không tìm thấy hồ sơ."
    from housing.config import Settings

    with pytest.raises(pydantic.ValidationError):
        Settings(default_language="fr")


async def test_401_403_are_worded_too(housing: httpx.AsyncClient) -> None:
    anonymous = await housing.get(f"{API}/cases")
    assert problem(anonymous, 401, "vi")["detail"] == "Cần mã truy cập (bearer access token)."
    viewer = support.auth(roles=["viewer"])
    refused = await housing.post(f"{API}/cases", json=case_body(), headers=viewer | EN)
    assert problem(refused, 403, "en")["detail"] == "Creating and editing needs the officer role."


# -- through the gateway ---------------------------------------------------------------


@pytest.fixture
async def gateway(
    service_client: ServiceClient, gateway_client: GatewayClient
) -> AsyncIterator[httpx.AsyncClient]:
    """The gateway in front of the real housing service (production: nobody listens), asked
    with no Accept-Language unless a test sends one."""
    async with AsyncExitStack() as stack:
        direct = await stack.enter_async_context(service_client("housing"))
        url = await stack.enter_async_context(serving(direct.app))  # type: ignore[attr-defined]
        dead = f"http://127.0.0.1:{free_port()}"
        client = await stack.enter_async_context(
            gateway_client(housing_url=url, production_url=dead, max_body_bytes=2048)
        )
        del client.headers["Accept-Language"]
        yield client


async def test_the_services_answers_pass_through_the_gateway_in_the_callers_language(
    gateway: httpx.AsyncClient,
) -> None:
    url = f"{API}/cases/{uuid.uuid4()}"
    vi = await gateway.get(url, headers=admin())
    assert problem(vi, 404, "vi")["detail"] == "Không tìm thấy hồ sơ."
    en = await gateway.get(url, headers=admin() | EN)
    assert problem(en, 404, "en")["detail"] == "No such case."
    future = (today_vn() + dt.timedelta(days=1)).isoformat()
    made = await gateway.post(f"{API}/cases", json=case_body(registered_on=future), headers=admin())
    assert codes(problem(made, 422, "vi")) == {"body.registered_on": "in_future"}


async def test_the_gateways_own_answers_are_worded_in_the_callers_language(
    gateway: httpx.AsyncClient,
) -> None:
    down = await gateway.get("/api/v1/production/projects", headers=admin())
    body = problem(down, 503, "vi")
    assert body["title"] == "Dịch vụ tạm thời không truy cập được"
    assert body["detail"] == "Không kết nối được dịch vụ production."
    assert body["service"] == "production"
    down = await gateway.get("/api/v1/production/projects", headers=admin() | EN)
    assert problem(down, 503, "en")["detail"] == "The production service cannot be reached."
    large = await gateway.post(
        f"{API}/cases", content=b"{" + b" " * 4096 + b"}", headers=admin() | FORM_JSON
    )
    assert problem(large, 413, "vi")["detail"] == "Nội dung gửi lên vượt quá 2048 byte."
    large = await gateway.post(
        f"{API}/cases", content=b"{" + b" " * 4096 + b"}", headers=admin() | FORM_JSON | EN
    )
    assert problem(large, 413, "en")["detail"] == "The body is larger than 2048 bytes."
    token = await gateway.post(
        "/api/v1/auth/token",
        data={"grant_type": "password", "username": "nobody", "password": "x" * 12},
    )
    body = problem(token, 400, "vi")
    assert body["error"] == "invalid_grant"
    assert (
        body["error_description"]
        == body["detail"]
        == ("Tên đăng nhập hoặc mật khẩu không đúng, hoặc tài khoản đã bị khóa.")
    )
    unit = await gateway.get("/api/v1/admin-units/99999", headers=EN)
    assert problem(unit, 404, "en")["detail"] == "No unit 99999 exists."


async def test_the_rate_limits_429_is_worded_too(gateway_client: GatewayClient) -> None:
    async with gateway_client(rate_limit_per_minute=1) as client:
        del client.headers["Accept-Language"]
        await client.get("/api/v1/admin-units/15")
        limited = await client.get("/api/v1/admin-units/15")
        body = problem(limited, 429, "vi")
        assert body["detail"] == "Gửi quá nhiều yêu cầu; vui lòng chậm lại."
        limited = await client.get("/api/v1/admin-units/15", headers=EN)
        assert problem(limited, 429, "en")["title"] == "Too many requests"
