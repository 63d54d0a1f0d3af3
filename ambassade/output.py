"""The output folder replaced whole, in one step: a build writes beside it, then swaps.

A contributor's mistake must never leave a half-written site, so a build
writes into a fresh sibling folder (``.<output>.building-<pid>``) and only a
build that succeeded replaces the output with it: in one system call where
the system has one (``renameat2`` with ``RENAME_EXCHANGE`` on Linux: the
output is the old site, then the new one, never nothing), else in two
renames, after which a build killed between them has its output put back by
the next run. Making thousands of folders costs more than writing unchanged
pages, so the replaced tree is emptied of its files in the background and
its folders kept as the next build's starting point (``.<output>.spare``).

An output folder that is a mount point (a volume of a container) cannot be
renamed: the build then writes inside it (``<output>/.<output>.building-<pid>``)
and swaps each entry of its top level in one step.

Two builds of the same output wait for each other (:func:`building` holds a
lock, ``.<output>.lock``), and each removes what killed builds left behind:
their staging folders and replaced trees.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import itertools
import os
import re
import shutil
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .filecache import place

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
    """Replace ``target`` with ``staging`` in one step; the old tree is emptied in the background.

    The old tree is emptied in the background, so that a livereload rebuild is
    served without waiting for it. Its folders are kept as the next build's
    staging folder (see :func:`adopt_spare`).
    """
    if _inside(target):
        _swap_entries(staging, target)
        return
    if not os.path.lexists(target):
        os.rename(staging, target)
        if not _spare(target).exists():
            _in_background(_make_skeleton, target, _spare(target))
        return
    previous = _aux(target, f"previous-{os.getpid()}-{next(_swaps)}")
    if exchange(staging, target):
        os.rename(staging, previous)  # the old tree, now at the staging folder's name
    else:  # two steps: a build killed between them has its output put back by the next (tidy)
        os.rename(target, previous)
        os.rename(staging, target)
    _in_background(_make_spare, previous, _spare(target))


def _swap_entries(staging: Path, target: Path) -> None:
    """``target`` cannot be renamed (a mount point): each entry of its top level is swapped in one step."""
    previous = _aux(target, f"previous-{os.getpid()}-{next(_swaps)}")
    previous.mkdir()
    new = {entry.name for entry in os.scandir(staging)}
    for name in sorted(new):
        dest = target / name
        if os.path.lexists(dest) and exchange(staging / name, dest):
            continue
        if os.path.lexists(dest):
            os.rename(dest, previous / name)
        os.rename(staging / name, dest)
    for entry in os.scandir(target):
        if entry.name not in new and not _is_aux(target, entry.name):
            os.rename(entry.path, previous / entry.name)
    for entry in os.scandir(staging):  # the old entries that were exchanged
        os.rename(entry.path, previous / entry.name)
    os.rmdir(staging)
    _in_background(shutil.rmtree, previous, True)


# renameat2(2): glibc 2.28 and later; RENAME_EXCHANGE swaps two paths atomically.
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100
try:
    _renameat2 = ctypes.CDLL(None, use_errno=True).renameat2 if sys.platform.startswith("linux") else None
except (AttributeError, OSError):  # pragma: no cover - an older C library
    _renameat2 = None


def exchange(a: Path, b: Path) -> bool:
    """Swap ``a`` and ``b`` in one step; False where the system or the file system cannot."""
    if _renameat2 is None:
        return False
    if _renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))


# -- where the build's own folders are, and what killed builds left ---------------------------------------


def _inside(target: Path) -> bool:
    """Is ``target`` a folder that cannot be renamed (a mount point): the build's folders go inside it?"""
    try:
        return (
            target.is_dir()
            and not target.is_symlink()
            and (os.path.ismount(target) or target.stat().st_dev != target.parent.stat().st_dev)
        )
    except OSError:
        return False


def _aux(target: Path, suffix: str) -> Path:
    """A folder of the build's own: ``.<output>.<suffix>`` beside the output, or inside it (a mount point)."""
    name = f".{target.name}.{suffix}"
    return target / name if _inside(target) else target.with_name(name)


def _is_aux(target: Path, name: str) -> bool:
    return name.startswith(f".{target.name}.")


def staging_folder(target: Path) -> Path:
    """Where this process builds the next ``target``."""
    return _aux(target, f"building-{os.getpid()}")


_AUX_RE = re.compile(
    r"^\.(?P<output>.+)\.(?P<kind>building|previous|spare-claimed|spare)-(?P<pid>\d+)(?:-\d+)?$"
)


def tidy(target: Path) -> None:
    """Remove what killed builds of ``target`` left, and put back an output a killed swap took away.

    Runs with the lock held (:func:`building`): no other build of ``target`` is
    running, so a staging folder of another process is debris; a replaced tree
    is debris once its process is gone (while it lives, it empties it).
    """
    folder = target if _inside(target) else target.parent
    try:
        names = os.listdir(folder)
    except OSError:
        return
    left: list[tuple[str, int, Path]] = []
    for name in names:
        found = _AUX_RE.match(name)
        if found is None or found["output"] != target.name:
            continue
        pid = int(found["pid"])
        # This process's own staging folder is from a build of it that failed; a replaced tree
        # or spare folders being made belong to a process until it ends.
        ours = pid == os.getpid()
        if (found["kind"] == "building" and not ours and process_alive(pid)) or (
            found["kind"] != "building" and process_alive(pid)
        ):
            continue
        left.append((found["kind"], pid, folder / name))
    if not os.path.lexists(target):
        # A swap killed between its two renames: the newest replaced tree is the live site.
        previous = sorted((p for kind, _pid, p in left if kind == "previous"), key=_mtime)
        if previous:
            os.rename(previous[-1], target)
            left = [item for item in left if item[2] != previous[-1]]
    for _kind, _pid, path in left:
        if path.is_symlink() or path.is_file():
            path.unlink(missing_ok=True)
        else:
            shutil.rmtree(path, ignore_errors=True)


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def process_alive(pid: int) -> bool:
    """Is process ``pid`` running (this one is)?"""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextmanager
def building(target: Path, *, waiting=None) -> Iterator[Path]:
    """Hold ``target``'s lock (waiting for another build of it to end), tidy, and give the staging folder.

    ``waiting()`` is called once when another build holds the lock. The lock is
    a POSIX record lock on ``.<output>.lock``: the system releases it when the
    process ends, however it ends, and forked processes do not inherit it.
    """
    if os.path.lexists(target) and not target.is_dir():  # a file, or a link to one: never replaced
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(target))
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(target.with_name(f".{target.name}.lock"), os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError:
        if not _inside(target):
            raise
        # A mount point in a folder this user may not write: the lock lives inside it.
        fd = os.open(_aux(target, "lock"), os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EAGAIN, errno.EACCES):
                raise
            if waiting is not None:
                waiting()
            fcntl.lockf(fd, fcntl.LOCK_EX)
        tidy(target)
        staging = staging_folder(target)
        shutil.rmtree(staging, ignore_errors=True)
        yield staging
    finally:
        os.close(fd)  # releases the lock


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
    return _aux(target, "spare")


def _make_spare(previous: Path, spare: Path) -> None:
    """Empty ``previous`` of its files, keep its folders, and leave it as ``spare``.

    Making thousands of folders (a page is a folder) takes longer than the rest
    of writing an unchanged page, and longer still on a file system that has
    seen many: the next build starts from these folders instead.
    """
    if previous.is_symlink():  # an output that was a link: never empty what it points to
        previous.unlink(missing_ok=True)
        return
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
        for folder, dirs, _files in os.walk(target):
            dirs[:] = [d for d in dirs if not (folder == str(target) and _is_aux(target, d))]
            os.mkdir(making / os.path.relpath(folder, target))
        os.rename(making, spare)
    except OSError:
        shutil.rmtree(making, ignore_errors=True)


def prune_empty_folders(root: Path) -> int:
    """Remove the folders left empty (kept from an earlier build for a page that is gone);
    return how many files the tree holds (the walk counts them for free)."""
    count = 0
    for folder, _dirs, files in os.walk(root, topdown=False):
        count += len(files)
        if not files and folder != str(root):
            try:
                os.rmdir(folder)
            except OSError:  # not empty: a subfolder has files
                pass
    return count


def put(output: Path, rel: str, data: bytes, previous: Path | None) -> None:
    """``data`` at ``rel`` in the output being built: the file of the output it replaces
    (``previous``) linked when it holds these very bytes, else a file made anew.

    A rebuild writes thousands of the same pages and small files (contact cards,
    calendars); a new file costs more than reading the old one to compare.
    """
    put_file(output / rel, data, previous / rel if previous is not None else None)


def put_file(target: Path, data: bytes, old: Path | None) -> None:
    """:func:`put` by the file's path and the path of its last version (``old``).

    Never written into a file already there: that could be a link to the
    replaced output's.
    """
    if old is not None:
        try:
            if old.stat().st_size == len(data) and old.read_bytes() == data:
                place(old, target)
                return
        except OSError:
            pass
    new = os.O_WRONLY | os.O_CREAT | os.O_EXCL
    try:
        handle = os.open(target, new, 0o666)
    except FileExistsError:
        target.unlink()
        handle = os.open(target, new, 0o666)
    except FileNotFoundError:  # the folder first: a rebuild finds most of them made
        target.parent.mkdir(parents=True, exist_ok=True)
        handle = os.open(target, new, 0o666)
    with os.fdopen(handle, "wb") as fh:
        fh.write(data)
