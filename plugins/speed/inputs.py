"""The files a build read, recorded as it reads them, and what changed in them since.

A build's inputs are spread over settings of several plugins (content, profiles,
social snapshots, theme, translations…), and a plugin added tomorrow will read
its own. Rather than list them, the build records every file the main process
opens for reading and every folder it lists (Python's ``open``,
``os.scandir`` and ``os.listdir``), then stamps them. A folder's
stamp is the list of its names, so a file added beside a profile (a photo) or
an article counts as a change even if the build only checked that it exists;
the folder of every file read is stamped for that reason. What one build of the
process read counts for the later ones too (plugins keep what they read).

Paths under the output, the folder being built, the cache and Python's own
installation are not inputs; files gone by the end of the build were temporary.
"""

from __future__ import annotations

import builtins
import io
import os
import sys
from dataclasses import dataclass, field

_recording: set[str] | None = None
_folders: set[str] | None = None
# Everything any build of this process read: a file read once, then kept in memory by
# the plugin that read it, is an input of every later build too.
_known_files: set[str] = set()
_known_folders: set[str] = set()
_saved: dict | None = None


def _opening(original):
    def open(file, mode="r", *args, **kwargs):
        if _recording is not None and isinstance(file, (str, bytes, os.PathLike)) \
                and isinstance(mode, str) and not any(c in mode for c in "wax+"):
            _recording.add(os.fsdecode(file))
        return original(file, mode, *args, **kwargs)

    return open


def _listing_of(original):
    def listing(path="."):
        if _folders is not None and isinstance(path, (str, bytes, os.PathLike)):
            _folders.add(os.fsdecode(path))
        return original(path)

    return listing


def start() -> None:
    """Record from now on (in this process).

    Python's ``open`` (``io.open``, which ``pathlib`` uses, is the same function)
    and ``os.scandir``/``os.listdir`` are wrapped while a build runs. (An audit
    hook would see them too, but it is called for every ``id()`` as well, and
    cannot be removed.)
    """
    global _recording, _folders, _saved
    _recording, _folders = set(), set()
    if _saved is None:
        _saved = {"open": builtins.open, "scandir": os.scandir, "listdir": os.listdir}
        builtins.open = io.open = _opening(_saved["open"])
        os.scandir = _listing_of(_saved["scandir"])
        os.listdir = _listing_of(_saved["listdir"])


def _unwrap() -> None:
    global _saved
    if _saved is not None:
        builtins.open = io.open = _saved["open"]
        os.scandir, os.listdir = _saved["scandir"], _saved["listdir"]
        _saved = None


def stop(excluded: list[str]) -> Stamps:
    """Stop recording; the stamps of what was read, outside ``excluded`` folders."""
    global _recording, _folders
    _unwrap()
    _known_files.update(_recording or ())
    _known_folders.update(_folders or ())
    files, folders = set(_known_files), set(_known_folders)
    _recording = _folders = None
    skip = tuple(os.path.join(os.path.realpath(p), "") for p in excluded + _python_paths())
    stamps = Stamps()
    for path in files:
        real = os.path.realpath(os.path.abspath(path))
        if real.startswith(skip):
            continue
        stamp = _file_stamp(real)
        if stamp is None:  # gone already: a temporary file
            _known_files.discard(path)
            continue
        stamps.files[real] = stamp
        folders.add(os.path.dirname(real))
    for folder in folders:
        real = os.path.realpath(os.path.abspath(folder))
        if os.path.join(real, "").startswith(skip) or any(p.startswith(os.path.join(real, "")) for p in skip):
            continue  # the output's own parent lists the folders being built and spare
        listing = _listing(real)
        if listing is not None:
            stamps.folders[real] = listing
    return stamps


def _python_paths() -> list[str]:
    return sorted({sys.prefix, sys.base_prefix, sys.exec_prefix})


def _file_stamp(path: str) -> tuple[int, int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ino)


def _listing(path: str) -> tuple[str, ...] | None:
    try:
        return tuple(sorted(os.listdir(path)))
    except OSError:
        return None


@dataclass
class Stamps:
    files: dict[str, tuple[int, int, int]] = field(default_factory=dict)
    folders: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def changed(self) -> tuple[set[str], bool]:
        """The files whose stamp changed, and whether any listed folder changed (a file added or removed)."""
        files = {path for path, stamp in self.files.items() if _file_stamp(path) != stamp}
        folders = any(_listing(path) != listing for path, listing in self.folders.items())
        return files, folders

    def refresh(self, paths) -> None:
        """Stamp ``paths`` again (read again since)."""
        for path in paths:
            stamp = _file_stamp(path)
            if stamp is not None:
                self.files[path] = stamp
