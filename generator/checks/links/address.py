"""address: may the link checker connect to this IP address? One decision, for every hop.

Three answers, from the standard library's :mod:`ipaddress` properties:

* ``"link-local"`` and ``"metadata"``: never fetched, whatever ``allow_private`` says. Link-local
  addresses (169.254.0.0/16, fe80::/10) and the cloud metadata services (169.254.169.254,
  fd00:ec2::254, 100.100.100.200) hand out credentials to whoever asks from inside the machine.
* ``"private"``: anything not globally reachable (loopback, private, shared, reserved,
  unspecified) or multicast; fetched only with ``allow_private`` (local tests, intranets).
* ``None``: a public address.

An IPv6 address that carries an IPv4 address is judged by that IPv4 address, since the packets
end up there: IPv4-mapped ``::ffff:a.b.c.d``, IPv4-translated ``::ffff:0:a.b.c.d``, NAT64
``64:ff9b::a.b.c.d`` (RFC 6052: a DNS64 network's way to reach public IPv4 hosts) and 6to4
``2002:AABB:CCDD::`` by the IPv4 address alone; Teredo (server and client) and the deprecated
IPv4-compatible ``::a.b.c.d`` by both.
"""

from __future__ import annotations

import ipaddress
from typing import Literal

Refusal = Literal["link-local", "metadata", "private"]
Address = ipaddress.IPv4Address | ipaddress.IPv6Address

# Addresses, not prefixes: the ones inside ranges that are otherwise only "private".
METADATA = frozenset(
    ipaddress.ip_address(a)
    for a in (
        "169.254.169.254",  # AWS, GCP, Azure, Oracle, OpenStack (link-local anyway)
        "fd00:ec2::254",  # AWS over IPv6 (a unique local address)
        "100.100.100.200",  # Alibaba Cloud (shared address space)
    )
)
# RFC 6052 well-known prefix: the last 32 bits are the IPv4 address a translator reaches.
NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
# RFC 8215 local-use prefix: a network's own translator, not globally reachable (newer Pythons
# say so through is_global; 3.11 does not).
NAT64_LOCAL = ipaddress.IPv6Network("64:ff9b:1::/48")
_LOW32 = 0xFFFFFFFF
# IANA's IPv4 special-purpose registry: 192.0.0.0/24 is not globally reachable except the two
# anycast addresses. Python 3.12.4 says so through is_global (gh-113171); 3.11 calls the rest
# global.
IETF_PROTOCOL = ipaddress.IPv4Network("192.0.0.0/24")
IETF_GLOBAL = frozenset(ipaddress.IPv4Address(a) for a in ("192.0.0.9", "192.0.0.10"))


def is_global(a: Address) -> bool:
    """``a.is_global``, with what older Pythons miss: IPv6 site-local fec0::/10 (deprecated
    by RFC 3879, still routed inside some networks), 192.0.0.0/24, and the NAT64 local-use
    prefix 64:ff9b:1::/48 (RFC 8215)."""
    if isinstance(a, ipaddress.IPv6Address):
        return a.is_global and not a.is_site_local and a not in NAT64_LOCAL
    return a.is_global and (a not in IETF_PROTOCOL or a in IETF_GLOBAL)


def parse(ip: str) -> Address:
    """An address as ``getaddrinfo`` gives it (an IPv6 zone such as ``%eth0`` is dropped).

    Raises ValueError when ``ip`` is not an address."""
    return ipaddress.ip_address(ip.split("%", 1)[0])


def embedded(addr: Address) -> tuple[list[ipaddress.IPv4Address], bool]:
    """(IPv4 addresses carried inside ``addr``; whether they alone decide, replacing ``addr``)."""
    if isinstance(addr, ipaddress.IPv4Address):
        return [], False
    value = int(addr)
    if addr.ipv4_mapped is not None:
        return [addr.ipv4_mapped], True
    if addr in NAT64 or value >> 32 == 0xFFFF0000:  # NAT64, or IPv4-translated ::ffff:0:0/96
        return [ipaddress.IPv4Address(value & _LOW32)], True
    if addr.sixtofour is not None:
        return [addr.sixtofour], True
    if addr.teredo is not None:
        return list(addr.teredo), False
    if value >> 32 == 0 and value > 1:  # IPv4-compatible ::a.b.c.d (not :: or ::1)
        return [ipaddress.IPv4Address(value & _LOW32)], False
    return [], False


def refusal(ip: str, *, allow_private: bool) -> Refusal | None:
    """Why the address ``ip`` may not be connected to, or None when it may.

    Raises ValueError when ``ip`` is not an address."""
    addr = parse(ip)
    inner, decisive = embedded(addr)
    judged: list[Address] = [*inner] if decisive else [addr, *inner]
    for a in (addr, *inner):
        if a in METADATA:
            return "metadata"
        if a.is_link_local:
            return "link-local"
    if allow_private:
        return None
    for a in judged:
        if not is_global(a) or a.is_multicast:
            return "private"
    return None
