"""What the speed plugin keeps between runs, under ``CACHE_PATH/speed/``: pickled, written atomically.

A missing, stale or broken file only costs time: it reads as nothing.
"""

from __future__ import annotations

import logging
import os
import pickle
import tempfile
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


def path(settings: dict, name: str) -> Path:
    return Path(settings["CACHE_PATH"]).resolve() / "speed" / name


def load(file: Path) -> Any:
    """The value kept in ``file``; None when there is none that can be read."""
    try:
        with file.open("rb") as fh:
            return pickle.load(fh)
    except FileNotFoundError:
        return None
    except Exception as exc:
        log.debug("speed: %s unreadable (%s)", file, exc)
        return None


def save(file: Path, value: Any) -> None:
    """Keep ``value`` in ``file``; a reader never sees half of it."""
    file.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(dir=file.parent, suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as fh:
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, file)
    except BaseException:
        os.unlink(tmp)
        raise
