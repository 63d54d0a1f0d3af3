"""What a branch changes against its base, as git sees it: the review report's list.

The base is where the branch left ``base`` (``git merge-base``), so changes
that landed on ``base`` since are not the branch's. The working tree is
compared, not only commits: a contributor previews before committing, and
new files count before ``git add``.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path

STATUSES = {"A": "added", "M": "modified", "D": "deleted", "T": "modified"}
PROBLEMS = {
    "no-git": "git is not installed",
    "not-a-repository": "the site is not in a git repository",
    "unknown-base": "no branch or commit has the base's name",
    "unrelated": "the branch and its base have no common history",
}
"""Why changes could not be listed, by code (the report's template words them in each language)."""


@dataclass(frozen=True)
class Change:
    status: str
    """added, modified or deleted."""
    path: Path
    """Absolute path in the working tree (where a deleted file was)."""


@dataclass
class Changes:
    base: str
    """The base as asked for, e.g. ``main``."""
    ref: str | None = None
    """The ref that named it (``main`` or ``origin/main``), None when none did."""
    merge_base: str | None = None
    files: list[Change] = field(default_factory=list)
    problem: str | None = None
    """Why the changes could not be listed, one of :data:`PROBLEMS`; None when they were."""
    toplevel: Path | None = None

    def base_text(self, change: Change) -> str | None:
        """The file as it was at the merge base (a deleted file's last text), or None."""
        if self.merge_base is None or self.toplevel is None:
            return None
        rel = change.path.relative_to(self.toplevel).as_posix()
        result = _git(self.toplevel, "show", f"{self.merge_base}:{rel}")
        return result.stdout if result.returncode == 0 else None


def _git(where: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", "-C", str(where), *args], capture_output=True, text=True, encoding="utf-8", check=False
    )


def git_state(where: Path) -> list[tuple[Path, str]]:
    """What git reads to list the changes, as (path, "file" or "tree"): the worktree's HEAD and
    index, the repository's refs. Empty outside a repository."""
    try:
        found = _git(where, "rev-parse", "--git-dir", "--git-common-dir")
    except FileNotFoundError:
        return []
    lines = found.stdout.splitlines()
    if found.returncode != 0 or len(lines) < 2:
        return []
    git_dir, common = (where / line for line in lines[:2])
    return [
        (git_dir / "HEAD", "file"),
        (git_dir / "index", "file"),
        (common / "packed-refs", "file"),
        (common / "refs", "tree"),
    ]


def changed_files(where: Path, base: str) -> Changes:
    """Files added, modified or deleted in ``where``'s repository since it left ``base``."""
    changes = Changes(base)
    try:
        top = _git(where, "rev-parse", "--show-toplevel")
    except FileNotFoundError:
        changes.problem = "no-git"
        return changes
    if top.returncode != 0:
        changes.problem = "not-a-repository"
        return changes
    changes.toplevel = Path(top.stdout.strip()).resolve()
    # In CI a pull request's checkout has origin/main but no local main.
    for ref in (base, f"origin/{base}"):
        if _git(where, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").returncode == 0:
            changes.ref = ref
            break
    else:
        changes.problem = "unknown-base"
        return changes
    merge_base = _git(where, "merge-base", changes.ref, "HEAD")
    if merge_base.returncode != 0:
        changes.problem = "unrelated"
        return changes
    changes.merge_base = merge_base.stdout.strip()
    diff = _git(where, "diff", "--name-status", "--no-renames", "-z", changes.merge_base, "--")
    untracked = _git(where, "ls-files", "--others", "--exclude-standard", "-z", "--full-name", ":/")
    fields = diff.stdout.split("\0")
    for status, rel in zip(fields[0::2], fields[1::2], strict=False):  # a trailing NUL leaves one more
        if status[:1] in STATUSES:
            changes.files.append(Change(STATUSES[status[:1]], changes.toplevel / rel))
    changes.files += [Change("added", changes.toplevel / rel) for rel in untracked.stdout.split("\0") if rel]
    changes.files.sort(key=lambda c: c.path)
    return changes
