"""The garbage collector during a build: seldom, and never over what a forked process inherits.

A build makes millions of objects that live until it ends, and little cyclic
garbage: with Python's default thresholds (a collection every 700 new
objects) the collector ran 800 times in the main process alone, 0.6 s of a
cold build at the default benchmark size. :func:`build_started` raises the
thresholds for the build; :func:`build_ended` puts them back (a build that
fails leaves them raised until the next one ends).

A forked child shares the parent's memory until it writes to it. The garbage
collector writes to every object it looks at, and a child's full collection
looks at every object it inherited: each one copies the whole heap of the
parent (hundreds of MB once the site is read), page fault by page fault.
Objects frozen before the fork are left out of the child's collections; the
parent thaws its own right after (Python's documentation of ``gc.freeze``).
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from contextlib import contextmanager

_BUILD_THRESHOLDS = (20_000, 20, 20)
_saved: tuple[int, int, int] | None = None


def build_started() -> None:
    global _saved
    if _saved is None:
        _saved = gc.get_threshold()
    gc.set_threshold(*_BUILD_THRESHOLDS)


def build_ended() -> None:
    global _saved
    if _saved is not None:
        gc.set_threshold(*_saved)
        _saved = None


@contextmanager
def frozen() -> Iterator[None]:
    """Around the start of a process pool (whose children never come back here): what
    exists now is frozen in the children."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def fork() -> int:
    """``os.fork``, what exists now frozen in the child (and in the parent, thawed again)."""
    gc.freeze()
    try:
        pid = os.fork()
    except BaseException:
        gc.unfreeze()
        raise
    if pid:
        gc.unfreeze()
    return pid
