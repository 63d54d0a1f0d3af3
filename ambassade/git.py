"""What git says about the site's sources: the one place ambassade runs git.

``check`` and the review report compare a branch with its base (the files it
changes, their text before, the commits and their authors); ``publish`` asks
which commit it is about to publish, from which branch, and whether that
commit is committed and pushed. Every answer is read from the working tree's
repository with plain ``git`` commands; none of them uses the network.

The base is where the branch left ``base`` (``git merge-base``), so changes
that landed on ``base`` since are not the branch's. The working tree is
compared, not only commits: a contributor previews before committing, and new
files count before ``git add``.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

STATUSES = {"A": "added", "M": "modified", "D": "deleted", "T": "modified"}
PROBLEMS = ("no-git", "not-a-repository", "unknown-base", "unrelated")
"""Why changes could not be listed, by code (the review report words them in each language)."""


def run(where: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``git -C where args``; never raises for git's own failures (the caller reads ``returncode``).

    Raises FileNotFoundError when git is not installed.
    """
    return subprocess.run(
        ["git", "-C", str(where), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        check=False,
        # A person's pager or prompts must never wait for an answer.
        env={**os.environ, "GIT_PAGER": "cat", "GIT_TERMINAL_PROMPT": "0"},
    )


def output(where: Path, *args: str) -> str | None:
    """The standard output of a git command that succeeded, stripped; None when it failed."""
    try:
        done = run(where, *args)
    except FileNotFoundError:
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def toplevel(where: Path) -> Path | None:
    """The root of the repository ``where`` is in; None outside one (or without git)."""
    top = output(where, "rev-parse", "--show-toplevel")
    return Path(top).resolve() if top else None


def resolve_ref(where: Path, name: str) -> str | None:
    """The ref that names ``name`` here: ``name``, else ``origin/<name>`` (a CI checkout has only that)."""
    for ref in (name, f"origin/{name}"):
        if output(where, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}") is not None:
            return ref
    return None


# -- what a branch changes -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    status: str
    """added, modified or deleted."""
    path: Path
    """Absolute path in the working tree (where a deleted file was)."""


@dataclass(frozen=True)
class Commit:
    sha: str
    author: str
    email: str
    subject: str


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

    def text_at_base(self, path: Path) -> str | None:
        """The file at ``path`` as it was at the merge base, or None (it did not exist)."""
        if self.merge_base is None or self.toplevel is None:
            return None
        try:
            rel = path.resolve().relative_to(self.toplevel).as_posix()
        except ValueError:
            return None
        try:
            shown = run(self.toplevel, "show", f"{self.merge_base}:{rel}")
        except FileNotFoundError:
            return None
        return shown.stdout if shown.returncode == 0 else None

    def files_at_base(self, folder: Path) -> list[Path]:
        """The files of ``folder`` at the merge base (as paths in the working tree), deleted ones included."""
        if self.merge_base is None or self.toplevel is None:
            return []
        try:
            rel = folder.resolve().relative_to(self.toplevel).as_posix()
        except ValueError:
            return []
        listed = output(
            self.toplevel, "ls-tree", "-r", "--name-only", "-z", self.merge_base, "--", rel or "."
        )
        return [self.toplevel / name for name in (listed or "").split("\0") if name]

    def commits(self) -> list[Commit]:
        """The branch's own commits since its base, oldest first."""
        if self.merge_base is None or self.toplevel is None:
            return []
        log = output(
            self.toplevel,
            "log",
            "--reverse",
            "--no-merges",
            "--format=%H%x1f%an%x1f%ae%x1f%s%x1e",
            f"{self.merge_base}..HEAD",
        )
        commits = []
        for record in (log or "").split("\x1e"):
            parts = record.strip().split("\x1f")
            if len(parts) == 4:
                commits.append(Commit(*parts))
        return commits


def git_state(where: Path) -> list[tuple[Path, str]]:
    """What git reads to list the changes, as (path, "file" or "tree"): the worktree's HEAD and
    index, the repository's refs. Empty outside a repository."""
    try:
        found = run(where, "rev-parse", "--git-dir", "--git-common-dir")
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
        top = run(where, "rev-parse", "--show-toplevel")
    except FileNotFoundError:
        changes.problem = "no-git"
        return changes
    if top.returncode != 0:
        changes.problem = "not-a-repository"
        return changes
    changes.toplevel = Path(top.stdout.strip()).resolve()
    changes.ref = resolve_ref(where, base)
    if changes.ref is None:
        changes.problem = "unknown-base"
        return changes
    merge_base = output(where, "merge-base", changes.ref, "HEAD")
    if merge_base is None:
        changes.problem = "unrelated"
        return changes
    changes.merge_base = merge_base
    diff = run(where, "diff", "--name-status", "--no-renames", "-z", changes.merge_base, "--")
    untracked = run(where, "ls-files", "--others", "--exclude-standard", "-z", "--full-name", ":/")
    fields = diff.stdout.split("\0")
    for status, rel in zip(fields[0::2], fields[1::2], strict=False):  # a trailing NUL leaves one more
        if status[:1] in STATUSES:
            changes.files.append(Change(STATUSES[status[:1]], changes.toplevel / rel))
    changes.files += [Change("added", changes.toplevel / rel) for rel in untracked.stdout.split("\0") if rel]
    changes.files.sort(key=lambda c: c.path)
    return changes


# -- what publish is about to deploy -------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """The commit a publish builds, and what makes it safe to publish."""

    toplevel: Path | None
    """None when the site is not in a git repository."""
    commit: str = ""
    branch: str = ""
    """The branch checked out; empty on a detached HEAD."""
    dirty: tuple[str, ...] = ()
    """Files changed or added and not committed, as ``git status`` names them."""

    def on(self, ref: str) -> bool:
        """Is the commit already on ``ref`` (a remote branch such as ``origin/main``)?"""
        if self.toplevel is None or not self.commit:
            return False
        try:
            return run(self.toplevel, "merge-base", "--is-ancestor", self.commit, ref).returncode == 0
        except FileNotFoundError:
            return False

    def has(self, ref: str) -> bool:
        return (
            self.toplevel is not None
            and output(self.toplevel, "rev-parse", "--verify", "--quiet", ref) is not None
        )


def source(where: Path) -> Source:
    """The commit checked out in ``where``'s repository, its branch and its uncommitted files."""
    top = toplevel(where)
    if top is None:
        return Source(None)
    commit = output(top, "rev-parse", "--verify", "--quiet", "HEAD^{commit}") or ""
    branch = output(top, "symbolic-ref", "--quiet", "--short", "HEAD") or ""
    # Not output(): its strip() would eat the first entry's leading space (" M file").
    status = run(top, "status", "--porcelain", "-z", "--untracked-files=all").stdout
    dirty = tuple(entry[3:] for entry in status.split("\0") if len(entry) > 3 and entry[2] == " ")
    return Source(top, commit, branch, dirty)


def user_name(where: Path) -> str:
    """Who is running the command: CI's actor, else git's user name, else the login."""
    import getpass

    name = os.environ.get("GITHUB_ACTOR") or output(where, "config", "user.name")
    if name:
        return name
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""
