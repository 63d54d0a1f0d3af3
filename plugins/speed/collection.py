"""The garbage collector in forked processes: never over what they inherit.

A forked child shares the parent's memory until it writes to it. The garbage
collector writes to every object it looks at, and a child's full collection
looks at every object it inherited: each one copies the whole heap of the
parent (hundreds of MB once the site is read), page fault by page fault.
Objects frozen before the fork are left out of the child's collections; the
parent thaws its own right after (Python's documentation of ``gc.freeze``).
How often the collector runs during a build is the build driver's to say
(``ambassade.build``), for every build, fast or not.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from contextlib import contextmanager


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
