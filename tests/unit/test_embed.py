"""generator.charts.embed: figures travel past Markdown as comments and come back sanitized."""

from __future__ import annotations

import html
import re
from types import SimpleNamespace
from typing import Any

import markdown
import pytest
from mkdocs.exceptions import PluginError

from generator import sitehooks
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


@pytest.mark.parametrize(
    "name",
    ["Quillmark {++Draft++}", "{--gone--} x", "{~~a~>b~~}", "{==mark==}{>>note<<}", "{{ x }}"],
)
def test_a_figure_holding_critic_marks_comes_through_critic_intact(name: str) -> None:
    """pymdownx.critic reads the page's raw text before Markdown: a tool name or a commit
    subject in a figure must not be read as an edit (it would break the figure's signature)."""
    text = html.escape(name, quote=False)  # as every value in a figure
    figure = f"<figure><svg><title>{text}</title></svg><p>{text}</p></figure>"
    page = f"# T\n\n{embed.wrap(figure)}\n"
    assert embed.count(page) == 1 and "{" not in embed.wrap(figure)
    rendered = markdown.markdown(page, extensions=["pymdownx.critic"])
    taken, figures = embed.take(rendered)
    assert embed.count(rendered) == 1 and len(figures) == 1
    out = embed.put(taken, figures)
    assert f"<title>{text}</title>" in out and f"<p>{text}</p>" in out


def test_count_reads_only_intact_figures_of_this_process() -> None:
    one = embed.wrap("<p>one</p>")
    assert embed.count(f"{one}\n{one}") == 2
    assert embed.count(one.replace("one", "two")) == 0  # changed on the way: not counted
    assert embed.count("<!--hb-figure " + "0" * 64 + " <p>x</p>-->") == 0
    assert embed.count("no figure") == 0


def test_the_hook_stops_the_build_when_markdown_lost_a_figure() -> None:
    """Whatever extension changed or dropped a figure's comment, the page is not published
    without its chart."""
    figure = embed.wrap("<figure><svg></svg></figure>")
    source = f"# Dashboard\n\n{figure}\n"

    def page() -> Any:
        return SimpleNamespace(
            file=SimpleNamespace(src_uri="dashboard.md"),
            markdown=source,
            toc=[],
            meta={},
            _title_from_render="Dashboard",
        )

    kept = sitehooks.on_page_content(markdown.markdown(source), page(), None, None)
    assert 'class="hb-figure-slot"' in kept
    with pytest.raises(PluginError, match=r"1 chart\(s\) of the page made from dashboard\.md"):
        sitehooks.on_page_content("<h1>Dashboard</h1>", page(), None, None)


def test_a_charts_box_is_a_region_the_keyboard_reaches() -> None:
    """On a phone the box scrolls sideways; a scrolling region must take focus (axe's
    scrollable-region-focusable). Only the handbook's figures get it, after sanitizing."""
    from generator.charts import svg

    chart = svg.Chart("status", "Tools by status", "d", 100, 20, [], svg.Table(("a",), []))
    taken, figures = embed.take(embed.wrap(svg.figure(chart)))
    out = embed.put(taken, figures)
    assert (
        '<div class="hb-chart-box" tabindex="0" role="region" '
        'aria-labelledby="hb-chart-status-t">' in out
    )
    assert '<title id="hb-chart-status-t">Tools by status</title>' in out
    written = '<div class="hb-chart-box" tabindex="0"><svg></svg></div>'  # a page's own
    assert 'tabindex="0"' not in sitehooks.sanitize.clean(written)


@pytest.mark.parametrize("control", ["\x02", "\x03", "\x1b", "\x00", "\x7f", "\x0c"])
def test_a_control_character_in_a_commit_subject_cannot_stop_the_build(control: str) -> None:
    """Python-Markdown drops STX and ETX from a page, a signed comment included: a commit
    subject holding one, read into the status history, must still come through."""
    from datetime import date

    from generator.charts import pages, svg

    changes = [(date(2026, 1, 5), None, "approved", "abc1234", f"A{control}B")]
    figure = svg.figure(pages.status_history(changes, date(2026, 2, 1), str))  # type: ignore[arg-type]
    assert control not in figure
    page = f"# T\n\n{embed.wrap(figure)}\n"
    assert embed.count(page) == 1
    rendered = markdown.markdown(page)
    assert embed.count(rendered) == 1
    assert control not in embed.wrap(f"<p>x{control}y</p>")
