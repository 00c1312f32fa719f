"""Which addresses the link checker may connect to: a table of spellings, with and without
--allow-private. Link-local and cloud metadata addresses are refused either way."""

from __future__ import annotations

import pytest

from generator.checks.links.address import refusal

NEVER = ("link-local", "metadata")

# (address as getaddrinfo could give it, refusal without --allow-private, with it)
TABLE = [
    # public
    ("93.184.216.34", None, None),
    ("2606:2800:220:1:248:1893:25c8:1946", None, None),
    ("::ffff:93.184.216.34", None, None),  # IPv4-mapped public address
    ("64:ff9b::5db8:d822", None, None),  # NAT64 of 93.184.216.34: how DNS64 networks reach it
    ("2002:5db8:d822::1", None, None),  # 6to4 of 93.184.216.34
    # loopback and private, in every spelling
    ("127.0.0.1", "private", None),
    ("127.1.2.3", "private", None),
    ("10.1.2.3", "private", None),
    ("172.16.0.1", "private", None),
    ("192.168.0.1", "private", None),
    ("100.64.0.1", "private", None),  # shared address space (carrier-grade NAT)
    ("0.0.0.0", "private", None),
    ("::1", "private", None),
    ("::", "private", None),
    ("fc00::1", "private", None),  # unique local
    ("fd12:3456::1", "private", None),
    ("::127.0.0.1", "private", None),  # IPv4-compatible (the stdlib calls the IPv6 form global)
    ("::10.0.0.1", "private", None),
    ("::ffff:127.0.0.1", "private", None),  # IPv4-mapped
    ("::ffff:7f00:1", "private", None),  # the same, in hex
    ("::ffff:0:127.0.0.1", "private", None),  # IPv4-translated (SIIT)
    ("64:ff9b::7f00:1", "private", None),  # NAT64 of 127.0.0.1
    ("64:ff9b::127.0.0.1", "private", None),
    ("64:ff9b::a00:1", "private", None),  # NAT64 of 10.0.0.1
    ("64:ff9b:1::808:808", "private", None),  # RFC 8215 local-use NAT64
    ("2002:7f00:1::1", "private", None),  # 6to4 of 127.0.0.1
    ("2002:c0a8:1::1", "private", None),  # 6to4 of 192.168.0.1
    ("2001:0:4136:e378:8000:63bf:3fff:fdd2", "private", None),  # Teredo
    ("2001:db8::1", "private", None),  # documentation
    ("fec0::1", "private", None),  # deprecated site-local (3.11's is_global says global)
    ("192.0.0.8", "private", None),  # IPv4 dummy address (IANA: not global)
    ("192.0.0.9", None, None),  # PCP anycast: global
    ("224.0.0.1", "private", None),  # multicast
    ("ff02::1", "private", None),
    # link-local and cloud metadata: never, with or without --allow-private
    ("169.254.169.254", "metadata", "metadata"),
    ("169.254.170.2", "link-local", "link-local"),  # ECS task metadata: link-local
    ("169.254.0.1", "link-local", "link-local"),
    ("fe80::1", "link-local", "link-local"),
    ("fe80::1%eth0", "link-local", "link-local"),
    ("febf:ffff::1", "link-local", "link-local"),  # the top of fe80::/10
    ("fd00:ec2::254", "metadata", "metadata"),  # AWS over IPv6, inside the private fc00::/7
    ("100.100.100.200", "metadata", "metadata"),  # Alibaba Cloud
    ("::ffff:169.254.169.254", "metadata", "metadata"),
    ("::ffff:a9fe:a9fe", "metadata", "metadata"),
    ("::ffff:0:169.254.169.254", "metadata", "metadata"),
    ("::169.254.169.254", "metadata", "metadata"),
    ("64:ff9b::a9fe:a9fe", "metadata", "metadata"),
    ("64:ff9b::169.254.1.1", "link-local", "link-local"),
    ("2002:a9fe:a9fe::1", "metadata", "metadata"),
    ("2002:a9fe:1::1", "link-local", "link-local"),
    # Teredo: the client address is stored inverted; 5601:5601 is 169.254.169.254
    ("2001:0:4136:e378:8000:63bf:5601:5601", "metadata", "metadata"),
]


@pytest.mark.parametrize(("ip", "strict", "allowed"), TABLE, ids=[row[0] for row in TABLE])
def test_refusal(ip: str, strict: str | None, allowed: str | None) -> None:
    assert refusal(ip, allow_private=False) == strict
    assert refusal(ip, allow_private=True) == allowed


def test_never_is_never() -> None:
    for ip, strict, allowed in TABLE:
        assert (strict in NEVER) == (allowed in NEVER), ip


def test_not_an_address() -> None:
    with pytest.raises(ValueError):
        refusal("example.com", allow_private=True)


@pytest.mark.parametrize(
    "spelling",
    ["127.0.0.1", "2130706433", "127.1", "0x7f000001", "0177.0.0.1", "0x7f.0.0.1",
     "[::ffff:7f00:1]", "127.0.0.1."],
)  # fmt: skip
def test_every_spelling_of_one_address_is_one_host(spelling: str) -> None:
    """Pacing and the per-host limit count one server once, however its address is spelled
    (the forms getaddrinfo reads as IPv4, as browsers do)."""
    from generator.checks.links.fetch import host_key

    assert host_key(f"http://{spelling}:8801/x") == "http://127.0.0.1:8801"


def test_a_name_that_only_looks_numeric_stays_a_name() -> None:
    from generator.checks.links.fetch import host_key

    assert host_key("http://1.2.3.4.example/") == "http://1.2.3.4.example:80"
