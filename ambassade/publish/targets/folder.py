"""A local or mounted folder: ``releases/<name>/`` and a ``current`` link switched in one rename.

The web server's document root is ``<path>/current``, and its configuration
includes the files of ``<path>/host`` (``nginx-headers.conf``,
``nginx-redirects.conf``). A release is copied whole under a hidden name,
renamed, flushed to disk, and only then do the links move to it; an
interruption at any point leaves the previous release live and whole. Files
that did not change are hard links to the previous release's (as rsync's
``--link-dest``), so keeping releases is cheap.
"""

from __future__ import annotations

import errno
import os
import shutil
from dataclasses import replace
from pathlib import Path

from ambassade.i18n import _

from .. import layout
from ..manifest import Changes, compare, files, scan
from ..problems import PublishError
from ..releases import Release
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
                _(
                    "%(link)s: is a folder, not a link — move it away once (mv current current.old): "
                    "releases go live by switching the `current` link",
                    link=link,
                )
            )
        return layout.release_of(os.readlink(link)) if link.is_symlink() else None

    def release_names(self) -> list[str]:
        return layout.releases(os.listdir(self._releases)) if self._releases.is_dir() else []

    def releases(self) -> list[Release]:
        live = self.live()
        return [self._record(name).with_state(live=name == live) for name in self.release_names()]

    def _record(self, name: str) -> Release:
        path = self._releases / layout.meta(name) / layout.RECORD
        try:
            return Release.from_json(name, path.read_text(encoding="utf-8"))
        except OSError:
            return Release(name)

    def _write_record(self, folder: Path, release: Release) -> None:
        """Write a record whole or not at all: a new file renamed onto the old one."""
        tmp = folder / f".{layout.RECORD}.tmp"
        tmp.write_text(release.to_json(), encoding="utf-8")
        _fsync(tmp)
        os.replace(tmp, folder / layout.RECORD)

    def changes(self, site: Path) -> Changes:
        live = self.live()
        return compare(scan(self._releases / live) if live else {}, scan(site))

    def live_file(self, rel: str) -> bytes | None:
        live = self.live()
        try:
            return (self._releases / live / rel).read_bytes() if live else None
        except OSError:
            return None

    def deploy(
        self, site: Path, release: Release, host: Path | None, changes: Changes, checkpoint: Checkpoint
    ) -> Release:
        live = self.live()
        name = layout.unique(release.name, self.release_names())
        release = replace(release, name=name)
        self._releases.mkdir(parents=True, exist_ok=True)
        self._remove_leftovers()
        incoming = self._releases / f"{layout.INCOMING}{name}"
        incoming_meta = self._releases / f"{layout.INCOMING}{layout.meta(name)}"
        try:
            self._copy(site, incoming, self._releases / live if live else None, checkpoint)
            checkpoint("copied")
            incoming_meta.mkdir()
            if host is not None and host.is_dir():
                for rel, path in files(host):
                    shutil.copy2(path, incoming_meta / rel)
            self._write_record(incoming_meta, release)
            os.rename(incoming_meta, self._releases / layout.meta(name))
            os.rename(incoming, self._releases / name)
            _fsync(self._releases)
        except BaseException:
            shutil.rmtree(incoming, ignore_errors=True)
            shutil.rmtree(incoming_meta, ignore_errors=True)
            raise
        checkpoint("before-swap")
        self.switch(name)
        checkpoint("swapped")
        for old in layout.to_prune(self.release_names(), name, self.keep):
            shutil.rmtree(self._releases / old)
            shutil.rmtree(self._releases / layout.meta(old), ignore_errors=True)
        return release

    def rollback(self, to: str | None = None) -> tuple[Release, Release]:
        left, now = layout.switch_to(self.releases(), self.describe(), to)
        self.switch(now.name)
        # Records follow the links.
        self._note(left)
        self._note(now)
        return left, now

    def _note(self, release: Release) -> None:
        folder = self._releases / layout.meta(release.name)
        try:
            folder.mkdir(exist_ok=True)
            self._write_record(folder, release)
        except OSError as exc:
            raise PublishError(
                _(
                    "%(path)s: the release's record could not be written — %(error)s",
                    path=folder,
                    error=exc.strerror,
                )
            ) from None

    def switch(self, release: str) -> None:
        """Point ``current`` and ``host`` at ``release``, each in one step: a new link renamed onto it."""
        for link, value in (
            (layout.CURRENT, layout.link_value(release)),
            (layout.HOST, layout.link_value(layout.meta(release))),
        ):
            tmp = self.root / layout.next_link(link)
            tmp.unlink(missing_ok=True)
            os.symlink(value, tmp)
            os.replace(tmp, self.root / link)
        _fsync(self.root)

    def _remove_leftovers(self) -> None:
        """Releases half-written by an interrupted publish, and records left without their release."""
        names = os.listdir(self._releases)
        for name in [*layout.leftovers(names), *layout.orphans(names)]:
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
        for folder, _dirs, _files in os.walk(dest):
            _fsync(Path(folder))


def _fsync(path: Path) -> None:
    """Flush one file's or folder's data and entries to disk (not the whole machine's, as sync does)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
