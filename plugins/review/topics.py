"""The review report's entries for the topic vocabulary: each topic a branch adds, changes or removes.

A new topic is a new page and a new word of the site's language: comms sees it
named, with its line in ``content/topics.yml``, beside the articles and
profiles of the branch.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ambassade.diagnostics import display_path
from ambassade.git import Change, Changes
from ambassade.site import topics_path


def is_vocabulary(path: Path, settings: dict) -> bool:
    return path.resolve() == topics_path(settings).resolve()


def topic_changes(change: Change, changes: Changes, root: Path, context: dict[str, Any]) -> list[tuple]:
    """``(status, shown path with the topic's line, name, page URL or None)`` for every topic added,
    modified or deleted in the vocabulary file ``change`` names."""
    before = _topics(changes.text_at_base(change.path) if change.status != "added" else None)
    after = _topics(_read(change.path) if change.status != "deleted" else None)
    pages = {t.slug: t for t in context.get("topics", [])}
    shown = display_path(change.path, root)
    out = []
    for slug in sorted(before.keys() | after.keys(), key=lambda s: (after.get(s) or before[s])[0]):
        if slug in before and slug in after and before[slug][1] == after[slug][1]:
            continue
        status = "added" if slug not in before else "deleted" if slug not in after else "modified"
        line, entry = after.get(slug) or before[slug]
        name = _name(entry) or slug
        page = pages.get(slug) if status != "deleted" else None
        out.append((status, f"{shown}:{line}", name, page.url if page else None))
    return out


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return None


def _topics(text: str | None) -> dict[str, tuple[int, Any]]:
    """Each topic of a vocabulary's text: its line and what it says. Nothing when it cannot be read
    (the rules report why)."""
    if not text:
        return {}
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return {}
    if not isinstance(root, yaml.MappingNode) or not isinstance(data, dict):
        return {}
    lines = {key.value: key.start_mark.line + 1 for key, _ in root.value}
    return {str(slug): (lines.get(str(slug), 1), entry) for slug, entry in data.items()}


def _name(entry: Any) -> str:
    name = entry.get("name") if isinstance(entry, dict) else None
    if isinstance(name, dict):
        return " / ".join(str(v) for v in name.values())
    return str(name or "")
