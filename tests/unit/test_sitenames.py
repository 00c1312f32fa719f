"""generator/sitenames.py lists every name the site takes: what is generated matches it."""

from __future__ import annotations

import pytest
from conftest import TODAY, MakeTree

from generator import pipeline, sitenames
from generator.build import asset_files, generate
from generator.frameworks.data import AI_ACT_CLASSES
from generator.render import Inputs, Site


def test_every_generated_file_has_a_declared_name(handbook_tree: MakeTree) -> None:
    """render.py, exports.py and build.py name nothing sitenames.py does not know, so
    validation can keep every id and page name off them."""
    root = handbook_tree(files={"content/pages/getting-started.md": "# Getting started\n"})
    checked = pipeline.check(root, None, TODAY)
    files = generate(Site(checked.handbook, Inputs(today=TODAY)))
    assets, problems = asset_files(checked.tree)
    assert problems == []
    hand_written = {p.name for p in checked.handbook.pages}
    tools, vendors = set(checked.handbook.tools), set(checked.handbook.vendors)
    top = sitenames.top_level()
    for path in [*files, *assets]:
        head, _, rest = path.partition("/")
        name = head.split(".", 1)[0]  # dashboard.md, registry.json: the part top_level() keys
        if not rest:  # a top-level page or export
            assert name in top or name in hand_written or name in sitenames.FIXED_PAGES, path
        elif head in {sitenames.TOOLS, sitenames.VENDORS}:
            ids = tools if head == sitenames.TOOLS else vendors
            assert rest == f"{sitenames.INDEX}.md" or rest.removesuffix(".md") in ids, path
        elif head == sitenames.FRAMEWORKS:
            ids = set(checked.handbook.frameworks)
            assert rest == f"{sitenames.INDEX}.md" or rest.removesuffix(".md") in ids, path
        elif head == sitenames.AI_ACT:
            assert rest.removesuffix(".md") in {sitenames.INDEX, *AI_ACT_CLASSES}, path
        elif head == sitenames.PROCEDURE:
            assert rest.removesuffix(".md") in {
                sitenames.INDEX,
                sitenames.GUIDANCE,
                *(sitenames.PHASE_PAGE.format(number=i + 1) for i in range(9)),
            }, path
        else:
            assert head == sitenames.ASSETS, path
            assert rest in sitenames.OWN_ASSETS, path
    assert set(sitenames.EXPORTS) <= set(files)
    assert {f"{name}.md" for name in sitenames.PAGES} <= set(files)


@pytest.mark.parametrize(
    ("kind", "name", "taken"),
    [
        ("page", "index", False),  # the hand-written home page replaces the generated one
        ("page", "propose", False),
        ("page", "report-inaccuracy", False),
        ("page", "getting-started", False),
        ("page", "dashboard", True),
        ("page", "tools", True),
        ("page", "registry", True),  # beside registry.json and registry.csv
        ("page", "sitemap", True),
        ("page", "404", True),
        ("page", "search", True),
        ("page", "assets", True),
        ("tool", "index", True),
        ("vendor", "index", True),
        ("tool", "dashboard", False),  # tools/dashboard/ takes nothing
        ("asset", "handbook.css", True),
        ("asset", "which-tools.js", True),
        ("asset", "logo.svg", False),
    ],
)
def test_taken(kind: str, name: str, taken: bool) -> None:
    assert (sitenames.taken(kind, name) is not None) is taken
