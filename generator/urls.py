"""Web addresses and e-mail links, checked by parsing them, not by a pattern.

The schemas' ``url`` and ``link`` types name the formats ``url`` and ``link``; :class:`Schemas`
(generator/schema.py) registers :func:`url_problem` and :func:`link_problem` for them, and its
messages quote the same functions, so the verdict and the reason given never disagree.

A ``url`` is an absolute ``http``/``https`` address:

* written in the characters RFC 3986 allows (anything else percent-encoded, a host name in its
  ``xn--`` form), so every accepted value is also a valid ``format: uri``;
* with a host: a name of letters, digits and hyphens (labels of 1-63 characters, 253 in all;
  an ``xn--`` label must spell a name whose letters cannot be taken for others, as in messages),
  an IPv4 address, or an IPv6 address in brackets (brackets nowhere else);
* without a user name or password (``https://user:pass@host`` puts a secret in the registry and
  is the classic way to disguise a host);
* with a port, if any, from 1 to 65535.

A ``link`` is a ``url`` or a ``mailto:`` link to one valid address.
"""

from __future__ import annotations

import functools
import ipaddress
import re
import unicodedata

from generator.chars import reveal

SCHEMES = ("http", "https")
# RFC 3986: unreserved and reserved characters, and '%' (followed by two hex digits).
_NOT_URI_CHAR = re.compile(r"[^A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]")
_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_AUTHORITY_END = re.compile(r"[/?#]")
# A host name whose every label is letters, digits and inner hyphens: the common case, checked
# at once; anything else is looked at label by label to say what is wrong.
_PLAIN_HOST = re.compile(
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.?"
)
_LABEL = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$")
_PORT = re.compile(r"^[0-9]+$")
_LOCAL_PART = re.compile(r"^[A-Za-z0-9!#$&'*+/=?^_`{|}~.%-]+$")
MAX_HOST = 253


def _character_problem(value: str) -> str | None:
    found = _NOT_URI_CHAR.search(value)
    if found is None:
        if _PERCENT.search(value):
            return "it has a '%' that is not followed by two hex digits"
        return None
    char = found.group()
    if char == " ":
        return "it contains a space, which a web address writes as %20"
    if not char.isascii():
        name = unicodedata.name(char, "")
        shown = f"U+{ord(char):04X}" + (f" {name}" if name else "")
        return (
            f"it contains {shown}, which a web address must percent-encode "
            "(a host name is written in its xn-- form)"
        )
    if not char.isprintable():
        return f"it contains the control character U+{ord(char):04X}"
    return f"it contains {char!r}, which a web address must percent-encode (%{ord(char):02X})"


def host_problem(host: str) -> str | None:
    """Why ``host`` (no brackets, no port) is not a host name or IPv4 address, or None."""
    if not host:
        return "it has no host"
    name = host[:-1] if host.endswith(".") else host  # a fully qualified name may end in '.'
    if (
        len(name) <= MAX_HOST
        and _PLAIN_HOST.fullmatch(host)
        and not (name.rpartition(".")[2].isascii() and name.rpartition(".")[2].isdigit())
        and "xn--" not in name.lower()
    ):
        return None  # the common case
    if len(name) > MAX_HOST:
        return f"its host name is {len(name)} characters long; the most is {MAX_HOST}"
    labels = name.split(".")
    if labels[-1].isdigit():  # read as an IPv4 address by browsers, whatever it looks like
        try:
            ipaddress.IPv4Address(name)
        except ValueError:
            return f"its host {host!r} is not an IPv4 address (four numbers from 0 to 255)"
        return None
    for label in labels:
        if not label:
            return f"its host {host!r} has an empty label (two dots in a row, or a leading dot)"
        if len(label) > 63:
            return f"its host name has a label of {len(label)} characters; the most is 63"
        if not _LABEL.match(label):
            return (
                f"its host label {label!r} is not letters, digits and hyphens "
                "(not starting or ending with a hyphen)"
            )
        if label[:4].lower() == "xn--":
            problem = _idn_problem(label)
            if problem:
                return problem
    return None


def _idn_problem(label: str) -> str | None:
    """An ``xn--`` label must spell a name in letters, digits and hyphens, not in look-alikes."""
    try:
        name = label[4:].encode("ascii").decode("punycode")
    except UnicodeError:
        name = ""
    if not name or name.isascii() or not all(c == "-" or c.isalnum() for c in name):
        return f"its host label {label!r} is not a valid xn-- (punycode) name"
    shown = reveal(name)
    if shown != name:  # 'xn--pple-43d' is 'apple' with a Cyrillic a
        return f"its host label {label!r} spells '{shown}', with letters that look like others"
    return None


def _authority_problem(authority: str) -> str | None:
    if "@" in authority:
        return (
            "it has a user name or password before the host ('…@'); "
            "leave credentials out of the handbook"
        )
    if authority.startswith("["):
        end = authority.find("]")
        if end < 0:
            return "its '[' has no closing ']'"
        literal, rest = authority[1:end], authority[end + 1 :]
        try:
            ipaddress.IPv6Address(literal)
        except ValueError:
            return f"its host [{literal}] is not an IPv6 address"
        if rest and not rest.startswith(":"):
            return "only a port (':443') may follow an IPv6 address's ']'"
        port = rest[1:] if rest else None
        host = None
    else:
        if "[" in authority or "]" in authority:
            return "brackets are only allowed around an IPv6 address"
        host, colon, port_text = authority.partition(":")
        port = port_text if colon else None
    if port is not None:
        if not port:
            return "it has a ':' after the host but no port"
        if not _PORT.match(port):
            return f"its port {port!r} is not a number"
        if not 1 <= int(port) <= 65535:
            return f"port {int(port)} is out of range 1\u201365535"
    return None if host is None else host_problem(host)


@functools.lru_cache(maxsize=4096)
def url_problem(value: str) -> str | None:
    """Why ``value`` is not an absolute http(s) address, or None when it is one."""
    return _web_problem(value, "only https:// (or http://) addresses are")


@functools.lru_cache(maxsize=4096)
def link_problem(value: str) -> str | None:
    """Why ``value`` is neither an http(s) address nor a mailto: link to one address, or None."""
    scheme = value.partition(":")[0]
    if scheme.lower() != "mailto":
        return _web_problem(value, "only https:// (or mailto:) links are")
    if scheme != "mailto":
        return "write its scheme in lower case: mailto:"
    problem = _character_problem(value)
    if problem:
        return problem
    address = value[len("mailto:") :].split("?", 1)[0]
    return email_problem(address)


def _web_problem(value: str, allowed: str) -> str | None:
    scheme, colon, rest = value.partition(":")
    if not colon or not scheme:
        return "it has no scheme: start it with https://"
    if scheme.lower() not in SCHEMES:
        return f"{scheme.lower()}: links are not allowed; {allowed}"
    if scheme not in SCHEMES:
        return f"write its scheme in lower case: {scheme.lower()}://"
    if not rest.startswith("//"):
        return f"it has no host: write {scheme}://host/…"
    problem = _character_problem(value)
    if problem:
        return problem
    authority = _AUTHORITY_END.split(rest[2:], maxsplit=1)[0]
    return _authority_problem(authority)


def email_problem(address: str) -> str | None:
    """Why ``address`` is not one e-mail address (local@host.domain), or None."""
    if "," in address or address.count("@") != 1:
        return "a mailto: link names exactly one address, local-part@domain"
    local, _, domain = address.partition("@")
    if not local or not _LOCAL_PART.match(local):
        return f"its address {address!r} has no valid part before the '@'"
    if "." not in domain.rstrip("."):
        return f"its address's domain {domain!r} has no dot"
    problem = host_problem(domain)
    return problem.replace("its host", "its address's domain", 1) if problem else None
