"""A branch of a git repository (GitHub Pages): one commit per publish, made with git plumbing.

No checkout, no worktree: the site folder is read into a throw-away index
of a scratch repository, written as one tree, committed on top of the
branch's last commit and pushed. The push is a fast-forward of one ref, so it
either happens whole or not at all, and it is refused if someone else
published in between (publish again then). ``.nojekyll`` is added so that
GitHub Pages serves every file as it is, and ``CNAME`` when a domain is set.

Each commit's message carries the release's record as trailers (``Release:``,
``Source-Commit:``, ``Published-By:``, ``Forced:``), so the branch's history is
the list of releases. A rollback commits an earlier release's tree again, with
``Rolled-Back:`` naming the release it leaves. GitHub Pages reads no host file:
the web server's files (headers, redirects) are not pushed, the redirect pages
are.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ambassade.i18n import _

from .. import layout
from ..manifest import Changes
from ..problems import PublishError
from ..releases import Release
from . import Checkpoint
from .commands import run

#: How many commits of the branch are read to list releases and find the one to roll back to.
HISTORY = 200


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

    def __init__(self, options: Any):
        self.repo: str = options.repo
        self.branch: str = options.branch
        self.cname: str = options.cname
        self.author_name: str = options.author_name
        self.author_email: str = options.author_email
        self.message: str = options.message

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

    def live_file(self, rel: str) -> bytes | None:
        return None

    def deploy(
        self, site: Path, release: Release, host: Path | None, changes: Changes, checkpoint: Checkpoint
    ) -> Release:
        with self._scratch() as s:
            live = s.fetch_live(depth=1)
            tree = s.tree_of(site)
            message = self.message.format(release=release.name) + "\n\n" + trailers(release)
            self._commit_and_push(s, tree, live, message, checkpoint)
        return release

    def releases(self) -> list[Release]:
        with self._scratch() as s:
            return self._history(s, s.fetch_live(depth=HISTORY))[0]

    def _history(self, s: _Scratch, live: str | None) -> tuple[list[Release], dict[str, str]]:
        """The releases of the branch, oldest first, the live one marked; and each one's commit."""
        if live is None:
            return [], {}
        log = s.git("log", "--first-parent", "--format=%H%x1f%B%x1e", live)
        published: dict[str, tuple[Release, str]] = {}
        withdrawn: dict[str, bool] = {}
        live_name = None
        for record in log.split("\x1e"):
            sha, _sep, body = record.strip().partition("\x1f")
            if not sha:
                continue
            fields = parse_trailers(body)
            name = fields.get("Release")
            if not name:
                continue
            live_name = live_name or name
            # Newest first: a release's state is the latest word about it.
            withdrawn.setdefault(name, False)
            for left in fields.get_all("Rolled-Back"):
                withdrawn.setdefault(left, True)
            if "Rolled-Back" not in fields and name not in published:
                published[name] = (_release(name, fields), sha)
        kept = [
            published[n][0].with_state(withdrawn=withdrawn.get(n, False), live=n == live_name)
            for n in sorted(published)
        ]
        return kept, {n: sha for n, (_r, sha) in published.items()}

    def rollback(self, to: str | None = None) -> tuple[Release, Release]:
        with self._scratch() as s:
            head = s.fetch_live(depth=HISTORY)
            kept, commits = self._history(s, head)
            left, now = layout.switch_to(kept, self.describe(), to)
            verb = "Roll back" if now.name < left.name else "Roll forward"
            record = trailers(now) + (f"\nRolled-Back: {left.name}" if left.withdrawn else "")
            message = f"{verb} to release {now.name}\n\n{record}"
            tree = s.git("rev-parse", f"{commits[now.name]}^{{tree}}")
            self._commit_and_push(s, tree, head, message, lambda step: None)
        return left, now

    def _commit_and_push(
        self, s: _Scratch, tree: str, parent: str | None, message: str, checkpoint: Checkpoint
    ) -> None:
        commit = s.git("commit-tree", tree, *(["-p", parent] if parent else []), "-F", "-", input=message)
        checkpoint("before-push")
        try:
            # Not forced: if the branch moved since it was fetched, the push is refused and nothing changes.
            s.git("push", "--quiet", self.repo, f"{commit}:refs/heads/{self.branch}")
        except PublishError as exc:
            refused = _(
                "%(where)s: the push was refused, the branch is as it was — %(error)s",
                where=self.describe(),
                error=exc,
            )
            raise PublishError(refused) from None
        checkpoint("swapped")


@dataclass
class _Trailers:
    pairs: list[tuple[str, str]]

    def get(self, key: str, default: str | None = None) -> str | None:
        values = self.get_all(key)
        return values[0] if values else default

    def get_all(self, key: str) -> list[str]:
        return [v for k, v in self.pairs if k == key]

    def __contains__(self, key: str) -> bool:
        return bool(self.get_all(key))


def trailers(release: Release) -> str:
    """A release's record as git trailers, in English: they are read back by this module, not by people."""
    lines = [f"Release: {release.name}", f"Published-At: {release.date}"]
    if release.commit:
        lines.append(f"Source-Commit: {release.commit}")
    if release.branch:
        lines.append(f"Source-Branch: {release.branch}")
    if release.published_by:
        lines.append(f"Published-By: {release.published_by}")
    lines += [f"Forced: {reason}" for reason in release.forced]
    return "\n".join(line.replace("\n", " ") for line in lines)


def parse_trailers(message: str) -> _Trailers:
    """The ``Key: value`` lines of a commit message's last paragraph."""
    last = message.strip().split("\n\n")[-1]
    pairs = []
    for line in last.splitlines():
        key, sep, value = line.partition(": ")
        if sep and key and " " not in key:
            pairs.append((key, value.strip()))
    return _Trailers(pairs)


def _release(name: str, fields: _Trailers) -> Release:
    return Release(
        name=name,
        date=fields.get("Published-At") or "",
        commit=fields.get("Source-Commit") or "",
        branch=fields.get("Source-Branch") or "",
        published_by=fields.get("Published-By") or "",
        forced=tuple(fields.get_all("Forced")),
    )
