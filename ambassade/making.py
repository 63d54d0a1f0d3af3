"""Make what the cache lacks, on every core, and keep it there.

The first build of a site re-encodes every photo, draws every card and every
QR code; a later one finds them all under ``CACHE_PATH`` and makes nothing.
What is made is made in forked processes, each writing its files into the
store itself, so that only short answers travel back.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

from .filecache import Store

# Below this many, forking costs more than it saves.
_ALONE = 4


@dataclass(frozen=True)
class Job:
    """Make ``spec`` with ``make`` (spec → {file name: bytes}) and keep the files under ``key``."""

    make: Callable[[Any], dict[str, bytes]]
    spec: Any
    store: Store
    key: str
    refused: tuple[type[Exception], ...] = ()
    """What ``make`` raises for a spec it cannot make (a broken photo): reported, not raised."""


def run(jobs: Sequence[Job], workers: int) -> list[tuple[Job, str]]:
    """Run every job; return those that failed, each with what went wrong."""
    if not jobs:
        return []
    workers = workers or os.cpu_count() or 1
    if workers == 1 or len(jobs) < _ALONE:
        results = [_run(job) for job in jobs]
    else:
        # Fork: the workers start at once with the code loaded; a job carries paths, not pixels.
        context = multiprocessing.get_context("fork")
        chunk = max(1, min(16, len(jobs) // (workers * 8)))
        with ProcessPoolExecutor(max_workers=min(workers, len(jobs)), mp_context=context) as pool:
            results = list(pool.map(_run, jobs, chunksize=chunk))
    return [(job, error) for job, error in zip(jobs, results, strict=True) if error]


def _run(job: Job) -> str:
    try:
        job.store.put(job.key, job.make(job.spec))
    except job.refused as exc:
        return str(exc)
    return ""
