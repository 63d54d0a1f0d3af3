"""How each feed is doing: its validators, when it last answered, since when it fails and why.

fetch needs this from one run to the next (conditional requests, "failing for
15 days"), but it is not content: kept in the snapshots, it made every
scheduled refresh commit a change even when no post arrived, and a failing
feed changed its file every day. It lives in one JSON file per site
(``SOCIAL["health_path"]``, under cache/ by default), which the repository
ignores and the refresh workflow carries from run to run in its cache.

Format: ``{"<expert>": {"<feed url>": {"etag", "last_modified", "last_success",
"failing_since", "last_error"}}}``. A missing or unreadable file is an empty
one: the next fetch is then unconditional, nothing more. It is written like
a snapshot (snapshot.write_snapshot), whole or not at all.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from .fetch import FeedResult

_TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


@dataclass(frozen=True)
class StaleFeed:
    """A feed that has been failing for longer than ``stale_days``."""

    expert: str
    url: str
    failing_since: str
    days: int
    last_error: str | None


def load_health(path: Path) -> dict[str, dict[str, dict[str, Any]]]:
    """The health kept at ``path``, or an empty one."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def update_health(
    before: Mapping[str, Mapping[str, Any]], results: Sequence[FeedResult], now: datetime
) -> dict[str, dict[str, Any]]:
    """One expert's feeds after ``results``: validators of a 200, failure streaks, last success."""
    stamp = now.astimezone(UTC).strftime(_TIME_FORMAT)
    out = {}
    for result in results:
        old = before.get(result.url) or {}
        entry = {
            "etag": old.get("etag"),
            "last_modified": old.get("last_modified"),
            "last_success": old.get("last_success"),
            "failing_since": None,
            "last_error": None,
        }
        if result.status == "failed":
            entry.update(failing_since=old.get("failing_since") or stamp, last_error=result.error)
        else:
            entry["last_success"] = stamp
            if result.status == "ok":
                entry.update(etag=result.etag, last_modified=result.last_modified)
        out[result.url] = entry
    return out


def stale_feeds(
    expert: str, feeds: Mapping[str, Mapping[str, Any]], now: datetime, stale_days: int
) -> list[StaleFeed]:
    """Feeds of ``expert`` failing for more than ``stale_days`` days, oldest failure first."""
    stale = []
    for url, feed in feeds.items():
        since = feed.get("failing_since")
        if since is None:
            continue
        age = now - datetime.strptime(since, _TIME_FORMAT).replace(tzinfo=UTC)
        if age > timedelta(days=stale_days):
            stale.append(StaleFeed(expert, url, since, age.days, feed.get("last_error")))
    return sorted(stale, key=lambda feed: (feed.failing_since, feed.url))
