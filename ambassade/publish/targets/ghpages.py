"""A branch of a git repository (GitHub Pages): one commit per publish, made with git plumbing.

No checkout, no worktree: the site folder is read into a throw-away index
of a scratch repository, written as one tree, committed on top of the
branch's last commit and pushed. The push is a fast-forward of one ref, so it
either happens whole or not at all, and it is refused if someone else
published in between (publish again then). ``.nojekyll`` is added so that
GitHub Pages serves every file as it is, and ``CNAME`` when a domain is set.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..manifest import Changes
from ..problems import PublishError
from . import Checkpoint
from .commands import run


class _Scratch:
    """A temporary bare repository holding the last published commit and the new tree."""

    def __init__(self, target: GhPagesTarget, gitdir: Path):
        self.target = target
        self.gitdir = gitdir
        self.index = gitdir / "publish-index"

    def git(self, *args: str, input: str | None = None) -> str:
        t = self.target
        env = {**os.environ, "GIT_INDEX_FILE": str(self.index)}
        argv = [
            "git",
            "--git-dir",
            str(self.gitdir),
            # A user's global settings must not alter the published bytes nor ask for a passphrase.
            "-c",
            "core.autocrlf=false",
            "-c",
            "core.safecrlf=false",
            "-c",
            "commit.gpgSign=false",
            "-c",
            f"user.name={t.author_name}",
            "-c",
            f"user.email={t.author_email}",
            *args,
        ]
        return run(argv, input=input, env=env, what=f"git {args[0]}").strip()

    def fetch_live(self, depth: int) -> str | None:
        """The branch's last commit (fetched with ``depth`` commits of history), or None if it has none."""
        t = self.target
        listed = self.git("ls-remote", t.repo, f"refs/heads/{t.branch}")
        if not listed:
            return None
        self.git(
            "fetch",
            "--quiet",
            "--no-tags",
            f"--depth={depth}",
            t.repo,
            f"+refs/heads/{t.branch}:refs/published",
        )
        return self.git("rev-parse", "refs/published")

    def tree_of(self, site: Path) -> str:
        """The tree of ``site`` plus the files GitHub Pages reads."""
        self.git("--work-tree", str(site), "add", "--all", "--force", ".")
        extras = {".nojekyll": ""}
        if self.target.cname:
            extras["CNAME"] = self.target.cname + "\n"
        for name, text in extras.items():
            blob = self.git("hash-object", "-w", "--stdin", input=text)
            self.git("update-index", "--add", "--cacheinfo", f"100644,{blob},{name}")
        return self.git("write-tree")

    def changes(self, live: str | None, tree: str) -> Changes:
        every = self.git("ls-tree", "-r", "--name-only", tree).splitlines()
        if live is None:
            return Changes(tuple(every), (), (), len(every))
        rows = self.git("diff-tree", "-r", "--no-renames", "--name-status", f"{live}^{{tree}}", tree)
        by_status: dict[str, list[str]] = {"A": [], "M": [], "D": []}
        for row in rows.splitlines():
            status, _, name = row.partition("\t")
            by_status.get(status[:1], by_status["M"]).append(name)
        return Changes(*(tuple(by_status[s]) for s in "AMD"), total=len(every))


class GhPagesTarget:
    name = "gh-pages"
    atomic = True

    def __init__(self, options: Mapping[str, Any]):
        self.repo: str = options["repo"]
        self.branch: str = options["branch"]
        self.cname: str = options["cname"]
        self.author_name: str = options["author_name"]
        self.author_email: str = options["author_email"]
        self.message: str = options["message"]

    def describe(self) -> str:
        return f"{self.repo} (branch {self.branch})"

    @contextmanager
    def _scratch(self) -> Iterator[_Scratch]:
        with tempfile.TemporaryDirectory(prefix="ambassade-gh-pages-") as tmp:
            scratch = _Scratch(self, Path(tmp) / "repo.git")
            run(["git", "init", "--quiet", "--bare", str(scratch.gitdir)], what="git init")
            yield scratch

    def changes(self, site: Path) -> Changes:
        with self._scratch() as s:
            live = s.fetch_live(depth=1)
            return s.changes(live, s.tree_of(site))

    def deploy(self, site: Path, release: str, changes: Changes, checkpoint: Checkpoint) -> str:
        with self._scratch() as s:
            live = s.fetch_live(depth=1)
            tree = s.tree_of(site)
            self._commit_and_push(s, tree, live, self.message.format(release=release), checkpoint)
        return release

    def rollback(self) -> tuple[str, str]:
        with self._scratch() as s:
            live = s.fetch_live(depth=2)
            if live is None:
                raise PublishError(f"{self.describe()}: nothing is published here — nothing to roll back")
            try:
                before = s.git("rev-parse", "--verify", f"{live}^")
            except PublishError:
                first = f"{self.describe()}: {live[:12]} is the first publish — there is no earlier one"
                raise PublishError(first) from None
            self._commit_and_push(
                s,
                s.git("rev-parse", f"{before}^{{tree}}"),
                live,
                f"Roll back to {before[:12]}",
                lambda step: None,
            )
        return live[:12], before[:12]

    def _commit_and_push(
        self, s: _Scratch, tree: str, parent: str | None, message: str, checkpoint: Checkpoint
    ) -> None:
        commit = s.git("commit-tree", tree, *(["-p", parent] if parent else []), "-m", message)
        checkpoint("before-push")
        try:
            # Not forced: if the branch moved since it was fetched, the push is refused and nothing changes.
            s.git("push", "--quiet", self.repo, f"{commit}:refs/heads/{self.branch}")
        except PublishError as exc:
            refused = f"{self.describe()}: the push was refused, the branch is as it was — {exc}"
            raise PublishError(refused) from None
        checkpoint("swapped")
