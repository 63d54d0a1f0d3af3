"""The last good state of each expert's feeds, one JSON file per expert.

The site is built from these snapshots, never from the network, so a build
is reproducible and a feed that is down keeps showing its last good posts.
The files are meant to be committed: a fetch that brought nothing new must
leave every byte unchanged, hence no "fetched at" timestamps.

Format of ``<SITE["social_path"]>/<slug>.json`` (keys sorted, 2-space indent,
UTF-8 without escapes, trailing newline)::

    {"expert": "claire-martin",
     "feeds": {"<feed url>": {
         "network": "mastodon",          # x | mastodon | bluesky | feed
         "etag": "W/\\"abc\\"",           # validators exactly as the server sent them,
         "last_modified": "Fri, ...",    #   or null; replayed for a conditional GET
         "last_success": "2026-11-27T10:00:00Z",  # last time a successful fetch
                                         #   (200 or 304) *changed* this feed's entry or posts
         "failing_since": null,          # first failure of the current failing streak
         "last_error": null}},           # why the last fetch failed, in words
     "posts": [{"feed": "<feed url>", "network": "mastodon", "id": "...",
                "url": "https://...", "date": "2026-11-20T08:00:00Z",
                "html": "<p>...</p>",    # sanitized by sanitize.clean_html
                "repost": false}]}       # newest first, then by id, then feed

Merge rules, per feed of the expert's current profile:

* 200: the fetched posts replace the feed's posts with the same id; older
  stored posts are kept, but stored posts as recent as the oldest fetched
  one and absent from the response were deleted or hidden by their author,
  and are dropped (an empty feed drops them all).
* 304: posts and validators kept.
* failure: posts and validators kept untouched, ``last_error`` recorded,
  ``failing_since`` kept from the first failure of the streak.

Then all posts are sorted and capped to ``posts_per_expert``. Feeds no
longer in the profile disappear with their posts.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from .fetch import FeedResult, FeedState

_TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


@dataclass(frozen=True)
class StaleFeed:
    """A feed that has been failing for longer than ``stale_days``."""

    expert: str
    url: str
    failing_since: str
    days: int
    last_error: str | None


def feed_states(snapshot: Mapping[str, Any]) -> dict[str, FeedState]:
    """Per feed URL, what the next fetch needs from this snapshot."""
    states = {}
    for url, feed in snapshot["feeds"].items():
        states[url] = FeedState(
            etag=feed.get("etag"),
            last_modified=feed.get("last_modified"),
            known_ids=frozenset(post["id"] for post in snapshot["posts"] if post["feed"] == url),
        )
    return states


def merge_snapshot(
    previous: Mapping[str, Any],
    expert: str,
    results: Sequence[FeedResult],
    *,
    now: datetime,
    limit: int,
) -> dict[str, Any]:
    """The new snapshot of ``expert`` after ``results`` (one per current feed); see module doc."""
    old_feeds = previous["feeds"]
    old_posts = _by_feed(previous["posts"])
    stamp = now.astimezone(UTC).strftime(_TIME_FORMAT)

    feeds: dict[str, dict[str, Any]] = {}
    candidates: list[dict[str, Any]] = []
    for result in results:
        before = old_feeds.get(result.url, {})
        kept = old_posts.get(result.url, [])
        feeds[result.url] = _feed_entry(result, before, stamp)
        candidates += _merge_feed_posts(kept, result) if result.status == "ok" else kept

    posts = _sorted_posts(candidates)[:limit]
    new_posts = _by_feed(posts)
    for result in results:
        url = result.url
        entry, before = feeds[url], old_feeds.get(url, {})
        changed = _without_stamp(entry) != _without_stamp(before) or new_posts.get(url) != old_posts.get(url)
        # Only a change earns a new timestamp: an idle feed leaves the file byte-identical.
        if result.status != "failed" and changed:
            entry["last_success"] = stamp
    return {"expert": expert, "feeds": feeds, "posts": posts}


def write_snapshot(path: Path, snapshot: Mapping[str, Any]) -> bool:
    """Write ``snapshot`` atomically unless the file already holds these bytes; True if written."""
    data = (json.dumps(snapshot, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    # Same directory, so os.replace is an atomic rename: the site build never
    # sees half a file, even if this process is killed mid-write.
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)  # mkstemp makes 0600; snapshots are public data
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise
    return True


def remove_snapshots_except(directory: Path, keep: Collection[str]) -> list[str]:
    """Delete snapshots of experts not in ``keep`` (opted out, or profile deleted); their slugs."""
    removed = []
    for path in sorted(directory.glob("*.json")):
        if path.stem not in keep:
            path.unlink()
            removed.append(path.stem)
    return removed


def stale_feeds(snapshot: Mapping[str, Any], now: datetime, stale_days: int) -> list[StaleFeed]:
    """Feeds of ``snapshot`` failing for more than ``stale_days`` days, oldest failure first."""
    stale = []
    for url, feed in snapshot["feeds"].items():
        since = feed.get("failing_since")
        if since is None:
            continue
        age = now - datetime.strptime(since, _TIME_FORMAT).replace(tzinfo=UTC)
        if age > timedelta(days=stale_days):
            stale.append(StaleFeed(snapshot["expert"], url, since, age.days, feed.get("last_error")))
    return sorted(stale, key=lambda feed: (feed.failing_since, feed.url))


def _feed_entry(result: FeedResult, before: Mapping[str, Any], stamp: str) -> dict[str, Any]:
    entry = {
        "network": result.source.network,
        "etag": before.get("etag"),
        "last_modified": before.get("last_modified"),
        "last_success": before.get("last_success"),
        "failing_since": None,
        "last_error": None,
    }
    if result.status == "ok":
        entry.update(etag=result.etag, last_modified=result.last_modified)
    elif result.status == "failed":
        entry.update(failing_since=before.get("failing_since") or stamp, last_error=result.error)
    return entry


def _merge_feed_posts(kept: list[dict[str, Any]], result: FeedResult) -> list[dict[str, Any]]:
    fetched: dict[str, dict[str, Any]] = {}
    for post in result.posts:
        fetched.setdefault(post.id, post.as_snapshot())  # a feed repeating an id: first wins
    oldest = min((post["date"] for post in fetched.values()), default=None)
    older = [
        post for post in kept if post["id"] not in fetched and oldest is not None and post["date"] < oldest
    ]
    return [*fetched.values(), *older]


def _sorted_posts(posts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    # Two stable sorts: newest first, ties by id then feed, so the order
    # never depends on fetch timing.
    ordered = sorted(posts, key=lambda post: (post["id"], post["feed"]))
    return sorted(ordered, key=lambda post: post["date"], reverse=True)


def _by_feed(posts: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = {}
    for post in posts:
        grouped.setdefault(post["feed"], []).append(post)
    return grouped


def _without_stamp(entry: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in entry.items() if key != "last_success"}
