"""Files a build makes once and keeps: named by a digest of their inputs, linked into each output.

Re-encoding a photo or drawing a link-preview card takes far longer than
copying it, and gives the same bytes for the same inputs. So each is made
once, under ``CACHE_PATH/<kind>/``, in a file named after the digest of
everything it was made from (the source's bytes, its texts, the fonts, the
version of the code that made it), and every build links it into its output.
A change to any input is another name: nothing is ever stale, nothing needs
invalidating, and removing the cache only costs the time to make it again.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

# Digests of source files already read in this process, by their stamp: a rebuild
# reads each photo's bytes again only when the file changed.
_digests: dict[tuple[str, int, int, int], str] = {}


def digest(*parts: Any) -> str:
    """A hex digest of ``parts``: bytes as they are, anything else by its ``repr``."""
    h = hashlib.sha256()
    for part in parts:
        data = part if isinstance(part, bytes) else repr(part).encode("utf-8")
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def file_digest(path: Path) -> str:
    """The digest of a file's bytes, read (with ``open``: the build notes it as an input) once per version."""
    st = os.stat(path)
    key = (os.fspath(path), st.st_size, st.st_mtime_ns, st.st_ino)
    found = _digests.get(key)
    if found is None:
        with open(path, "rb") as fh:
            found = hashlib.file_digest(fh, "sha256").hexdigest()
        if len(_digests) > 100_000:
            _digests.clear()
        _digests[key] = found
    return found


class Store:
    """The files of one kind (``photos``, ``cards``, ``qr``) under the cache folder."""

    def __init__(self, cache_path: str | os.PathLike, kind: str) -> None:
        self.root = Path(cache_path).resolve() / "ambassade" / kind
        self._root = str(self.root)

    def path(self, key: str, name: str) -> Path:
        return Path(self._name(key, name))

    def _name(self, key: str, name: str) -> str:
        # Strings, not paths: a build asks for every photo's and card's file, thousands at a time.
        return f"{self._root}/{key[:2]}/{key}/{name}"

    def has(self, key: str, *names: str) -> bool:
        return all(os.path.isfile(self._name(key, name)) for name in names)

    def put(self, key: str, files: dict[str, bytes]) -> None:
        """Keep ``files`` under ``key``, each written whole or not at all (two builds may make the same)."""
        folder = self.path(key, "x").parent
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in files.items():
            fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}.")
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
                os.replace(tmp, folder / name)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise

    def read(self, key: str, name: str) -> bytes:
        return self.path(key, name).read_bytes()

    def link(self, key: str, name: str, dest: Path) -> None:
        """Put the kept file at ``dest`` in an output: a hard link (no copy), else a copy."""
        place(self._name(key, name), dest)


def place(source: str | os.PathLike, dest: str | os.PathLike) -> None:
    """``source`` at ``dest``: hard-linked where the file system allows it, else copied."""
    # Tried first, as most often it just works: a quick rebuild places thousands of files.
    try:
        os.link(source, dest)
        return
    except FileExistsError:
        os.unlink(dest)
    except FileNotFoundError:
        if not os.path.exists(source):
            raise
        os.makedirs(os.path.dirname(dest), exist_ok=True)
    except OSError:
        pass
    try:
        os.link(source, dest)
    except OSError:  # another file system, or one without hard links
        shutil.copyfile(source, dest)
