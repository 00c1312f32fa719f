"""generator.charts.embed: figures travel past Markdown as comments and come back sanitized."""

from __future__ import annotations

import re

import markdown
import pytest

from generator.charts import embed


def test_a_figure_survives_markdown_and_comes_back_in_its_place() -> None:
    figure = (
        '<figure class="hb-figure"><svg role="img"><rect x="1"/></svg>\n\n*not* markdown</figure>'
    )
    page = f"# Title\n\nBefore.\n\n{embed.wrap(figure)}\n\nAfter *this*.\n"
    html = markdown.markdown(page)
    taken, figures = embed.take(html)
    assert list(figures) == ["0"] and "<svg" not in taken
    assert re.search(r'<div class="hb-figure-slot" id="hb-figure-slot-[0-9a-f]+-0"></div>', taken)
    out = embed.put(taken, figures)
    assert "<rect" in out and "*not* markdown" in out  # passed over, not read as Markdown
    assert "<em>this</em>" in out  # the page around it still is
    assert out.index("Before.") < out.index("<figure") < out.index("After")


def test_what_comes_back_is_sanitized() -> None:
    figure = (
        '<figure><script>alert(1)</script><a href="javascript:alert(2)">x</a>'
        '<svg onload="alert(3)"></svg></figure>'
    )
    taken, figures = embed.take(embed.wrap(figure))
    out = embed.put(taken, figures)
    assert "script" not in out and "javascript" not in out and "onload" not in out


def test_a_placeholder_without_a_figure_stays_empty() -> None:
    slot = embed.take(embed.wrap("<p>x</p>"))[0].replace("-0", "-7")
    assert embed.put(slot, {"0": "<p>x</p>"}) == slot
    assert embed.put(slot, {}) == slot


@pytest.mark.parametrize(
    "written",
    [
        # what a hand-written page or a procedure text could say: not the handbook's figures
        "<!--hb-figure <p>shown?</p>-->",
        "<!--hb-figure " + "0" * 64 + " <p>shown?</p>-->",
    ],
)
def test_a_comment_written_by_hand_is_never_a_figure(written: str) -> None:
    taken, figures = embed.take(f"<p>before</p>{written}<p>after</p>")
    assert figures == {} and written in taken  # left as a comment, which the sanitizer drops


def test_a_placeholder_written_by_hand_is_never_filled() -> None:
    page, figures = embed.take(embed.wrap("<svg></svg>"))
    forged = '<div class="hb-figure-slot" id="hb-figure-slot-0"></div>'
    out = embed.put(forged + page, figures)
    assert out.count("<svg") == 1 and out.startswith(forged)


@pytest.mark.parametrize("bad", ["a --> b", "a --!> b"])
def test_a_figure_that_would_end_its_comment_is_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="cannot hold"):
        embed.wrap(bad)
