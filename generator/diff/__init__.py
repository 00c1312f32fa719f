"""What a change means for governance: the handbook's inputs at two revisions, compared.

read (revisions.py: two snapshots of every input, from git or the working tree: the registry
and content YAML, the schemas, mkdocs.yml, pages and assets) -> pair (compare.py: by path, then
git's rename detection, then same name in a different file) -> walk (leaves.py: every changed
value of an entry, lists of records matched by id, rule, name or date) -> compare (tools.py:
status transitions, evidence, data classifications, uses, owners, exceptions; vendors.py:
certifications; policy.py: effective policy values, procedure steps; site.py: schemas,
mkdocs.yml, pages, assets), each in its own words, and every value left over as
``key: old → new`` -> classify (looser.py: one table says which way each governance-relevant
field loosens; a loosening needs attention) -> a :class:`GovDiff` of :class:`Change` values
(changes.py); render.py turns it into text, versioned JSON or the Markdown comment the
pull-request workflow posts.
"""

from __future__ import annotations

from pathlib import Path

from generator.diff.changes import Change, GovDiff
from generator.diff.compare import compare, pair
from generator.diff.revisions import Snapshot, at_revision, working_tree
from generator.history import open_repo

__all__ = ["Change", "GovDiff", "Snapshot", "compare", "diff", "pair"]


def diff(root: Path, base: str, head: str | None = None) -> GovDiff:
    """Compare the handbook at ``base`` with ``head`` (None: the working tree)."""
    repo = open_repo(root)
    old = at_revision(repo, base)
    new = working_tree(root) if head is None else at_revision(repo, head)
    renames = repo.renames(old.rev or base, new.rev, ["registry/tools", "registry/vendors"])
    return compare(old, new, renames)
