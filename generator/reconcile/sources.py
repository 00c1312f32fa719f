"""Evidence of use -> Events: what each kind of input says someone used.

Kinds, each recognised by its header (or line format), or named with ``--kind``:

* ``idp``: identity-provider exports. Okta's App Usage report (``Instance name``, ``Login``),
  current assignments (``Application name``/``Application instance``), System Log CSV
  (``eventType``, ``target.N.displayName``); Microsoft Entra's sign-in log download
  (``Application``, ``Username``/``User ID``) and enterprise applications list
  (``displayName``, ``appId``).
* ``expenses``: card and expense exports: a merchant (``Description``, ``Vendor``,
  ``Merchant``), an amount and a date (American Express, SAP Concur, most card exports).
* ``proxy``: Squid's native access.log (``time elapsed client code/status bytes method URL
  user hierarchy type``).
* ``dns``: BIND query logs and dnsmasq/Pi-hole ``query[A]`` lines.

A line that cannot be read is a ``reconcile-input`` warning at its line; the file goes on.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from generator.diagnostics import Diagnostic, HandbookError, Severity
from generator.inventory.tables import read_bytes
from generator.load.tabular import decode_text, sniff_delimiter

#: Largest input read: a day of proxy log for a few thousand people.
MAX_INPUT_BYTES = 512_000_000
csv.field_size_limit(MAX_INPUT_BYTES)  # a cell may be as large as the file
KINDS = ("idp", "expenses", "proxy", "dns", "inventory")


@dataclass(frozen=True, slots=True)
class Event:
    """One use: where it was read (file, line), and what it names.

    Exactly one of ``name`` (an application's or product's name), ``host`` (a host name) or
    ``merchant`` (a card-statement line) is set. ``user`` identifies a person or device and
    never leaves the machine except through ``--details``; ``count`` is sign-ins or requests;
    ``amount`` is money spent in ``currency``."""

    path: str
    line: int
    kind: str
    name: str = ""
    host: str = ""
    merchant: str = ""
    user: str = ""
    count: int = 1
    amount: float = 0.0
    currency: str = ""
    day: str = ""
    what: str = "sign-in"  # what one event is, for messages ("3 sign-ins")
    label: str = ""  # the merchant cell alone, when ``merchant`` adds other cells to match


@dataclass
class Read:
    """The events of one input, its kind, how it was recognised, and its problems."""

    path: str
    kind: str
    format: str
    events: list[Event]
    problems: list[Diagnostic]
    lines: int = 0
    refused: int = 0  # failed or blocked sign-ins and requests: no use, not counted


def _norm(cell: str) -> str:
    return " ".join(cell.split()).casefold()


def _problem(path: str, line: int, message: str, hint: str) -> Diagnostic:
    return Diagnostic("reconcile-input", Severity.WARNING, message, path, line, 1, hint=hint)


# --- tables -----------------------------------------------------------------------------------

# (format, kind, columns that must all be present, name column, user columns, count column)
_TABLES: tuple[tuple[str, str, tuple[str, ...], str, tuple[str, ...], str | None], ...] = (
    (
        "Microsoft Entra sign-in log",
        "idp",
        ("date (utc)", "application", "username"),
        "application",
        ("username", "user id", "user"),
        None,
    ),
    (
        "Microsoft Entra enterprise applications",
        "idp",
        ("displayname", "appid"),
        "displayname",
        (),
        None,
    ),
    (
        "Okta App Usage report",
        "idp",
        ("instance name", "login"),
        "instance name",
        ("login", "person"),
        None,
    ),
    (
        "Okta application assignments",
        "idp",
        ("application name", "login"),
        "application instance",
        ("login", "user"),
        None,
    ),
    (
        "Okta System Log",
        "idp",
        ("eventtype", "target.0.displayname"),
        "target.0.displayname",
        ("actor.alternateid",),
        None,
    ),
)
WHAT = {
    "Microsoft Entra enterprise applications": "app registration",
    "Okta application assignments": "assignment",
}
_MERCHANT = ("merchant", "merchant name", "vendor", "description", "payee", "supplier")
_AMOUNT = ("amount", "transaction amount", "amount (usd)", "total", "expense amount")
_DATE = ("date", "transaction date", "posted date", "expense date")
_PEOPLE = ("card member", "employee", "cardholder", "employee name", "user", "email")
_CURRENCY = ("currency", "transaction currency")


def _table(path: str, text: str, kind: str | None = None) -> Read | None:
    """An idp or expenses CSV (only ``kind``'s, when given), or None when the header is
    neither."""
    first = text.lstrip("\ufeff").split("\n", 1)[0]
    if "," not in first and ";" not in first and "\t" not in first:
        return None
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=delimiter)
    header = [_norm(c) for c in next(reader, [])]
    cols = {name: i for i, name in reversed(list(enumerate(header)))}
    for fmt, its_kind, needed, name_col, user_cols, _ in _TABLES:
        if kind in (None, its_kind) and all(n in cols for n in needed):
            return _rows(path, reader, fmt, its_kind, cols, name_col, user_cols)
    if kind not in (None, "expenses"):
        return None
    merchant = next((cols[c] for c in _MERCHANT if c in cols), None)
    amount = next((cols[c] for c in _AMOUNT if c in cols), None)
    if merchant is not None and amount is not None and any(c in cols for c in _DATE):
        return _expenses(path, reader, cols, merchant, amount)
    return None


def _cell(row: list[str], i: int | None) -> str:
    return row[i].strip() if i is not None and i < len(row) else ""


def _rows(
    path: str,
    reader: Iterator[list[str]],
    fmt: str,
    kind: str,
    cols: dict[str, int],
    name_col: str,
    user_cols: tuple[str, ...],
) -> Read:
    read = Read(path, kind, fmt, [], [])
    missing = _no_outcome(path, fmt, cols)
    if missing is not None:
        read.problems.append(missing)
    name_at = cols.get(name_col, cols.get("application name"))
    user_at = next((cols[c] for c in user_cols if c in cols), None)
    line = 2
    for row in reader:
        start, line = line, reader.line_num + 1  # type: ignore[attr-defined]
        name = _cell(row, name_at)
        if not any(c.strip() for c in row):
            continue
        if fmt == "Okta System Log":  # the application is the target of type AppInstance
            name = next(
                (
                    _cell(row, cols.get(f"target.{n}.displayname"))
                    for n in range(4)
                    if _cell(row, cols.get(f"target.{n}.type")) == "AppInstance"
                ),
                "",
            )
        read.lines += 1
        if not name:
            continue
        if not _succeeded(fmt, row, cols):
            read.refused += 1
            continue
        what = WHAT.get(fmt, "sign-in")
        read.events.append(Event(path, start, kind, name=name, user=_cell(row, user_at), what=what))
    return read


def _no_outcome(path: str, fmt: str, cols: dict[str, int]) -> Diagnostic | None:
    """A warning when a sign-in export lacks the column that tells success from failure."""
    needed = {"Microsoft Entra sign-in log": "Status", "Okta System Log": "outcome.result"}.get(fmt)
    if needed is None or needed.casefold() in cols:
        return None
    return _problem(
        path,
        1,
        f"the export has no {needed!r} column: failed or blocked sign-ins cannot be told apart "
        "and are counted as use",
        f"export it again with the {needed!r} column",
    )


def _succeeded(fmt: str, row: list[str], cols: dict[str, int]) -> bool:
    """Whether a sign-in row is a use: Entra's Status "Success", Okta's single sign-on events
    with the outcome SUCCESS (a failed or blocked sign-in, an admin's change, is no use)."""
    if fmt == "Microsoft Entra sign-in log" and "status" in cols:
        return _cell(row, cols["status"]).casefold() == "success"
    if fmt == "Okta System Log":
        event = _cell(row, cols.get("eventtype"))
        outcome = _cell(row, cols.get("outcome.result"))
        return event == "user.authentication.sso" and outcome.upper() in ("SUCCESS", "")
    return True


_MONEY = re.compile(r"^\(?-?[^\d\-(]{0,3}\s*-?[\d.,' ]+\s*[A-Z]{0,3}\)?$")


def amount_of(text: str) -> float | None:
    """'20.00', '$1,284.60', '1.284,60 EUR', '(20.00)' -> a number; None when not an amount."""
    cleaned = text.strip()
    if not cleaned or not _MONEY.match(cleaned):
        return None
    negative = cleaned.startswith(("(", "-")) or "-" in cleaned[:4]
    digits = re.sub(r"[^\d.,]", "", cleaned)
    if "," in digits and "." in digits:
        decimal = "." if digits.rfind(".") > digits.rfind(",") else ","
    elif "," in digits and len(digits.rsplit(",", 1)[1]) == 2:
        decimal = ","
    else:
        decimal = "."
    whole = digits.replace("," if decimal == "." else ".", "").replace(decimal, ".")
    try:
        value = float(whole)
    except ValueError:
        return None
    return -value if negative else value


#: Amounts from this size up are not a payment for software (a cell of digits gone wrong).
MAX_AMOUNT = 1e9
_SYMBOLS = {"€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "US$": "USD"}


def currency_of(text: str) -> str:
    """'usd', ' USD ', '€' -> 'USD', 'EUR'; '' for anything that is no ISO 4217 code."""
    code = _SYMBOLS.get(text.strip(), text.strip().upper())
    return code if re.fullmatch(r"[A-Z]{3}", code) else ""


def _expenses(
    path: str, reader: Iterator[list[str]], cols: dict[str, int], merchant: int, amount: int
) -> Read:
    read = Read(path, "expenses", "card or expense export", [], [])
    person = next((cols[c] for c in _PEOPLE if c in cols), None)
    when = next((cols[c] for c in _DATE if c in cols), None)
    currency = next((cols[c] for c in _CURRENCY if c in cols), None)
    extra = [cols[c] for c in ("expense type", "business purpose", "category") if c in cols]
    line = 2
    for row in reader:
        start, line = line, reader.line_num + 1  # type: ignore[attr-defined]
        if not any(c.strip() for c in row):
            continue
        read.lines += 1
        value = amount_of(_cell(row, amount))
        if value is not None and abs(value) >= MAX_AMOUNT:
            value = None
        if value is None:
            read.problems.append(
                _problem(
                    path,
                    start,
                    f"amount {_cell(row, amount)!r} is not a number; the line is left out",
                    "export amounts as numbers (20.00)",
                )
            )
            continue
        if value <= 0:
            continue  # a refund or a reversal: no use of anything
        text = " ".join([_cell(row, merchant), *(_cell(row, i) for i in extra)])
        read.events.append(
            Event(
                path,
                start,
                "expenses",
                merchant=text,
                label=_cell(row, merchant),
                user=_cell(row, person),
                amount=value,
                currency=currency_of(_cell(row, currency)),
                day=_cell(row, when),
                what="payment",
            )
        )
    return read


# --- logs -------------------------------------------------------------------------------------

_SQUID = re.compile(
    r"^(?P<time>\d+(?:\.\d+)?)\s+(?P<elapsed>-?\d+)\s+(?P<client>\S+)\s+(?P<code>\S+/\d{3})\s+"
    r"(?P<bytes>\d+)\s+(?P<method>[A-Z_]+)\s+(?P<url>\S+)\s+(?P<user>\S+)\s+(?P<hier>\S+)"
    r"\s+(?P<type>\S+)\s*$"
)
_BIND = re.compile(
    r"client (?:@0x[0-9a-f]+ )?(?P<client>[0-9a-fA-F.:]+(?:%[\w.-]+)?)#\d+ \((?P<name>[^)]+)\):"
    r"(?: view \S+:)? query: (?P<qname>\S+) IN (?P<type>\S+)"
)
_DNSMASQ = re.compile(
    r"dnsmasq\[\d+\]: query\[(?P<type>[A-Z0-9]+)\] (?P<qname>\S+) from (?P<client>\S+)"
)


def _host_of(url: str) -> str | None:
    """The host of a request's URL (``CONNECT host:port`` too); None when it has none."""
    if "://" in url:
        # as browsers read it (WHATWG URL): "\\" ends the authority like "/", so
        # "http://evil.example\\@chatgpt.com/" is a request to evil.example
        scheme, _, rest = url.partition("://")
        authority = re.split(r"[/\\?#]", rest, maxsplit=1)[0]
        try:
            return (urlsplit(f"{scheme}://{authority}").hostname or "").lower() or None
        except ValueError:  # "http://[::1" and other broken addresses
            return None
    return url.rsplit(":", 1)[0].strip("[]").lower() or None


def _log(path: str, text: str) -> Read | None:
    # lines end at "\n" only: str.splitlines also breaks at form feeds, U+0085 and U+2028,
    # which would shift every line number after one
    lines = [ln.removesuffix("\r") for ln in text.split("\n")]
    sample = [ln for ln in lines[:200] if ln.strip()]
    if not sample:
        return None
    score = {
        "proxy": sum(1 for ln in sample if _SQUID.match(ln)),
        "bind": sum(1 for ln in sample if _BIND.search(ln)),
        "dnsmasq": sum(1 for ln in sample if "dnsmasq[" in ln or "pihole" in ln),
    }
    fmt, hits = max(score.items(), key=lambda kv: kv[1])
    # most proxy lines are requests; a DNS server also logs forwards, replies and DHCP
    if hits == 0 or hits < len(sample) * (0.5 if fmt == "proxy" else 0.2):
        return None
    if fmt == "proxy":
        read = Read(path, "proxy", "Squid access.log", [], [])
    else:
        name = "BIND query log" if fmt == "bind" else "dnsmasq query log"
        read = Read(path, "dns", name, [], [])
    for number, ln in enumerate(lines, start=1):
        if not ln.strip():
            continue
        read.lines += 1
        if fmt == "proxy":
            m = _SQUID.match(ln)
            if m is None:
                read.problems.append(
                    _problem(
                        path,
                        number,
                        "line is not in Squid's native access.log format; it is left out",
                        "check the log was not cut short or written in another logformat",
                    )
                )
                continue
            code = m["code"]
            status = int(code.rsplit("/", 1)[1])
            if "DENIED" in code or status == 0 or status >= 400:  # blocked or failed: no use
                read.refused += 1
                continue
            host = _host_of(m["url"])
            if host is None:
                read.problems.append(
                    _problem(
                        path,
                        number,
                        "the request's address names no host; the line is left out",
                        "check the log was not cut short or written in another logformat",
                    )
                )
                continue
            user = m["user"] if m["user"] != "-" else m["client"]
            read.events.append(Event(path, number, "proxy", host=host, user=user, what="request"))
        else:
            pattern, marker = (_BIND, "query:") if fmt == "bind" else (_DNSMASQ, "query[")
            m = pattern.search(ln)
            if m is None:
                if marker in ln:
                    read.problems.append(
                        _problem(
                            path,
                            number,
                            "query line cannot be read; it is left out",
                            "check the log was not cut short",
                        )
                    )
                continue
            host = m["qname"].lower().rstrip(".")
            read.events.append(
                Event(path, number, "dns", host=host, user=m["client"], what="lookup")
            )
    return read


def recognised(path: Path) -> bool:
    """Whether ``path`` is an input of a kind this module reads (by its first 64 KiB)."""
    head = read_bytes(path, limit=65536, what="input", head=True)
    try:
        text, _ = decode_text(head, str(path))
    except HandbookError:
        return False
    text = text.rsplit("\n", 1)[0] if len(head) == 65536 else text  # no cut last line
    return _table(str(path), text) is not None or _log(str(path), text) is not None


def read_input(path: Path, shown: str, kind: str | None = None) -> Read:
    """Read one input file, recognising its kind unless ``kind`` is given. Raises HandbookError
    when it cannot be read, is binary, or is no kind this command knows."""
    text, _ = decode_text(read_bytes(path, limit=MAX_INPUT_BYTES, what="input"), shown)
    found = _table(shown, text, kind)
    if found is None or (kind is not None and found.kind != kind):
        log = _log(shown, text)
        found = log if log is not None and (kind is None or log.kind == kind) else found
    if found is None or (kind is not None and found.kind != kind):
        raise HandbookError(
            f"{shown}: not recognised as "
            + (f"an input of kind {kind!r}" if kind else "any input reconcile reads"),
            "give an Okta or Entra CSV export, a card or expense CSV, a Squid access.log, "
            "or a BIND or dnsmasq query log (see `handbook reconcile --help`); an inventory "
            "sheet is read by `handbook reconcile --map MAP.yaml`, not from a --usage folder",
        )
    return found
