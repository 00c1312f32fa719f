"""The raw markup a Markdown text holds, for the diff: what it sets on the page that a reader of
the source does not see as prose (a tag, a comment, an attr_list attribute list).

Code (a fenced block, a code span outside an HTML block) and autolinks are left out: Markdown
shows them as written. Otherwise the reading errs towards reporting.
"""

from __future__ import annotations

import re
from collections import Counter

_HTML = re.compile(r"<!--.*?(?:-->|$)|<[A-Za-z/!?][^<>]*>", re.DOTALL)
# attr_list's attribute lists ({: hidden }, { .class #id key=value }, ```{.x .y}): markup too,
# which sets on an element what the source does not show (hidden text, a class, an id).
_ATTR = r"""(?:[.#][^\s{}]+|[\w-]+(?:=(?:"[^"\n]*"|'[^'\n]*'|[^\s{}]+))?)"""
# Where attr_list reads one: at the end of a line (a block, a heading, a fence's info) or right
# after an inline element, with no space between (*em*{...}, ==mark=={...}, [link](x){...}:
# whatever extension made the element).
_ATTR_LIST = re.compile(
    rf"(?:(?<=\S)|(?<=^))\{{:?[ \t]*{_ATTR}(?:[ \t]+{_ATTR})*[ \t]*\}}"
    rf"|\{{:?[ \t]*{_ATTR}(?:[ \t]+{_ATTR})*[ \t]*\}}(?=[ \t]*$)",
    re.MULTILINE,
)


# Code, which Markdown shows as written: a fenced block (its info string may still carry an
# attribute list), and a code span on a line that does not open an HTML block.
_FENCE = re.compile(
    r"^([ \t]{0,3})(`{3,}|~{3,})([^\n]*)\n.*?^[ \t]{0,3}\2[`~]*[ \t]*$", re.M | re.S
)
_CODE_SPAN = re.compile(r"^(?![ \t]{0,3}<)(.*)$", re.M)
_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)")
# An autolink (<https://...>, <name@host>) is a link whose words are its target: no markup.
_AUTOLINK = re.compile(r"^<(?:[a-z][a-z0-9+.-]{1,31}:[^<>\s]*|[^<>\s@]+@[^<>\s@]+)>$", re.I)


def _without_code(text: str) -> str:
    text = text.replace("\\`", "\\\x00")  # an escaped backtick opens no code span
    text = _FENCE.sub(lambda m: f"{m.group(1)}{m.group(2)}{m.group(3)}\n", text)
    return _CODE_SPAN.sub(lambda m: _SPAN.sub("", m.group(1)), text)


def markup(text: str) -> Counter[str]:
    """The raw markup ``text`` holds: tags, comments and attr_list attribute lists
    (``{: hidden }``), each with its whitespace folded, counted. Code (fenced blocks, code
    spans) and autolinks show what they say, so they do not count; a fence's info string
    (```` ```{.mermaid} ````) does."""
    prose = _without_code(text)
    tags = [m for m in _HTML.findall(prose) if not _AUTOLINK.match(m)]
    return Counter(" ".join(m.split()) for m in tags + _ATTR_LIST.findall(prose))
