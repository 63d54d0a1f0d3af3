"""Reading the snapshots of experts' public posts (``data/social/<slug>.json``).

The social plugin's fetch writes them (its ``snapshot`` module documents the
format and the merge rules); the build reads them: the social plugin to show
posts, the advocacy plugin to count them. Both read through this module.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from . import sources
from .diagnostics import Finding, display_path
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
        data = json.loads(text.removeprefix("\ufeff"))
    except (ValueError, RecursionError) as error:
        raise SnapshotError(path, _("not JSON (%(error)s)", error=error)) from None
    problems = shape_problems(data)
    if problems:
        raise SnapshotError(path, _("not a social snapshot: %(why)s", why=problems[0][0]))
    return data


#: A post's keys and the types they must have (``date`` must be an ISO 8601 date too).
POST_FIELDS: dict[str, tuple[type, ...]] = {
    "feed": (str,),
    "id": (str,),
    "date": (str,),
    "url": (str,),
    "html": (str,),
    "network": (str,),
    "repost": (bool,),
}
REQUIRED_POST_FIELDS = ("feed", "id", "date")


def shape_problems(data: Any) -> list[tuple[str, tuple[Any, ...]]]:
    """What makes ``data`` (parsed JSON) not a snapshot: (what, the path of keys to it), in order.

    Everything the build reads of a post is checked, so that a hand-edited or
    truncated snapshot is reported where it is wrong rather than stopping the build.
    """
    if not isinstance(data, dict):
        return [(_("the file is not a JSON object"), ())]
    out: list[tuple[str, tuple[Any, ...]]] = []
    if not isinstance(data.get("feeds"), dict):
        out.append((_("'feeds' must be an object of feeds by URL"), ("feeds",)))
    posts = data.get("posts")
    if not isinstance(posts, list):
        return [*out, (_("'posts' must be a list of posts"), ("posts",))]
    for index, post in enumerate(posts):
        if not isinstance(post, dict):
            out.append((_("a post must be a JSON object"), ("posts", index)))
            continue
        for key in REQUIRED_POST_FIELDS:
            if key not in post:
                out.append((_("the post has no '%(key)s'", key=key), ("posts", index)))
        for key, types in POST_FIELDS.items():
            # No field the build reads may be null: every one is text (or a yes/no) when written.
            if key in post and not isinstance(post[key], types):
                out.append(
                    (
                        _("the post's '%(key)s' must be %(type)s", key=key, type=_type_name(types)),
                        ("posts", index, key),
                    )
                )
        if isinstance(post.get("date"), str):
            try:
                post_date(post).astimezone(UTC)
            except (ValueError, OverflowError):
                why = _("the post's date '%(value)s' is not an ISO 8601 date", value=post["date"][:40])
                out.append((why, ("posts", index, "date")))
    return out


def _type_name(types: tuple[type, ...]) -> str:
    return {str: _("a text"), bool: _("true or false")}.get(types[0], types[0].__name__)


def snapshot_findings(directory: Path, slugs: list[str], root: Path | None = None) -> list[Finding]:
    """Every snapshot of ``slugs`` that the build could not read, each problem at its line."""
    out: list[Finding] = []
    for slug in sorted(slugs):
        path = snapshot_path(directory, slug)
        if not path.is_file():
            continue
        shown = display_path(path, root)
        text, problems = sources.read_text(path, shown, sources.SNAPSHOT)
        if text is None:
            out += problems
            continue
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            out.append(
                Finding(shown, exc.lineno, exc.colno, RULE, _("not JSON: %(why)s", why=exc.msg), _fix())
            )
            continue
        except (ValueError, RecursionError) as exc:
            out.append(Finding(shown, 1, 1, RULE, _("not JSON: %(why)s", why=str(exc)[:100]), _fix()))
            continue
        for what, keys in shape_problems(data):
            line, col = _position(text, data, keys)
            out.append(Finding(shown, line, col, RULE, what, _fix()))
    return out


RULE = "snapshot"


def _fix() -> str:
    return _("a snapshot as `invoke fetch` writes it: fetch again, or restore the file from git")


def _position(text: str, data: Any, keys: tuple[Any, ...]) -> tuple[int, int]:
    """Where the value at ``keys`` is written, found by the post's id (then its key) in the text."""
    offset = 0
    if len(keys) >= 2 and keys[0] == "posts":
        post = data["posts"][keys[1]]
        if isinstance(post, dict) and isinstance(post.get("id"), str):
            found = text.find(json.dumps(post["id"], ensure_ascii=False))
            if found < 0:
                found = text.find(json.dumps(post["id"]))
            offset = max(found, 0)
        if len(keys) >= 3:
            found = text.find(json.dumps(keys[2]), offset)
            if found < 0:
                found = text.rfind(json.dumps(keys[2]), 0, offset)
            offset = max(found, 0) if found >= 0 else offset
    elif keys:
        offset = max(text.find(json.dumps(keys[0])), 0)
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1
