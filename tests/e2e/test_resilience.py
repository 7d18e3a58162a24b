"""A gateway that stays up, over the four real processes: a service stopped mid-run is 503 for
its prefix while traffic is flowing, a frozen one is 504 within the deadline, both answer again
when they come back with no restart of the gateway, and callers that leave early leave no
connection behind in the gateway's pools."""

from __future__ import annotations

import re
import socket
import struct
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import httpx

from tests.e2e.conftest import FORWARD_TIMEOUT, VIEW_TIMEOUT
from tests.stack import Stack

# Time for a busy machine on top of a deadline the contract states.
SLACK = 2.0


def test_a_service_stopped_under_traffic_is_503_and_the_others_answer(stack: Stack) -> None:
    headers = {"Authorization": f"Bearer {stack.token()}"}
    statuses: Counter[int] = Counter()
    slowest = 0.0
    stop = threading.Event()

    def traffic() -> None:
        nonlocal slowest
        with httpx.Client(base_url=stack.url("gateway"), headers=headers, timeout=30) as client:
            while not stop.is_set():
                started = time.monotonic()
                answer = client.get("/api/v1/housing/cases", params={"limit": 5})
                slowest = max(slowest, time.monotonic() - started)
                statuses[answer.status_code] += 1
                if answer.status_code == 503:
                    assert answer.json()["service"] == "housing"

    workers = [threading.Thread(target=traffic) for _ in range(4)]
    for worker in workers:
        worker.start()
    try:
        time.sleep(0.5)
        stack.stop("housing")
        time.sleep(1.0)
        with httpx.Client(base_url=stack.url("gateway"), headers=headers, timeout=30) as client:
            down = client.get("/api/v1/housing/norms")
            assert down.status_code == 503
            assert down.json()["type"] == "/problems/service-unavailable"
            assert client.get("/api/v1/labour/partners").status_code == 200
            assert client.get("/api/v1/production/zones").status_code == 200
            assert client.get("/api/v1/auth/users").status_code == 200
    finally:
        stack.start("housing")
        time.sleep(0.5)
        stop.set()
        for worker in workers:
            worker.join()
    # Every request got an answer: the service's, or 503 naming it; never a broken one.
    assert set(statuses) <= {200, 503}, statuses
    assert statuses[200] and statuses[503]
    assert slowest < FORWARD_TIMEOUT + SLACK
    with httpx.Client(base_url=stack.url("gateway"), headers=headers, timeout=30) as client:
        assert client.get("/api/v1/housing/cases").status_code == 200


def test_a_frozen_service_is_504_within_the_deadline_and_answers_after(stack: Stack) -> None:
    headers = {"Authorization": f"Bearer {stack.token()}"}
    with httpx.Client(base_url=stack.url("gateway"), headers=headers, timeout=30) as client:
        assert client.get("/api/v1/labour/partners").status_code == 200
        stack.pause("labour")
        try:
            with ThreadPoolExecutor(3) as pool:  # the three at once: one deadline to wait
                timed = [
                    pool.submit(timed_get, client, path)
                    for path in (
                        "/api/v1/labour/partners",
                        "/api/v1/housing/norms",
                        "/api/v1/overview",
                    )
                ]
                (frozen, elapsed), (other, _), (view, view_elapsed) = (t.result() for t in timed)
        finally:
            stack.resume("labour")
        assert other.status_code == 200
        assert frozen.status_code == 504
        assert frozen.json()["type"] == "/problems/service-timeout"
        assert frozen.json()["service"] == "labour"
        assert FORWARD_TIMEOUT - 0.5 < elapsed < FORWARD_TIMEOUT + SLACK
        assert view.status_code == 200
        assert view.json()["unavailable"] == ["labour"]
        assert view_elapsed < VIEW_TIMEOUT + SLACK
        # Thawed, it answers again through the same gateway.
        assert client.get("/api/v1/labour/partners").status_code == 200


def test_callers_that_leave_early_leave_no_connection_in_use(stack: Stack) -> None:
    token = stack.token()
    request = (
        f"GET /api/v1/housing/cases?limit=200 HTTP/1.1\r\nHost: gw\r\n"
        f"Authorization: Bearer {token}\r\n\r\n"
    ).encode()
    port = stack.ports["gateway"]

    def leave(after_bytes: int) -> None:
        with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
            sock.sendall(request)
            if after_bytes:
                sock.recv(after_bytes)
            # Reset rather than close: the caller is simply gone.
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))

    # More callers than the pool (8) has connections, leaving at every moment.
    callers = [threading.Thread(target=leave, args=(n % 3 * 100,)) for n in range(60)]
    for caller in callers:
        caller.start()
    for caller in callers:
        caller.join()
    deadline = time.monotonic() + FORWARD_TIMEOUT + SLACK
    while in_use(stack, "housing") and time.monotonic() < deadline:
        time.sleep(0.1)
    assert in_use(stack, "housing") == 0
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=stack.url("gateway"), headers=headers, timeout=30) as client:
        for _ in range(20):  # more than the pool holds: none of its connections is lost
            assert client.get("/api/v1/housing/cases", params={"limit": 200}).status_code == 200


def timed_get(client: httpx.Client, path: str) -> tuple[httpx.Response, float]:
    started = time.monotonic()
    answer = client.get(path)
    return answer, time.monotonic() - started


def in_use(stack: Stack, service: str) -> int:
    metrics = httpx.get(f"{stack.url('gateway')}/metrics", timeout=10).text
    pattern = rf'mtqg_gateway_upstream_connections{{service="{service}",state="in_use"}} (\S+)'
    found = re.search(pattern, metrics)
    assert found is not None, "the pool gauge is missing"
    return int(float(found.group(1)))
