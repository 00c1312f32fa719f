"""The raw markup a Markdown text holds, for the diff: what it sets on the page that a reader of
the source does not see as prose (a tag, a comment, an attr_list attribute list).

Erring towards reporting: code spans count too; telling them apart the way Python-Markdown does
is not the diff's job, and erring this way hides nothing.
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


def markup(text: str) -> Counter[str]:
    """The raw markup ``text`` holds: tags, comments and attr_list attribute lists
    (``{: hidden }``), each with its whitespace folded, counted."""
    found = _HTML.findall(text) + _ATTR_LIST.findall(text)
    return Counter(" ".join(m.split()) for m in found)
