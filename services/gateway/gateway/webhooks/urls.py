"""Which webhook URLs the gateway will call (API.md section 9), against server-side request
forgery: `https`, and every address the host resolves to public (not loopback, private,
link-local, CGNAT, unique-local, multicast, unspecified or IPv4-mapped).
`MTQG_WEBHOOK_ALLOW_PRIVATE=true` also allows private and loopback addresses (and CGNAT and
unique-local ones), over `http` or `https`; a public address always needs `https`, and
link-local (cloud metadata) and IPv4-mapped addresses are never called.

The rule is checked when a URL is given and again on every connection a delivery opens
(`GuardedResolver`), so a name that resolved to a public address then and to a private one
now (DNS rebinding) is refused at the connection, not called.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from aiohttp.abc import AbstractResolver, ResolveResult

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
_CGNAT = ipaddress.ip_network("100.64.0.0/10")
RESOLVE_SECONDS = 5.0


class RefusedUrl(OSError):
    """The URL or an address of its host may not be called; `reason` is a message key
    variant (`field.invalid.webhook_<reason>`)."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"webhook URL refused: {reason}")
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Target:
    scheme: str
    host: str
    port: int


def parse(url: str) -> Target:
    """Scheme, host and port of an absolute http(s) URL without credentials or fragment."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise RefusedUrl("format") from exc
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        raise RefusedUrl("format")
    if parts.username is not None or parts.password is not None or parts.fragment:
        raise RefusedUrl("format")
    return Target(scheme, parts.hostname.lower(), port or (443 if scheme == "https" else 80))


def literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def refusal(address: IPAddress, *, scheme: str, allow_private: bool) -> str | None:
    """Why this address may not be called with this scheme (a reason), or None."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return "mapped_address"
    if address.is_multicast or address.is_unspecified or address.is_link_local:
        return "private_address"
    if address.is_global and address not in _CGNAT:
        return None if scheme == "https" else "https_required"
    # Loopback, RFC 1918, CGNAT, unique-local, documentation and other reserved ranges.
    return None if allow_private else "private_address"


async def lookup(host: str, port: int) -> list[IPAddress]:
    """Every address `host` resolves to (the system resolver, as aiohttp's default)."""
    loop = asyncio.get_running_loop()
    async with asyncio.timeout(RESOLVE_SECONDS):
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    found: list[IPAddress] = []
    for family, _type, _proto, _name, sockaddr in infos:
        if family in (socket.AF_INET, socket.AF_INET6):
            address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
            if address not in found:
                found.append(address)
    return found


async def addresses(target: Target, *, allow_private: bool) -> list[IPAddress]:
    """The addresses of the target's host, every one of them allowed; else `RefusedUrl`."""
    fixed = literal(target.host)
    if fixed is not None:
        found = [fixed]
    else:
        try:
            found = await lookup(target.host, target.port)
        except (OSError, TimeoutError, UnicodeError) as exc:
            raise RefusedUrl("unresolved") from exc
        if not found:
            raise RefusedUrl("unresolved")
    for address in found:
        reason = refusal(address, scheme=target.scheme, allow_private=allow_private)
        if reason is not None:
            raise RefusedUrl(reason)
    return found


async def check(url: str, *, allow_private: bool) -> None:
    """Refuse (`RefusedUrl`) a URL the dispatcher would not call."""
    await addresses(parse(url), allow_private=allow_private)


class GuardedResolver(AbstractResolver):
    """aiohttp's resolver for deliveries: resolves every new connection's host afresh and
    refuses it (`RefusedUrl`) unless every address is allowed for the scheme. One per scheme,
    since the rule for a public address differs between http and https."""

    def __init__(self, scheme: str, *, allow_private: bool) -> None:
        self.scheme = scheme
        self.allow_private = allow_private

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        target = Target(self.scheme, host, port)
        found = await addresses(target, allow_private=self.allow_private)
        results: list[ResolveResult] = []
        for address in found:
            results.append(
                {
                    "hostname": host,
                    "host": str(address),
                    "port": port,
                    "family": socket.AF_INET6 if address.version == 6 else socket.AF_INET,
                    "proto": 0,
                    "flags": socket.AI_NUMERICHOST,
                }
            )
        return results

    async def close(self) -> None:
        return None
