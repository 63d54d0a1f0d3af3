"""The release layout of the folder and rsync targets, decided in one place.

    <path>/releases/20261128-101500-1a2b3c4/        one folder per publish, never changed once written
    <path>/releases/20261128-101500-1a2b3c4.meta/   its record (release.json) and the web server's files
                                                    (nginx snippets, _headers, _redirects): never served
    <path>/releases/.incoming-<name>/               a release being written: never reachable
    <path>/current -> releases/<name>               what the web server serves
    <path>/host -> releases/<name>.meta             what the web server's configuration includes

A release is written under a hidden name and renamed when whole; then
``current`` (and ``host``) are switched with one rename of a new link onto the
old one, which the web server sees either before or after, never half-way.
The links are relative so the folder can be mounted or moved anywhere.

A rollback switches the links back and marks the release it leaves as rolled
back (in its record): a second rollback goes further back, the next publish's
"previous" is the release that was live, and ``rollback --to`` can still make
it live again (roll forward) while it is kept.
"""

from __future__ import annotations

from collections.abc import Iterable

from ambassade.i18n import _

from .problems import PublishError
from .releases import Release, previous

RELEASES = "releases"
CURRENT = "current"
HOST = "host"
INCOMING = ".incoming-"
ROLLED_BACK = ".rolled-back-"
META = ".meta"
RECORD = "release.json"


def unique(base: str, existing: Iterable[str]) -> str:
    """``base``, or ``base-2``, ``base-3``… when a release of that name exists (still in order)."""
    taken = set(existing)
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base}-{n}"
    return name


def releases(names: Iterable[str]) -> list[str]:
    """The whole releases among a folder's entries, oldest first."""
    return sorted(n for n in names if n and not n.startswith(".") and not n.endswith(META))


def leftovers(names: Iterable[str]) -> list[str]:
    """Half-written releases (and those an older version hid on rollback): deleted before the next publish."""
    return sorted(n for n in names if n.startswith((INCOMING, ROLLED_BACK)))


def orphans(names: Iterable[str]) -> list[str]:
    """Records whose release is gone (pruned by hand): deleted with the leftovers."""
    entries = set(names)
    return sorted(
        n for n in entries if n.endswith(META) and not n.startswith(".") and n[: -len(META)] not in entries
    )


def link_value(release: str) -> str:
    return f"{RELEASES}/{release}"


def next_link(link: str) -> str:
    """The new link made beside ``link`` before it is renamed onto it."""
    return f".{link}.next"


def meta(release: str) -> str:
    """The folder of a release's record and host files, beside it."""
    return f"{release}{META}"


def release_of(link: str | None) -> str | None:
    """The release a ``current`` link names, or None."""
    return link.rstrip("/").rsplit("/", 1)[-1] if link else None


def to_prune(names: Iterable[str], live: str | None, keep: int) -> list[str]:
    """The releases to delete: all but the ``keep`` newest, and never the live one."""
    ordered = releases(names)
    return [n for n in ordered[: max(len(ordered) - keep, 0)] if n != live]


def choose(kept: list[Release], live: str | None, where: str, to: str | None) -> Release:
    """The release a rollback makes live: ``to``, else the one before the live one; or why there is none."""
    if live is None:
        raise PublishError(_("%(where)s: nothing is published here — nothing to roll back", where=where))
    if to is not None:
        by_name = {r.name: r for r in kept}
        chosen = by_name.get(to) or _by_prefix(kept, to)
        if chosen is None:
            names = ", ".join(r.name for r in kept) or _("none")
            raise PublishError(
                _(
                    "%(where)s: no release is called %(name)s — one of the releases kept: %(names)s",
                    where=where,
                    name=to,
                    names=names,
                )
            )
        if chosen.name == live:
            raise PublishError(_("%(where)s: release %(name)s is already live", where=where, name=live))
        return chosen
    before = previous(kept, live)
    if before is None:
        raise PublishError(
            _(
                "%(where)s: release %(name)s is the oldest one kept — there is no earlier release",
                where=where,
                name=live,
            )
        )
    return before


def switch_to(kept: list[Release], where: str, to: str | None) -> tuple[Release, Release]:
    """(the release left, the one made live) for a rollback to ``to`` (default: the one before), as
    their records say it after: going back marks the release left as rolled back, so that a plain
    rollback skips it; going forward (``--to`` a newer one) leaves its record as it was."""
    live = next((r for r in kept if r.live), None)
    chosen = choose(kept, live.name if live else None, where, to)
    assert live is not None  # choose() refuses when nothing is live
    back = chosen.name < live.name
    return live.with_state(withdrawn=live.withdrawn or back, live=False), chosen.with_state(
        withdrawn=False, live=True
    )


def _by_prefix(kept: list[Release], prefix: str) -> Release | None:
    """A release named by the start of its name (``20261128-1015``) or its commit, when only one matches."""
    found = [
        r for r in kept if r.name.startswith(prefix) or (len(prefix) >= 7 and r.commit.startswith(prefix))
    ]
    return found[0] if len(found) == 1 else None
