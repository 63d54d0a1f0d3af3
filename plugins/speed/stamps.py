"""The inputs a build declared (ambassade.inputs), stamped before it reads them, and what changed since.

A file's stamp is its size, modification time and inode (None when it does not
exist: its creation is a change); a folder's is the sorted list of its names,
so that a file added beside an article or a profile counts even if the build
only checked that it exists. Stamps are taken once every plugin has declared
what it reads and before anything is read (quick.py): a file saved while the
build reads it counts as changed for the next. Paths under the output, the
folder being built and the cache are never inputs.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from ambassade.inputs import Input, covers

Stamp = tuple[int, int, int]


def file_stamp(path: str) -> Stamp | None:
    """A file's stamp now: (size, modification time, inode), or None if it is gone."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ino)


def _listing(path: str) -> tuple[str, ...] | None:
    try:
        return tuple(sorted(os.listdir(path)))
    except OSError:
        return None


@dataclass
class Stamps:
    files: dict[str, Stamp | None] = field(default_factory=dict)
    folders: dict[str, tuple[str, ...] | None] = field(default_factory=dict)
    text_readers: list[Input] = field(default_factory=list)
    """Declarations of plugins that read the text of the sources under them themselves."""
    skip: tuple[str, ...] = ()

    def add(self, declarations: list[Input]) -> None:
        """Stamp what ``declarations`` name, as it is now (what is stamped already is kept)."""
        for item in declarations:
            if item.path is None:
                continue
            if item.reads_text:
                self.text_readers.append(item)
            if item.kind == "file":
                self.files.setdefault(item.path, file_stamp(item.path))
            elif not self._skipped(item.path) and item.path not in self.folders:
                self._tree(item.path)

    def _tree(self, root: str) -> None:
        self.folders[root] = _listing(root)
        for folder, dirs, files in os.walk(root, followlinks=True):
            # Python writes __pycache__ itself, at any time.
            dirs[:] = [d for d in dirs if d != "__pycache__" and not self._skipped(os.path.join(folder, d))]
            self.folders.setdefault(folder, _listing(folder))
            for name in files:
                path = os.path.join(folder, name)
                self.files.setdefault(path, file_stamp(path))

    def _skipped(self, path: str) -> bool:
        return os.path.join(path, "").startswith(self.skip)

    def changed(self) -> tuple[set[str], bool]:
        """The files whose stamp changed, and whether any folder changed (a name added or removed)."""
        files = {path for path, stamp in self.files.items() if file_stamp(path) != stamp}
        folders = any(_listing(path) != listing for path, listing in self.folders.items())
        return files, folders

    def read_as_text(self, path: str) -> bool:
        """True when a plugin reads the text of ``path`` itself (not only through content objects)."""
        return any(covers(item, path) for item in self.text_readers)

    def update(self, stamps: dict[str, Stamp | None]) -> None:
        """Files read again (quick.py), as they were when read."""
        self.files.update(stamps)


def skipping(folders: list[str]) -> tuple[str, ...]:
    """Prefixes of the paths that are never inputs: the output, the folder being built, the cache."""
    return tuple(os.path.join(os.path.abspath(p), "") for p in folders if p)
