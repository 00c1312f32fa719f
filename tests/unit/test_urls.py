"""Web addresses and mailto: links are parsed: one function gives the verdict and the reason."""

from __future__ import annotations

import jsonschema_rs
import pytest

from generator import urls

RANGE = "1\u201365535"  # an en dash
RFC3986 = jsonschema_rs.validator_for({"format": "uri"}, validate_formats=True)

GOOD_URLS = [
    "https://example.com",
    "https://example.com/",
    "http://example.com/path?q=1&r=2#part",
    "https://example.com:443/x",
    "https://example.com:1/",
    "https://example.com:65535/",
    "https://sub.example.co.uk/a/b/c.pdf",
    "https://xn--bcher-kva.de/",  # bücher.de, written in its xn-- form
    "https://xn--80adxhks.xn--p1ai/",  # a Russian name (not only look-alikes)
    "https://intranet/wiki",
    "https://example.com./",  # a fully qualified name may end in a dot
    "https://10.0.0.1/",
    "https://[::1]/",
    "https://[2001:db8::1]:8443/x",
    "https://example.com/a%20b/%C3%BC",
    "https://example.com/@team/page",  # '@' in the path is not user information
    "https://" + ".".join(["a" * 63] * 3) + ".com/",  # 63-character labels, 196 in all
]


@pytest.mark.parametrize("value", GOOD_URLS)
def test_good_urls(value: str) -> None:
    assert urls.url_problem(value) is None
    assert urls.link_problem(value) is None
    assert RFC3986.is_valid(value)  # every accepted address is also a format: uri


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("https://example.com:99999/", f"port 99999 is out of range {RANGE}"),
        ("https://example.com:0/", f"port 0 is out of range {RANGE}"),
        ("https://example.com:65536", f"port 65536 is out of range {RANGE}"),
        ("https://example.com:/", "it has a ':' after the host but no port"),
        ("https://example.com:8o8o/", "its port '8o8o' is not a number"),
        ("https:///path", "it has no host"),
        ("https://:443/", "it has no host"),
        ("https:example.com", "it has no host: write https://host/…"),
        ("example.com", "it has no scheme: start it with https://"),
        ("//example.com", "it has no scheme: start it with https://"),
        ("HTTPS://example.com", "write its scheme in lower case: https://"),
        (
            "https://user:secret@example.com/",
            "it has a user name or password before the host ('…@'); "
            "leave credentials out of the handbook",
        ),
        (
            "https://example.com@evil.example/",
            "it has a user name or password before the host ('…@'); "
            "leave credentials out of the handbook",
        ),
        ("https://[::1/", "its '[' has no closing ']'"),
        ("https://[example.com]/", "its host [example.com] is not an IPv6 address"),
        ("https://[::1]x/", "only a port (':443') may follow an IPv6 address's ']'"),
        ("https://exa[mple].com/", "brackets are only allowed around an IPv6 address"),
        ("https://::1/", "its port ':1' is not a number"),
        (
            "https://999.1.1.1/",
            "its host '999.1.1.1' is not an IPv4 address (four numbers from 0 to 255)",
        ),
        ("https://1234/", "its host '1234' is not an IPv4 address (four numbers from 0 to 255)"),
        (
            "https://a..example/",
            "its host 'a..example' has an empty label (two dots in a row, or a leading dot)",
        ),
        (
            "https://-a.example/",
            "its host label '-a' is not letters, digits and hyphens "
            "(not starting or ending with a hyphen)",
        ),
        (
            "https://a_b.example/",
            "its host label 'a_b' is not letters, digits and hyphens "
            "(not starting or ending with a hyphen)",
        ),
        (
            "https://" + "a" * 64 + ".example/",
            "its host name has a label of 64 characters; the most is 63",
        ),
        (
            "https://" + ".".join(["a" * 63] * 4) + ".com/",
            "its host name is 259 characters long; the most is 253",
        ),
        ("https://xn--a.example/", "its host label 'xn--a' is not a valid xn-- (punycode) name"),
        ("https://xn--zz.example/", "its host label 'xn--zz' is not a valid xn-- (punycode) name"),
        (
            "https://xn--pple-43d.com/",  # 'apple' with a Cyrillic a
            "its host label 'xn--pple-43d' spells '\\u0430pple', "
            "with letters that look like others",
        ),
        (
            "https://xn--80ak6aa92e.com/",  # 'apple' in Cyrillic look-alikes only
            "its host label 'xn--80ak6aa92e' spells '\\u0430\\u0440\\u0440\\u04cf\\u0435', "
            "with letters that look like others",
        ),
        (
            "https://b\u00fccher.de/",
            "it contains U+00FC LATIN SMALL LETTER U WITH DIAERESIS, which a web address must "
            "percent-encode (a host name is written in its xn-- form)",
        ),
        ("https://example.com/a b", "it contains a space, which a web address writes as %20"),
        (
            "https://example.com\\@evil.example/",
            "it contains '\\\\', which a web address must percent-encode (%5C)",
        ),
        (
            "https://example.com/<script>",
            "it contains '<', which a web address must percent-encode (%3C)",
        ),
        ("https://example.com/%zz", "it has a '%' that is not followed by two hex digits"),
        ("https://example.com/\x7f", "it contains the control character U+007F"),
        (
            "ftp://example.com/",
            "ftp: links are not allowed; only https:// (or http://) addresses are",
        ),
        (
            "javascript:alert(1)",
            "javascript: links are not allowed; only https:// (or http://) addresses are",
        ),
        (
            "mailto:someone@example.com",
            "mailto: links are not allowed; only https:// (or http://) addresses are",
        ),
    ],
)
def test_bad_urls_say_why(value: str, reason: str) -> None:
    assert urls.url_problem(value) == reason


@pytest.mark.parametrize(
    "value",
    ["mailto:someone@example.com", "mailto:ai-feedback@example.com?subject=Inaccuracy"],
)
def test_good_mailto_links(value: str) -> None:
    assert urls.link_problem(value) is None
    assert RFC3986.is_valid(value)


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (
            "mailto:a@example.com,b@example.com",
            "a mailto: link names exactly one address, local-part@domain",
        ),
        ("mailto:example.com", "a mailto: link names exactly one address, local-part@domain"),
        ("mailto:@example.com", "its address '@example.com' has no valid part before the '@'"),
        ("mailto:team@localhost", "its address's domain 'localhost' has no dot"),
        (
            "mailto:team@-x.example",
            "its address's domain label '-x' is not letters, digits and hyphens "
            "(not starting or ending with a hyphen)",
        ),
        (
            "mailto:team@example.com (Team)",
            "it contains a space, which a web address writes as %20",
        ),
        ("MAILTO:team@example.com", "write its scheme in lower case: mailto:"),
        (
            "javascript:alert(1)",
            "javascript: links are not allowed; only https:// (or mailto:) links are",
        ),
        ("data:text/html,x", "data: links are not allowed; only https:// (or mailto:) links are"),
        ("https://example.com:99999/", f"port 99999 is out of range {RANGE}"),
    ],
)
def test_bad_links_say_why(value: str, reason: str) -> None:
    assert urls.link_problem(value) == reason
