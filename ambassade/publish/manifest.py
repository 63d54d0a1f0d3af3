"""What a site is made of: its files and their content hashes, and what changed between two.

Targets compare the new site with the live one by content (never by date:
every build rewrites every file), to deploy only what changed and to say so.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from ambassade.i18n import ngettext

Manifest = dict[str, str]
"""Path relative to the site's root (``/``-separated) → hex digest of the content."""


def files(root: Path) -> Iterator[tuple[str, Path]]:
    """Every regular file under ``root``, as (relative path, path), in a stable order."""
    for folder, dirs, names in os.walk(root):
        dirs.sort()
        for name in sorted(names):
            path = Path(folder, name)
            if path.is_file() and not path.is_symlink():
                yield path.relative_to(root).as_posix(), path


def digest(path: Path, algorithm: str = "sha256") -> str:
    with path.open("rb") as f:
        return hashlib.file_digest(f, algorithm).hexdigest()


def scan(root: Path, algorithm: str = "sha256") -> Manifest:
    return {rel: digest(path, algorithm) for rel, path in files(root)}


def tree_hash(root: Path) -> str:
    """One hash of a whole tree, names and contents: equal trees, equal hashes."""
    h = hashlib.sha256()
    for rel, sha in scan(root).items():
        h.update(f"{sha}  {rel}\n".encode())
    return h.hexdigest()


@dataclass(frozen=True)
class Changes:
    """What deploying a site changes on a destination."""

    added: tuple[str, ...]
    changed: tuple[str, ...]
    removed: tuple[str, ...]
    total: int
    """Files of the new site."""

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.removed)

    def summary(self) -> str:
        """``8 files: 1 added, 1 changed, 1 removed``, in the tools' language."""
        return ngettext(
            "%(num)s file: %(added)s added, %(changed)s changed, %(removed)s removed",
            "%(num)s files: %(added)s added, %(changed)s changed, %(removed)s removed",
            self.total,
            added=len(self.added),
            changed=len(self.changed),
            removed=len(self.removed),
        )


def compare(live: Mapping[str, str], new: Mapping[str, str]) -> Changes:
    """The changes from ``live`` to ``new``, two manifests of the same hash algorithm."""
    return Changes(
        added=tuple(sorted(set(new) - set(live))),
        changed=tuple(sorted(rel for rel in set(new) & set(live) if new[rel] != live[rel])),
        removed=tuple(sorted(set(live) - set(new))),
        total=len(new),
    )
