"""Reading the snapshots of experts' public posts (``data/social/<slug>.json``).

The social plugin's fetch writes them (its ``snapshot`` module documents the
format and the merge rules); the build reads them: the social plugin to show
posts, the advocacy plugin to count them. Both read through this module.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from .i18n import _


class SnapshotError(ValueError):
    """A snapshot file exists but is not a snapshot: ``path`` and what is wrong (``what``)."""

    def __init__(self, path: Path | str, what: str) -> None:
        super().__init__(f"{path}: {what}")
        self.path, self.what = Path(path), what


def snapshot_path(directory: Path, slug: str) -> Path:
    """Where the snapshot of expert ``slug`` lives."""
    return directory / f"{slug}.json"


def post_date(post: Mapping[str, Any]) -> datetime:
    """When ``post`` was published (its ``date``, ISO 8601; a trailing "Z" is UTC)."""
    return datetime.fromisoformat(post["date"].replace("Z", "+00:00"))


def load_snapshot(path: Path, text: str | None = None) -> dict[str, Any]:
    """The snapshot at ``path`` (whose ``text`` may be read already); an empty one if the file does not exist.

    Raises :class:`SnapshotError` if the file is not a snapshot.
    """
    if text is None:
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {"expert": path.stem, "feeds": {}, "posts": []}
    try:
        data = json.loads(text)
    except ValueError as error:
        raise SnapshotError(path, _("not JSON (%(error)s)", error=error)) from None
    if not (
        isinstance(data, dict)
        and isinstance(data.get("feeds"), dict)
        and isinstance(data.get("posts"), list)
        and all(isinstance(post, dict) and {"feed", "id", "date"} <= post.keys() for post in data["posts"])
    ):
        raise SnapshotError(path, _("not a social snapshot"))
    return data
