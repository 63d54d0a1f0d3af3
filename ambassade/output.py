"""The output folder replaced whole: a build writes beside it, then swaps.

A contributor's mistake must never leave a half-written site, so a build
writes into a fresh sibling folder (``.<output>.building-<pid>``) and only a
build that succeeded replaces the output with it. Making thousands of
folders costs more than writing unchanged pages, so the replaced tree is
emptied of its files in the background and its folders kept as the next
build's starting point (``.<output>.spare``).
"""

from __future__ import annotations

import itertools
import os
import shutil
import threading
from pathlib import Path

_swaps = itertools.count()

HOST_FILES = ".host"
"""Where a build writes the web server's files (headers, redirects) inside its staging folder;
they are moved beside the output (:func:`host_folder`) before the swap, never served."""


def host_folder(output: Path) -> Path:
    """The web server's files of the site in ``output``: ``output-host/``, beside it, never in it."""
    return output.with_name(f"{output.name}-host")


def place_host_files(staging: Path, target: Path) -> None:
    """Move the host files a build wrote into ``staging`` beside ``target``, replacing the last ones.

    Done just before the swap, so that the site and its host files change
    together; a build that wrote none (a quick rebuild) leaves the last ones.
    """
    made = staging / HOST_FILES
    if not made.is_dir():
        return
    dest = host_folder(target)
    old = dest.with_name(f".{dest.name}.previous-{os.getpid()}-{next(_swaps)}")
    if dest.exists():
        os.rename(dest, old)
    os.rename(made, dest)
    shutil.rmtree(old, ignore_errors=True)


def swap(staging: Path, target: Path) -> None:
    """Replace ``target`` with ``staging``: two renames, the old tree emptied last.

    The old tree is emptied in the background, so that a livereload rebuild is
    served without waiting for it. Its folders are kept as the next build's
    staging folder (see :func:`adopt_spare`).
    """
    previous = target.with_name(f".{target.name}.previous-{os.getpid()}-{next(_swaps)}")
    if target.exists():
        os.rename(target, previous)
    os.rename(staging, target)
    if previous.exists():
        _in_background(_make_spare, previous, _spare(target))
    elif not _spare(target).exists():
        _in_background(_make_skeleton, target, _spare(target))


def _in_background(work, *args) -> None:
    """Run ``work(*args)`` in a forked process (a thread would hold the interpreter lock
    the next build needs), waited for by a thread, so that this process waits for it
    before exiting; in a thread where there is no fork."""
    if not hasattr(os, "fork"):
        thread = threading.Thread(target=work, args=args, name="empty-previous-output")
        thread.start()
        _background.append(thread)
        return
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        try:
            work(*args)
        finally:
            os._exit(0)
    waiter = threading.Thread(target=os.waitpid, args=(pid, 0), name="empty-previous-output")
    waiter.start()
    _background.append(waiter)


_background: list[threading.Thread] = []


def settle() -> None:
    """Wait for the work the last builds left running in the background (emptying replaced output)."""
    while _background:
        _background.pop().join()


def adopt_spare(target: Path, staging: Path) -> None:
    """Start ``staging`` from the last build's emptied folders, when they are ready.

    Only folders: every file is written anew. A build takes them as it starts
    (``staging`` does not exist yet: one rename; of two builds at once, one gets
    them), or, when they were not ready then (a livereload rebuild right after
    the last one), just before it writes its pages: each folder is moved whole
    where ``staging`` lacks it, so a tree of pages' folders costs one rename.
    """
    spare = _spare(target)
    if not staging.exists():
        try:
            os.rename(spare, staging)
        except OSError:
            pass
        return
    claimed = spare.with_name(f"{spare.name}-claimed-{os.getpid()}")
    try:
        os.rename(spare, claimed)
    except OSError:
        return
    _move_missing(claimed, staging)
    _in_background(shutil.rmtree, claimed, True)


def _move_missing(source: Path, dest: Path) -> None:
    for entry in os.scandir(source):
        if not entry.is_dir(follow_symlinks=False):
            continue
        target = dest / entry.name
        if not target.exists():
            os.rename(entry.path, target)
        elif target.is_dir():
            _move_missing(Path(entry.path), target)


def _spare(target: Path) -> Path:
    return target.with_name(f".{target.name}.spare")


def _make_spare(previous: Path, spare: Path) -> None:
    """Empty ``previous`` of its files, keep its folders, and leave it as ``spare``.

    Making thousands of folders (a page is a folder) takes longer than the rest
    of writing an unchanged page, and longer still on a file system that has
    seen many: the next build starts from these folders instead.
    """
    try:
        for folder, _dirs, files in os.walk(previous):
            for name in files:
                os.unlink(os.path.join(folder, name))
        shutil.rmtree(spare, ignore_errors=True)
        os.rename(previous, spare)
    except OSError:
        shutil.rmtree(previous, ignore_errors=True)


def _make_skeleton(target: Path, spare: Path) -> None:
    """After a first build (nothing replaced): the folders of ``target``, empty, as ``spare``."""
    making = spare.with_name(f"{spare.name}-{os.getpid()}")
    try:
        # Parents first, one mkdir each: if the output's folder goes away meanwhile (a
        # temporary build), this stops rather than making the folders on the way again.
        for folder, _dirs, _files in os.walk(target):
            os.mkdir(making / os.path.relpath(folder, target))
        os.rename(making, spare)
    except OSError:
        shutil.rmtree(making, ignore_errors=True)


def prune_empty_folders(root: Path) -> None:
    """Remove the folders left empty (kept from an earlier build for a page that is gone)."""
    for folder, _dirs, files in os.walk(root, topdown=False):
        if not files and folder != str(root):
            try:
                os.rmdir(folder)
            except OSError:  # not empty: a subfolder has files
                pass
