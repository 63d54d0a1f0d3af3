"""What the speed plugin keeps between runs, under ``CACHE_PATH/speed/``: pickled, checked, atomic.

A missing, stale or broken file only costs time: it reads as nothing, and the
build makes what it held again. Each file starts with a mark, the length and
the CRC-32 of the rest (what zip and PNG check their data with: a guard against
accidents, at a gigabyte a second, where a cryptographic digest would add a
tenth of a second to every save of 50 MB of conversions): a file cut short (a
full disk, a crash), garbled or written by something else is not trusted, even
where it would still unpickle.
"""

from __future__ import annotations

import logging
import os
import pickle
import struct
import tempfile
import zlib
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

MARK = b"ambassade-speed-1\n"
_HEAD = struct.Struct("<QI")  # length and CRC-32 of the pickle that follows


def path(settings: dict, name: str) -> Path:
    return Path(settings["CACHE_PATH"]).resolve() / "speed" / name


def load(file: Path) -> Any:
    """The value kept in ``file``; None when there is none, or none that can be trusted."""
    try:
        data = file.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        log.debug("speed: %s unreadable (%s)", file, exc)
        return None
    start = len(MARK) + _HEAD.size
    body = memoryview(data)[start:]
    if (
        len(data) < start
        or not data.startswith(MARK)
        or _HEAD.unpack_from(data, len(MARK)) != (len(body), zlib.crc32(body))
    ):
        log.debug("speed: %s is damaged or not ours: made again", file)
        return None
    try:
        return pickle.loads(body)
    except Exception as exc:
        log.debug("speed: %s unreadable (%s)", file, exc)
        return None


def save(file: Path, value: Any) -> None:
    """Keep ``value`` in ``file``; a reader never sees half of it."""
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    file.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(dir=file.parent, suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as fh:
            fh.write(MARK + _HEAD.pack(len(data), zlib.crc32(data)))
            fh.write(data)
        os.replace(tmp, file)
    except BaseException:
        os.unlink(tmp)
        raise
