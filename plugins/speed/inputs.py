"""The files a build read, recorded as it reads them, and what changed in them since.

A build's inputs are spread over settings of several plugins (content, profiles,
social snapshots, theme, translations…), and a plugin added tomorrow will read
its own. Rather than list them, the build records every file the main process
opens for reading and every folder it lists (Python's ``open`` and
``os.scandir``/``os.listdir`` audit events), then stamps them. A folder's
stamp is the list of its names, so a file added beside a profile (a photo) or
an article counts as a change even if the build only checked that it exists;
the folder of every file read is stamped for that reason. What one build of the
process read counts for the later ones too (plugins keep what they read).

Paths under the output, the folder being built, the cache and Python's own
installation are not inputs; files gone by the end of the build were temporary.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field

_recording: set[str] | None = None
_folders: set[str] | None = None
# Everything any build of this process read: a file read once, then kept in memory by
# the plugin that read it, is an input of every later build too.
_known_files: set[str] = set()
_known_folders: set[str] = set()
_hooked = False
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC


def _hook(event: str, args: tuple) -> None:
    if _recording is None:
        return
    if event == "open":
        path, mode, flags = (tuple(args) + (None, None, None))[:3]
        if isinstance(path, int) or path is None:
            return
        if isinstance(mode, str) and any(c in mode for c in "wax+"):
            return
        if isinstance(flags, int) and flags & _WRITE_FLAGS:
            return
        _recording.add(os.fsdecode(path))
    elif event in ("os.scandir", "os.listdir") and _folders is not None and args:
        path = args[0]
        if isinstance(path, (str, bytes, os.PathLike)):
            _folders.add(os.fsdecode(path))


def start() -> None:
    """Record from now on (in this process)."""
    global _recording, _folders, _hooked
    if not _hooked:
        sys.addaudithook(_hook)
        _hooked = True
    _recording, _folders = set(), set()


def stop(excluded: list[str]) -> Stamps:
    """Stop recording; the stamps of what was read, outside ``excluded`` folders."""
    global _recording, _folders
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
