"""What a change means for governance: the registry and procedure at two revisions, compared.

read (revisions.py: two snapshots, from git or the working tree) -> pair (compare.py: by path,
then git's rename detection, then same name in a different file) -> compare (tools.py: status
transitions, data classifications, prohibited uses, evidence, owners; vendors.py: certifications;
policy.py: policy numbers, procedure steps) -> a :class:`GovDiff` of :class:`Change` values
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
