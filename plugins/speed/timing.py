"""Phase timings of a build, printed when the environment variable SPEED_TIMINGS is set."""

from __future__ import annotations

import os
import resource
import sys
import time

_marks: list[tuple[str, float, float]] = []


def _cpu() -> float:
    """CPU seconds of this process and of the children it has waited for."""
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        total += usage.ru_utime + usage.ru_stime
    return total


def mark(name: str) -> None:
    if os.environ.get("SPEED_TIMINGS"):
        _marks.append((name, time.perf_counter(), _cpu()))


def report() -> None:
    if not os.environ.get("SPEED_TIMINGS") or not _marks:
        return
    _, start, cpu_start = _marks[0]
    for name, when, cpu in _marks:
        print(f"speed: {when - start:8.2f} s {cpu - cpu_start:8.2f} s CPU  {name}", file=sys.stderr)
    _marks.clear()
