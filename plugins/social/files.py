"""Files fetch writes: whole or not at all."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def replace_atomically(path: Path, data: bytes) -> None:
    """Make ``path`` hold ``data``: written beside it, synced, then renamed over it.

    Same directory, so the rename is atomic: the site build never sees half a
    file, even if this process is killed mid-write.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)  # mkstemp makes 0600; what fetch writes is public data
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise
