"""Destinations of a publish: each makes a whole site live at once, or leaves the live one as it was.

A target answers the same questions whatever the destination: what would
change (:meth:`Target.changes`, also the dry run), deploy it
(:meth:`Target.deploy`), which releases it keeps (:meth:`Target.releases`),
and make an earlier one live again (:meth:`Target.rollback`).
``PUBLISH["target"]`` picks one.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from ..manifest import Changes
from ..releases import Release
from ..settings import Publishing

Checkpoint = Callable[[str], None]
"""Called with the name of each step a publish reaches: where tests interrupt it.

``built`` and ``verified`` come first; then each target's own (``copying``
after each file, ``copied``, ``before-swap``; ``uploading``, ``before-delete``;
``before-push``), and ``swapped`` once the new release is live.
"""


def no_checkpoint(step: str) -> None:
    """The default: steps pass silently."""


class Target(Protocol):
    name: str
    atomic: bool
    """True when the new site goes live in one step (a link, a ref); False when files change one by one."""

    def describe(self) -> str:
        """Where the site goes, as people name it: ``/srv/site``, ``s3://bucket/``."""

    def changes(self, site: Path) -> Changes:
        """What deploying ``site`` would add, change and remove, by content."""

    def live_file(self, rel: str) -> bytes | None:
        """A file of the live site (a removed page's title, for the dry run); None when it cannot be read."""

    def deploy(
        self, site: Path, release: Release, host: Path | None, changes: Changes, checkpoint: Checkpoint
    ) -> Release:
        """Make ``site`` live as ``release``, with the web server's files of ``host``; return it as named."""

    def releases(self) -> list[Release]:
        """The releases kept, oldest first, the live one marked."""

    def rollback(self, to: str | None = None) -> tuple[Release, Release]:
        """Make ``to`` (default: the release before the live one) live; return (was live, now live)."""


def make(conf: Publishing) -> Target:
    """The target ``PUBLISH["target"]`` names, with its options."""
    if conf.target == "folder":
        from .folder import FolderTarget

        return FolderTarget(Path(conf.options.path), keep=conf.keep)
    if conf.target == "rsync":
        from .rsync import RsyncTarget

        return RsyncTarget(conf.options, keep=conf.keep)
    if conf.target == "gh-pages":
        from .ghpages import GhPagesTarget

        return GhPagesTarget(conf.options)
    from .s3 import S3Target

    return S3Target(conf.options, conf.pelican)
