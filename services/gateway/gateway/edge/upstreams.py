"""The services behind the gateway: one aiohttp keep-alive pool each for the life of the
process, shared by the forwarder and the cross-programme views, its replicas, and the one
retry rule.

Replicas: a service may run as several processes (`MTQG_HOUSING_URL=http://a,http://b`).
Requests go to them in turn, each request to the next replica that is in. A replica that
cannot be connected to, or that broke a connection under a request, is taken out; while a
service has more than one replica, the gateway asks each of them `GET /readyz` every
`replica_check_seconds` and takes a replica out when it does not answer 200 and back in when
it does. When every replica is out, they are all tried anyway (a replica may be back before
the next check says so).

Retry rule: a request that could not connect is sent to the service's next replica (nothing
was sent, so any method may go); with one replica it is not sent again, since a refused
connection is refused again a millisecond later and the caller gets its 503 at once. A request
that was sent is sent again at most once, and only when it failed before any answer on a
connection the service closed or reset (typically a pooled connection it closed just as it was
reused, or a replica stopping), and only when sending it twice cannot do anything twice: GET,
HEAD, OPTIONS, PUT, DELETE, or POST with an Idempotency-Key (the service replays the first
answer). A request that timed out is never sent again: the service may have done it.
"""

from __future__ import annotations

import logging
import time
import weakref
from collections.abc import Iterator
from dataclasses import dataclass, field

import aiohttp
from prometheus_client import REGISTRY, Counter
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
_SKIP_AUTO = ("User-Agent", "Accept", "Accept-Encoding", "Content-Type")

log = logging.getLogger("mtqg.gateway.upstreams")

REPLICA_CHANGES = Counter(
    "mtqg_gateway_replica_changes_total",
    "Replicas of a service taken out of the rotation (failed, or not ready) or back in.",
    ["service", "direction"],
)
UPSTREAM_RETRIES = Counter(
    "mtqg_gateway_upstream_retries_total",
    "Requests sent to a service a second time after its connection broke before any answer.",
    ["service"],
)


@dataclass(slots=True, eq=False)
class Replica:
    """One process of a service."""

    base_url: str
    # Out of the rotation (it failed, or its /readyz did not answer 200) until checked again.
    out: bool = False


@dataclass(slots=True, eq=False)
class Upstream:
    name: str
    base_urls: tuple[str, ...]
    route: str  # the metrics label, e.g. "/api/v1/housing/*"
    session: aiohttp.ClientSession | None = field(default=None, repr=False)
    # time.monotonic() of the last failure to reach the service (0: none yet); the API
    # document catalogue fetches a service's document again once it answers after one.
    failed_at: float = 0.0
    # Its batch's path (mtqg_shared.batch), which the rate limit counts by its operations.
    batch: str = field(init=False, repr=False)
    replicas: tuple[Replica, ...] = field(init=False, repr=False)
    _turn: int = field(default=0, init=False, repr=False)

    def __post_init__(self) -> None:
        if not self.base_urls:
            raise ValueError(f"{self.name}: no address")
        self.batch = self.route.removesuffix("/*") + "/batch"
        self.replicas = tuple(Replica(url) for url in self.base_urls)

    @property
    def base_url(self) -> str:
        """The first replica's address (where a log or a test names the service)."""
        return self.base_urls[0]

    def mark_failed(self) -> None:
        self.failed_at = time.monotonic()

    def in_turn(self) -> list[Replica]:
        """The replicas to try for one request: those in, starting with the next in turn,
        then those out (a last resort when no replica is in)."""
        replicas = self.replicas
        if len(replicas) == 1:
            return list(replicas)
        start = self._turn % len(replicas)
        self._turn = start + 1
        turned = replicas[start:] + replicas[:start]
        return [r for r in turned if not r.out] + [r for r in turned if r.out]

    def take_out(self, replica: Replica) -> None:
        if len(self.replicas) > 1 and not replica.out:
            replica.out = True
            REPLICA_CHANGES.labels(self.name, "out").inc()
            log.warning("%s replica %s is out of the rotation", self.name, replica.base_url)

    def take_in(self, replica: Replica) -> None:
        if replica.out:
            replica.out = False
            REPLICA_CHANGES.labels(self.name, "in").inc()
            log.info("%s replica %s is back in the rotation", self.name, replica.base_url)

    def pool_counts(self) -> tuple[int, int]:
        """Connections (in use by a request, idle in the keep-alive pool)."""
        session = self.session
        if session is None or session.closed:
            return 0, 0
        connector = session.connector
        # aiohttp keeps these private; read defensively so a new aiohttp cannot break metrics.
        acquired = getattr(connector, "_acquired", ())
        idle = getattr(connector, "_conns", {})
        return len(acquired), sum(len(queue) for queue in idle.values())


def make_session(
    *, pool_size: int, keepalive_seconds: float, timeout: aiohttp.ClientTimeout
) -> aiohttp.ClientSession:
    connector = aiohttp.TCPConnector(
        limit=pool_size,
        limit_per_host=0,
        keepalive_timeout=keepalive_seconds,
        ttl_dns_cache=60,
    )
    session = aiohttp.ClientSession(
        connector=connector,
        timeout=timeout,
        auto_decompress=False,
        skip_auto_headers=_SKIP_AUTO,
        cookie_jar=aiohttp.DummyCookieJar(),  # one caller's cookies never reach another
        trust_env=False,
    )
    # aiohttp would send idempotent requests again on its own, uncounted; the one rule above
    # (which also covers POST with an Idempotency-Key) is applied by `Forwarder.request`.
    # There is no public switch: if a new aiohttp drops the attribute, tests catch the
    # second retry.
    if hasattr(session, "_retry_connection"):
        session._retry_connection = False
    return session


def broke_before_answer(exc: BaseException) -> bool:
    """The connection was closed or reset under the request, before any answer: what a
    reused pooled connection does when the service has just closed it."""
    if isinstance(exc, aiohttp.ClientConnectorError):
        return False  # could not connect at all: nothing was sent
    return isinstance(
        exc,
        aiohttp.ServerDisconnectedError
        | aiohttp.ClientConnectionResetError
        | aiohttp.ClientOSError,
    )


def may_send_twice(method: str, headers: list[tuple[bytes, bytes]]) -> bool:
    """Whether sending this request twice does what sending it once does."""
    if method in IDEMPOTENT_METHODS:
        return True
    return method == "POST" and any(name == b"idempotency-key" for name, _ in headers)


# Every live forwarder's pools, for the connection gauge (one forwarder per process in a
# server; tests make many).
_POOLS: weakref.WeakSet[Pools] = weakref.WeakSet()


class Pools:
    """The upstreams of one gateway, by service name."""

    def __init__(self, upstreams: dict[str, Upstream]) -> None:
        self.upstreams = upstreams
        _POOLS.add(self)

    def __iter__(self) -> Iterator[Upstream]:
        return iter(self.upstreams.values())


class _PoolCollector(Collector):
    def collect(self) -> Iterator[GaugeMetricFamily]:
        gauge = GaugeMetricFamily(
            "mtqg_gateway_upstream_connections",
            "Connections to each service: in use by a request, or idle in the keep-alive pool.",
            labels=["service", "state"],
        )
        totals: dict[tuple[str, str], int] = {}
        for pools in list(_POOLS):
            for upstream in pools:
                in_use, idle = upstream.pool_counts()
                for state, n in (("in_use", in_use), ("idle", idle)):
                    key = (upstream.name, state)
                    totals[key] = totals.get(key, 0) + n
        for (service, state), n in sorted(totals.items()):
            gauge.add_metric([service, state], n)
        yield gauge
        replicas = GaugeMetricFamily(
            "mtqg_gateway_replicas",
            "Replicas of each service: in the rotation, or out of it.",
            labels=["service", "state"],
        )
        counted: dict[tuple[str, str], int] = {}
        for pools in list(_POOLS):
            for upstream in pools:
                for replica in upstream.replicas:
                    key = (upstream.name, "out" if replica.out else "in")
                    counted[key] = counted.get(key, 0) + 1
        for (service, state), n in sorted(counted.items()):
            replicas.add_metric([service, state], n)
        yield replicas


REGISTRY.register(_PoolCollector())
