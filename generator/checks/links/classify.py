"""classify: what each probed URL means for each place it is written -> list[Diagnostic].

404/410, other 4xx, unknown hosts, refused connections and 5xx that persist are broken (errors).
401/403 are bot protection more often than dead pages: a warning of their own. A host still
rate-limiting at the end of the run, or asking for a longer wait than the run allows, is a
warning, never "broken". Addresses that are not fetched (private, link-local, cloud metadata)
are warnings that say so. Successes go to the cache.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit, urlunsplit

from generator.checks.links.cache import Cache
from generator.checks.links.collect import Occurrence
from generator.checks.links.probe import Result
from generator.diagnostics import Diagnostic
from generator.rules import RULES

_MAILBOX = re.compile(r"^[^\s@,;<>()\[\]\\\"]+@[^\s@,;<>()\[\]\\\"]+\.[^\s@,;<>()\[\]\\\".]+$")
_UNREACHABLE = {
    "reset": "the connection was closed before an answer",
    "refused": "the connection was refused",
}
_REFUSED_ADDRESS = {  # fetch's refusals -> how the address is described
    "private": "non-public",
    "link-local": "link-local",
    "metadata": "cloud metadata",
}


@dataclass(frozen=True, slots=True)
class Verdict:
    rule: str | None  # None: fine
    message: str = ""
    hint: str | None = None
    cacheable: bool = False


def split_fragment(url: str) -> tuple[str, str]:
    """(URL without fragment, with scheme and host lower-cased; the raw fragment)."""
    parts = urlsplit(url)
    key = urlunsplit(
        parts._replace(scheme=parts.scheme.lower(), netloc=parts.netloc.lower(), fragment="")
    )
    return key, parts.fragment


def checkable_fragment(fragment: str) -> bool:
    """False for fragments no page defines: empty, #top, text fragments, hash-bang routes."""
    return fragment not in ("", "top") and not fragment.startswith((":~:", "!", "/"))


#: GitHub, GitLab and Gitea render a README's heading ids with this prefix and let the page's
#: script scroll '#heading' to 'user-content-heading', so a browser finds both.
USER_CONTENT = "user-content-"
_LINE = re.compile(r"^L\d+(?:C\d+)?(?:-L\d+(?:C\d+)?)?$")


def has_anchor(fragment: str, anchors: frozenset[str]) -> bool:
    """Whether a browser would find ``fragment`` on a page defining ``anchors``: an id or
    ``<a name>``, percent-decoded or not; on a page of a code host (its ids carry the
    ``user-content-`` prefix) also the prefixed id and a line anchor such as ``L10-L20``."""
    wanted = {fragment, unquote(fragment)}
    if wanted & anchors:
        return True
    if any(a.startswith(USER_CONTENT) for a in anchors):
        if {USER_CONTENT + w for w in wanted} & anchors:
            return True
        if any(_LINE.match(w) for w in wanted):
            return True
    return False


def mailto_problem(url: str) -> str | None:
    rest = url.split(":", 1)[1]
    to, _, _query = rest.partition("?")
    addresses = [unquote(a).strip() for a in to.split(",") if a.strip()]
    if not addresses:
        return "names no address"
    for a in addresses:
        if not _MAILBOX.match(a):
            return f"{a!r} is not an e-mail address"
    return None


def verdict(url: str, r: Result, fragment: str, accept: frozenset[int], timeout: float) -> Verdict:
    shown = f"{url!r}"
    tries = f"{r.attempts} attempt{'s' if r.attempts != 1 else ''}"
    # what the finding is about: the URL, or where its redirects led
    via = f"{shown} redirects to {r.final_url!r}, which" if r.hops else shown
    if r.error in _REFUSED_ADDRESS:
        kind = _REFUSED_ADDRESS[r.error]
        if r.error == "private":
            hint = (
                "readers cannot reach private addresses; link to a public page "
                "(--allow-private is for local tests)"
            )
        else:
            hint = (
                "link-local and cloud metadata addresses are never requested, even with "
                "--allow-private; link to a public page"
            )
        skipped = "the redirect was not followed" if r.hops else "it was not requested"
        return Verdict(
            "link-private", f"{via} resolves to the {kind} address {r.detail}; {skipped}", hint
        )
    if r.error in ("rate-limited", "not-checked"):
        # rate-limited: the server answered 429; not-checked: its host had asked us to wait
        could = "could not be checked" if r.error == "rate-limited" else "was not checked"
        return Verdict(
            "link-rate-limited",
            f"{via} {could}: {r.detail}",
            "the next run tries again; check it by hand if it persists",
        )
    if r.error == "timeout" or (r.status is None and r.timed_out):
        return Verdict(
            "link-timeout",
            f"{shown} did not answer within {timeout:g} s ({tries})",
            "the site may be slow or down; the next run tries again",
        )
    if r.error == "dns":
        return Verdict(
            "link-broken",
            f"{shown} is broken: {r.detail}",
            "check the address for typos; the domain may no longer exist",
        )
    if r.error == "tls":
        return Verdict(
            "link-broken",
            f"{shown} is broken: its TLS certificate is not valid ({r.detail})",
            "check the address; the site's certificate may have expired",
        )
    if r.error in ("loop", "redirects", "invalid"):
        return Verdict("link-broken", f"{shown} is broken: {r.detail}", "open it in a browser")
    if r.error in ("reset", "refused", "protocol") and r.status is None:
        why = _UNREACHABLE.get(r.error, r.detail)
        return Verdict(
            "link-broken",
            f"{shown} is unreachable: {why} ({tries})",
            "check the address; the site may be down",
        )
    status = r.status or 0
    answer = f"{status} {r.reason}".strip()
    if status not in accept and not 200 <= status < 300:
        if status in (401, 403):
            return Verdict(
                "link-blocked",
                f"{shown} answered {answer}: the site refuses automated checks",
                "open it in a browser; if it works, add the status to links.accept_status "
                "or the address to links.exclude in registry/policy.yaml",
            )
        if status >= 500:
            return Verdict(
                "link-broken",
                f"{shown} is broken: the server answered {answer} ({tries})",
                "the site may be down; the next run tries again",
            )
        return Verdict(
            "link-broken",
            f"{shown} is broken: {answer}",
            "fix or remove the link; if the page moved, link to its new address",
        )
    anchors = r.anchors
    if checkable_fragment(fragment) and anchors is not None and not has_anchor(fragment, anchors):
        if r.timed_out:
            return Verdict(
                "link-timeout",
                f"{shown}: the page did not finish loading within {timeout:g} s, "
                f"so anchor {unquote(fragment)!r} could not be looked for",
                "the next run tries again",
            )
        if r.truncated:
            return Verdict(
                "anchor-unchecked",
                f"{shown}: anchor {unquote(fragment)!r} is not in the first "
                f"{r.body_bytes:,} bytes of the page, where the check stops",
                "link to the page without '#...' or check the anchor by hand",
            )
        if not anchors:
            return Verdict(
                "anchor-unchecked",
                f"{shown}: the page defines no ids in its HTML (it may build its content with "
                f"JavaScript), so anchor {unquote(fragment)!r} could not be looked for",
                "check the anchor by hand in a browser",
            )
        return Verdict(
            "anchor-missing",
            f"{shown}: the page has no anchor {unquote(fragment)!r}",
            "link to an existing id on that page, or drop the '#...' part",
        )
    if r.permanent_redirect and r.final_url != r.url:
        return Verdict(
            "link-redirected",
            f"{shown} redirects permanently to {r.final_url!r}",
            "link to the final address",
            cacheable=True,
        )
    return Verdict(None, cacheable=True)


def classify(
    occurrences: Iterable[Occurrence],
    results: Mapping[str, Result],
    cache: Cache,
    *,
    accept: frozenset[int],
    timeout: float,
) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for o in occurrences:
        kind = o.url.split(":", 1)[0].lower()
        if kind == "mailto":
            problem = mailto_problem(o.url)
            if problem is not None:
                v = Verdict("mailto-invalid", f"{o.url!r}: {problem}", "write mailto:name@domain")
            else:
                continue
        else:
            key, fragment = split_fragment(o.url)
            entry = cache.get(o.url)
            if entry is not None:
                if entry.final_url is None:
                    continue
                v = Verdict(
                    "link-redirected",
                    f"{o.url!r} redirects permanently to {entry.final_url!r}",
                    "link to the final address",
                )
            elif key not in results:
                continue
            else:
                r = results[key]
                v = verdict(o.url, r, fragment, accept, timeout)
                if v.cacheable:
                    final = r.final_url if v.rule == "link-redirected" else None
                    cache.put(o.url, r.status or 0, final)
                else:
                    cache.drop(o.url)
        if v.rule is None:
            continue
        rule = RULES[v.rule]
        out.append(
            Diagnostic(
                rule.id,
                rule.severity,
                v.message,
                o.path,
                o.line,
                o.column,
                hint=v.hint,
                subject=o.subject,
            )
        )
    return out
