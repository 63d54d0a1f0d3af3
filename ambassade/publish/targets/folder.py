"""A local or mounted folder: ``releases/<id>/`` and a ``current`` link switched in one rename.

The web server's document root is ``<path>/current``. A release is copied
whole under a hidden name, renamed, flushed to disk, and only then does
``current`` move to it; an interruption at any point leaves the previous
release live and whole. Files that did not change are hard links to the
previous release's (as rsync's ``--link-dest``), so keeping releases is cheap.
"""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

from .. import layout
from ..manifest import Changes, compare, files, scan
from ..problems import PublishError
from . import Checkpoint


class FolderTarget:
    name = "folder"
    atomic = True

    def __init__(self, root: Path, keep: int):
        self.root = root
        self.keep = keep

    def describe(self) -> str:
        return str(self.root)

    @property
    def _releases(self) -> Path:
        return self.root / layout.RELEASES

    def live(self) -> str | None:
        """The release ``current`` points to, if any."""
        link = self.root / layout.CURRENT
        if link.exists() and not link.is_symlink():
            raise PublishError(
                f"{link}: is a folder, not a link — move it away once (mv current current.old): "
                f"releases go live by switching the `current` link"
            )
        return layout.release_of(os.readlink(link)) if link.is_symlink() else None

    def release_names(self) -> list[str]:
        return layout.releases(os.listdir(self._releases)) if self._releases.is_dir() else []

    def changes(self, site: Path) -> Changes:
        live = self.live()
        return compare(scan(self._releases / live) if live else {}, scan(site))

    def deploy(self, site: Path, release: str, changes: Changes, checkpoint: Checkpoint) -> str:
        live = self.live()
        release = layout.unique(release, self.release_names())
        self._releases.mkdir(parents=True, exist_ok=True)
        self._remove_leftovers()
        incoming = self._releases / f"{layout.INCOMING}{release}"
        try:
            self._copy(site, incoming, self._releases / live if live else None, checkpoint)
            checkpoint("copied")
            os.rename(incoming, self._releases / release)
            _fsync(self._releases)
        except BaseException:
            shutil.rmtree(incoming, ignore_errors=True)
            raise
        checkpoint("before-swap")
        self.switch(release)
        checkpoint("swapped")
        for old in layout.to_prune(self.release_names(), release, self.keep):
            shutil.rmtree(self._releases / old)
        return release

    def rollback(self) -> tuple[str, str]:
        live = self.live()
        live, before = layout.rollback_to(self.release_names(), live, self.describe())
        self.switch(before)
        os.rename(self._releases / live, self._releases / f"{layout.ROLLED_BACK}{live}")
        return live, before

    def switch(self, release: str) -> None:
        """Point ``current`` at ``release`` in one step: a new link renamed onto the old one."""
        tmp = self.root / layout.NEXT_LINK
        tmp.unlink(missing_ok=True)
        os.symlink(layout.link_value(release), tmp)
        os.replace(tmp, self.root / layout.CURRENT)
        _fsync(self.root)

    def _remove_leftovers(self) -> None:
        """Releases half-written by an interrupted publish, or rolled back: never live again."""
        for name in layout.leftovers(os.listdir(self._releases)):
            shutil.rmtree(self._releases / name, ignore_errors=True)

    @staticmethod
    def _copy(site: Path, dest: Path, previous: Path | None, checkpoint: Checkpoint) -> None:
        old = scan(previous) if previous else {}
        new = scan(site) if old else {}
        for rel, path in files(site):
            target = dest / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            if previous and rel in old and old[rel] == new[rel]:
                try:
                    os.link(previous / rel, target)
                    checkpoint("copying")
                    continue
                except OSError as exc:  # another file system, or no hard links there: copy instead
                    if exc.errno not in (errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP):
                        raise
            shutil.copy2(path, target)
            _fsync(target)
            checkpoint("copying")
        # Renames and the link switch are atomic, but only expose whole files once
        # those files and the folders naming them are on disk (a power cut otherwise
        # can leave empty files behind a switched link). Hard links are already there.
        for folder, _, _ in os.walk(dest):
            _fsync(Path(folder))


def _fsync(path: Path) -> None:
    """Flush one file's or folder's data and entries to disk (not the whole machine's, as sync does)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
