"""Phase timings of a build, printed when the environment variable SPEED_TIMINGS is set."""

from __future__ import annotations

import os
import sys
import time

_marks: list[tuple[str, float]] = []


def mark(name: str) -> None:
    if os.environ.get("SPEED_TIMINGS"):
        _marks.append((name, time.perf_counter()))


def report() -> None:
    if not os.environ.get("SPEED_TIMINGS") or not _marks:
        return
    start = _marks[0][1]
    for name, when in _marks:
        print(f"speed: {when - start:8.2f} s  {name}", file=sys.stderr)
    _marks.clear()
