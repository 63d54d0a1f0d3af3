"""The last good posts of each expert's feeds, one JSON file per expert.

The site is built from these snapshots, never from the network, so a build
is reproducible and a feed that is down keeps showing its last good posts.
The files are meant to be committed: a fetch that brought nothing new must
leave every byte unchanged, failures included. So a snapshot holds posts and
nothing of the feeds' health: validators, errors and times are kept by
health.py, in a file that is not committed.

Format of ``<SITE["social_path"]>/<slug>.json`` (keys sorted, 2-space indent,
UTF-8 without escapes, trailing newline)::

    {"expert": "claire-martin",
     "feeds": {"<feed url>": {"network": "mastodon"}},   # x | mastodon | bluesky | feed
     "posts": [{"feed": "<feed url>", "network": "mastodon", "id": "...",
                "url": "https://...",        # the post; for a share, the original
                "date": "2026-11-20T08:00:00Z",  # published, or shared for a share
                "html": "<p>...</p>",        # sanitized by sanitize.clean_html
                "repost": false,
                "original": {"name": "...", "url": "https://..."},   # a share: whose post
                "reply_to": {"name": "@x@host", "url": "https://..."},  # a reply: to whom
                "images": [{"src": "https://...", "alt": "...",      # where it came from,
                            "file": "<digest>.webp", "width": 800, "height": 600}]}]}
                                             # newest first, then by id, then feed

``original``, ``reply_to`` and ``images`` are there only when the post has them.

Merge rules, per feed of the expert's current profile:

* 200: the fetched posts replace the feed's posts with the same id; older
  stored posts are kept, but stored posts as recent as the oldest fetched
  one and absent from the response were deleted or hidden by their author,
  and are dropped (an empty feed drops them all), and so are those the feed
  says were deleted (Atom activity streams).
* 304 or failure: posts kept untouched.

Then all posts are sorted and capped to ``posts_per_expert``. Feeds no
longer in the profile disappear with their posts.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path
from typing import Any

from .entries import Image
from .fetch import FeedResult, FeedState
from .files import replace_atomically


def feed_states(snapshot: Mapping[str, Any], health: Mapping[str, Any]) -> dict[str, FeedState]:
    """Per feed URL, what the next fetch needs: validators from ``health``, posts and images from
    ``snapshot``."""
    states = {}
    for url, feed in snapshot["feeds"].items():
        # Snapshots written before health.py held the validators themselves.
        known = health.get(url) or feed
        posts = [post for post in snapshot["posts"] if post["feed"] == url]
        states[url] = FeedState(
            etag=known.get("etag"),
            last_modified=known.get("last_modified"),
            known_ids=frozenset(post["id"] for post in posts),
            images={
                image["src"]: Image(
                    image["src"], image.get("alt"), image.get("file"), image.get("width"), image.get("height")
                )
                for post in posts
                for image in post.get("images") or []
                if image.get("src") and image.get("file")
            },
        )
    return states


def merge_snapshot(
    previous: Mapping[str, Any],
    expert: str,
    results: Sequence[FeedResult],
    *,
    limit: int,
) -> dict[str, Any]:
    """The new snapshot of ``expert`` after ``results`` (one per current feed); see module doc."""
    old_posts = _by_feed(previous["posts"])
    feeds: dict[str, dict[str, Any]] = {}
    candidates: list[dict[str, Any]] = []
    for result in results:
        kept = old_posts.get(result.url, [])
        feeds[result.url] = {"network": result.source.network}
        candidates += _merge_feed_posts(kept, result) if result.status == "ok" else kept
    return {"expert": expert, "feeds": feeds, "posts": _sorted_posts(candidates)[:limit]}


def new_posts(previous: Mapping[str, Any], snapshot: Mapping[str, Any]) -> dict[str, int]:
    """Per feed URL, the posts of ``snapshot`` that ``previous`` did not have (what the cap dropped
    is not counted)."""
    known = {(post["feed"], post["id"]) for post in previous["posts"]}
    counts: dict[str, int] = {}
    for post in snapshot["posts"]:
        if (post["feed"], post["id"]) not in known:
            counts[post["feed"]] = counts.get(post["feed"], 0) + 1
    return counts


def image_files(snapshot: Mapping[str, Any]) -> set[str]:
    """The image files the posts of ``snapshot`` show."""
    return {
        image["file"]
        for post in snapshot.get("posts", [])
        if isinstance(post, dict)
        for image in post.get("images") or []
        if isinstance(image, dict) and isinstance(image.get("file"), str)
    }


def write_snapshot(path: Path, snapshot: Mapping[str, Any]) -> bool:
    """Write ``snapshot`` (or any JSON) atomically unless the file holds these bytes; True if written."""
    data = (json.dumps(snapshot, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    replace_atomically(path, data)
    return True


def remove_snapshots_except(directory: Path, keep: Collection[str]) -> list[str]:
    """Delete snapshots of experts not in ``keep`` (opted out, or profile deleted); their slugs."""
    removed = []
    for path in sorted(directory.glob("*.json")):
        if path.stem not in keep:
            path.unlink()
            removed.append(path.stem)
    return removed


def _merge_feed_posts(kept: list[dict[str, Any]], result: FeedResult) -> list[dict[str, Any]]:
    fetched: dict[str, dict[str, Any]] = {}
    for post in result.posts:
        fetched.setdefault(post.id, post.as_snapshot())  # a feed repeating an id: first wins
    oldest = min((post["date"] for post in fetched.values()), default=None)
    older = [
        post
        for post in kept
        if post["id"] not in fetched
        and post["id"] not in result.deleted
        and oldest is not None
        and post["date"] < oldest
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
