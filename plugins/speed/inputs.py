"""The files a build read, stamped as it reads them, and what changed in them since.

A build's inputs are spread over settings of several plugins (content, profiles,
social snapshots, theme, translations…), and a plugin added tomorrow will read
its own. Rather than list them, the build records every file the main process
opens for reading and every folder it lists (Python's ``open``, ``os.scandir``
and ``os.listdir`` are wrapped while a full build runs), each stamped at that
moment: a file saved again while the build runs counts as changed for the next.
A folder's stamp is the list of its names, so a file added beside a profile (a
photo) or an article counts as a change even if the build only checked that it
exists; the folder of every file read is stamped for that reason. What one
build of the process read counts for the later ones too (plugins keep what
they read).

Paths under the output, the folder being built, the cache and Python's own
installation are not inputs; files gone by the end of the build were temporary.
"""

from __future__ import annotations

import builtins
import io
import os
import sys
from dataclasses import dataclass, field

_os_listdir = os.listdir
Stamp = tuple[int, int, int]

# Stamps of everything any build of this process read, as it was when read: a file read
# once, then kept in memory by the plugin that read it, is an input of later builds too.
_known_files: dict[str, Stamp] = {}
_known_folders: dict[str, tuple[str, ...]] = {}
_this_build: set[str] | None = None
_skip: tuple[str, ...] = ()
_saved: dict | None = None
_late: set[str] | None = None  # files opened once the output phase began


def _note_file(path, building: set[str]) -> None:
    name = os.path.abspath(os.fsdecode(path))
    if name in building or name.startswith(_skip):
        return
    stamp = file_stamp(name)
    if stamp is not None:
        building.add(name)
        _known_files[name] = stamp


def _note_folder(path, building: set[str]) -> None:
    name = os.path.abspath(os.fsdecode(path))
    if name in building or os.path.join(name, "").startswith(_skip) or _holds_skipped(name):
        return
    listing = _listing(name)
    if listing is not None:
        building.add(name)
        _known_folders[name] = listing


def note_tree(root: str) -> None:
    """Record every file and folder under ``root``: read by other processes (templates
    included while pages render in forked workers), they are inputs all the same."""
    building = _this_build
    if building is None:
        return
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d != "__pycache__"]  # written by Python itself, any time
        _note_folder(folder, building)
        for name in files:
            _note_file(os.path.join(folder, name), building)


def _holds_skipped(folder: str) -> bool:
    """The output's parent (and its parents) list the folders being built and spare: not inputs."""
    prefix = os.path.join(folder, "")
    return any(p.startswith(prefix) for p in _skip)


def _opening(original):
    def open(file, mode="r", *args, **kwargs):
        building, late = _this_build, _late  # once: the server thread of livereload opens files too
        if (
            building is not None
            and isinstance(file, (str, bytes, os.PathLike))
            and isinstance(mode, str)
            and not any(c in mode for c in "wax+")
        ):
            if late is not None:
                late.add(os.path.abspath(os.fsdecode(file)))
            _note_file(file, building)
        return original(file, mode, *args, **kwargs)

    return open


def _listing_of(original):
    def listing(path="."):
        building = _this_build
        if building is not None and isinstance(path, (str, bytes, os.PathLike)):
            _note_folder(path, building)
        return original(path)

    return listing


def start(excluded: list[str]) -> None:
    """Record from now on (in this process), outside the ``excluded`` folders.

    (An audit hook would see the same calls, but it is called for every ``id()``
    as well, and cannot be removed.)
    """
    global _this_build, _skip, _saved
    _this_build = set()
    _skip = tuple(os.path.join(os.path.abspath(p), "") for p in [*excluded, *_SYSTEM, *_python_paths()] if p)
    if _saved is None:
        # io.open, which pathlib uses, is the same function as open.
        _saved = {"open": builtins.open, "scandir": os.scandir, "listdir": os.listdir}
        builtins.open = io.open = _opening(_saved["open"])
        os.scandir = _listing_of(_saved["scandir"])
        os.listdir = _listing_of(_saved["listdir"])


def output_phase() -> None:
    """From now on, also note which files are opened (:func:`read_late`)."""
    global _late
    if _this_build is not None:
        _late = set()


def read_late() -> set[str]:
    """The files opened since :func:`output_phase`: what a page may derive from besides the context."""
    return set(_late or ())


def stop() -> Stamps:
    """Stop recording; the stamps of what this build and the earlier ones of the process read."""
    global _this_build, _saved, _late
    if _saved is not None:
        builtins.open = io.open = _saved["open"]
        os.scandir, os.listdir = _saved["scandir"], _saved["listdir"]
        _saved = None
    _this_build = _late = None
    for name in [n for n in _known_files if not os.path.exists(n)]:
        del _known_files[name]  # gone already: a temporary file
    for name in [n for n in _known_folders if not os.path.isdir(n)]:
        del _known_folders[name]
    for name in {os.path.dirname(n) for n in _known_files} - set(_known_folders):
        if not _holds_skipped(name):
            listing = _listing(name)
            if listing is not None:
                _known_folders[name] = listing
    return Stamps(dict(_known_files), dict(_known_folders))


_SYSTEM = ("/dev", "/proc", "/sys")


def _python_paths() -> list[str]:
    return sorted({sys.prefix, sys.base_prefix, sys.exec_prefix})


def read_again(stamps: dict[str, Stamp | None], last: Stamps) -> None:
    """Files read again outside a recorded build (quick.py), as they were when read: for
    the ``last`` build's stamps, and for what later builds of the process inherit."""
    for files in (last.files, _known_files):
        for path, stamp in stamps.items():
            if stamp is None:
                files.pop(path, None)
            else:
                files[path] = stamp


def file_stamp(path: str) -> Stamp | None:
    """A file's stamp now: (size, modification time, inode), or None if it is gone."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ino)


def _listing(path: str) -> tuple[str, ...] | None:
    try:
        return tuple(sorted(_os_listdir(path)))
    except OSError:
        return None


@dataclass
class Stamps:
    files: dict[str, Stamp] = field(default_factory=dict)
    folders: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def changed(self) -> tuple[set[str], bool]:
        """The files whose stamp changed, and whether any listed folder changed (a file added or removed)."""
        files = {path for path, stamp in self.files.items() if file_stamp(path) != stamp}
        folders = any(_listing(path) != listing for path, listing in self.folders.items())
        return files, folders
