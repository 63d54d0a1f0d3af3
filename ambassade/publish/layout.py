"""The release layout of the folder and rsync targets, decided in one place.

    <path>/releases/20261128-101500/   one folder per publish, never changed once written
    <path>/releases/.incoming-<id>/    a release being written: never reachable
    <path>/releases/.rolled-back-<id>/ a release taken down by a rollback (deleted by the next publish)
    <path>/current -> releases/<id>    what the web server serves

A release is written under a hidden name and renamed when whole; then
``current`` is switched with one rename of a new link onto the old one, which
the web server sees either before or after, never half-way. The link is
relative so the folder can be mounted or moved anywhere.

A rollback hides the release it leaves, so that a second rollback goes
further back and the next publish's "previous" is the release that was live.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from .problems import PublishError

RELEASES = "releases"
CURRENT = "current"
INCOMING = ".incoming-"
ROLLED_BACK = ".rolled-back-"
NEXT_LINK = "current.tmp"


def release_id(now: datetime) -> str:
    """``20261128-101500``: the time of the publish, in UTC.

    Names sort in publishing order, which is what :func:`previous` and
    :func:`to_prune` rely on.
    """
    return now.astimezone(UTC).strftime("%Y%m%d-%H%M%S")


def unique(base: str, existing: Iterable[str]) -> str:
    """``base``, or ``base-2``, ``base-3``… when a release of that second exists (still in order)."""
    taken = set(existing)
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base}-{n}"
    return name


def releases(names: Iterable[str]) -> list[str]:
    """The whole releases among a folder's entries, oldest first."""
    return sorted(n for n in names if n and not n.startswith("."))


def leftovers(names: Iterable[str]) -> list[str]:
    """Half-written and rolled-back releases: never live again, deleted before the next publish."""
    return sorted(n for n in names if n.startswith((INCOMING, ROLLED_BACK)))


def link_value(release: str) -> str:
    return f"{RELEASES}/{release}"


def release_of(link: str | None) -> str | None:
    """The release a ``current`` link names, or None."""
    return link.rstrip("/").rsplit("/", 1)[-1] if link else None


def previous(names: Iterable[str], live: str | None) -> str | None:
    """The release published just before the live one."""
    older = [n for n in releases(names) if live is None or n < live]
    return older[-1] if older else None


def to_prune(names: Iterable[str], live: str | None, keep: int) -> list[str]:
    """The releases to delete: all but the ``keep`` newest, and never the live one."""
    ordered = releases(names)
    return [n for n in ordered[: max(len(ordered) - keep, 0)] if n != live]


def rollback_to(names: Iterable[str], live: str | None, where: str) -> tuple[str, str]:
    """(the live release, the one a rollback makes live), or why there is none."""
    if live is None:
        raise PublishError(f"{where}: nothing is published here — nothing to roll back")
    before = previous(names, live)
    if before is None:
        raise PublishError(f"{where}: release {live} is the oldest one kept — there is no earlier release")
    return live, before
