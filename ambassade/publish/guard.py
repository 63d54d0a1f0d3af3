"""Publish only what was reviewed: the branch that publishes, committed, and already on its remote.

A release must be a commit that others can see and find again: the one branch
comms merges into (``PUBLISH["branch"]``), with nothing changed since the last
commit, and already pushed to ``PUBLISH["remote"]``. Anything else is refused
with what to do; ``--force`` publishes anyway and the release records which
refusals it overrode. Nothing here uses the network: the remote branch is the
one git last fetched or pushed.
"""

from __future__ import annotations

from pathlib import Path

from ambassade import git
from ambassade.diagnostics import Finding, Severity, display_path
from ambassade.i18n import _, ngettext
from ambassade.settings import SETTINGS_FILE, locate

from .settings import Publishing

#: Uncommitted files named one by one; the rest are counted.
SHOWN_DIRTY = 10
FORCE = "--force"


def refusals(source: git.Source, conf: Publishing) -> list[Finding]:
    """Every reason not to publish ``source``; empty when it is the pushed head of the publishing branch."""
    settings_file = conf.pelican.get(SETTINGS_FILE)

    def at_setting(key: str, rule: str, message: str, expected: str) -> Finding:
        path, line, col = locate(settings_file, ("PUBLISH", key))
        return Finding(path, line, col, rule, message, expected)

    if source.toplevel is None:
        return [
            at_setting(
                "branch",
                "publish-git",
                _("the site is not in a git repository: a release could not name its commit"),
                _("publish from a clone of the site's repository; %(force)s publishes anyway", force=FORCE),
            )
        ]
    wanted = conf.publish.branch
    remote = f"{conf.publish.remote}/{wanted}"
    out = []
    if source.branch != wanted:
        checked_out = (
            _("the branch checked out is '%(branch)s'", branch=source.branch)
            if source.branch
            else _("no branch is checked out (detached HEAD)")
        )
        out.append(
            at_setting(
                "branch",
                "publish-branch",
                _("%(what)s, not '%(wanted)s', the branch that publishes", what=checked_out, wanted=wanted),
                _(
                    "merge it through a reviewed pull request, then publish from %(wanted)s "
                    "(git switch %(wanted)s && git pull); %(force)s publishes anyway",
                    wanted=wanted,
                    force=FORCE,
                ),
            )
        )
    for rel in source.dirty[:SHOWN_DIRTY]:
        out.append(
            Finding(
                display_path(source.toplevel / rel),
                1,
                1,
                "publish-dirty",
                _("changed and not committed: the release would not match any commit"),
                _("commit it (or git stash it), then publish; %(force)s publishes anyway", force=FORCE),
            )
        )
    if len(source.dirty) > SHOWN_DIRTY:
        more = len(source.dirty) - SHOWN_DIRTY
        out.append(
            Finding(
                display_path(source.toplevel),
                1,
                1,
                "publish-dirty",
                ngettext(
                    "%(num)s more file changed and not committed",
                    "%(num)s more files changed and not committed",
                    more,
                ),
                _("git status lists them"),
            )
        )
    if not source.has(remote):
        out.append(
            at_setting(
                "remote",
                "publish-unpushed",
                _("there is no remote branch %(remote)s to check the commit against", remote=remote),
                _(
                    'git fetch %(name)s, or set PUBLISH["remote"] to the remote the site is pushed to',
                    name=conf.publish.remote,
                ),
            )
        )
    elif not source.on(remote):
        out.append(
            at_setting(
                "remote",
                "publish-unpushed",
                _("commit %(commit)s is not on %(remote)s", commit=source.commit[:7], remote=remote),
                _(
                    "push it (git push %(name)s %(branch)s) and publish once it is there; "
                    "%(force)s publishes anyway",
                    name=conf.publish.remote,
                    branch=wanted,
                    force=FORCE,
                ),
            )
        )
    return out


def forced(findings: list[Finding]) -> list[Finding]:
    """The refusals a ``--force`` publish goes through: warnings, recorded in the release."""
    return [Finding(f.path, f.line, f.col, f.rule, f.message, f.expected, Severity.WARNING) for f in findings]


def repository_of(conf: Publishing) -> Path:
    """Where the site's sources are: the content folder, whose repository is the one published."""
    return Path(conf.pelican["PATH"])
