"""Merge rules and file format of snapshots, on hand-made fetch results."""

from __future__ import annotations

import json
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from ambassade.snapshots import SnapshotError, load_snapshot
from plugins.social.entries import Post
from plugins.social.fetch import FeedResult
from plugins.social.snapshot import (
    feed_states,
    merge_snapshot,
    remove_snapshots_except,
    stale_feeds,
    write_snapshot,
)
from plugins.social.sources import FeedSource

NOW = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)
MASTODON = FeedSource("claire-martin", "https://mastodon.example/@claire.rss", "mastodon")
BLOG = FeedSource("claire-martin", "https://claire.example/feed.atom", "feed")
EMPTY: dict[str, Any] = {"expert": "claire-martin", "feeds": {}, "posts": []}


def post(source: FeedSource, number: int, day: int, html: str = "<p>x</p>") -> Post:
    return Post(
        expert=source.expert,
        feed=source.url,
        network=source.network,
        id=f"{source.url}#{number}",
        url=f"https://posts.example/{number}",
        date=f"2026-11-{day:02d}T08:00:00Z",
        html=html,
        repost=False,
    )


def ok(source: FeedSource, *posts: Post, etag: str | None = '"v1"') -> FeedResult:
    return FeedResult(source, "ok", new_posts=len(posts), etag=etag, last_modified=None, posts=posts)


def merge(
    previous: dict[str, Any], *results: FeedResult, now: datetime = NOW, limit: int = 40
) -> dict[str, Any]:
    return merge_snapshot(previous, "claire-martin", list(results), now=now, limit=limit)


def ids(snapshot: dict[str, Any]) -> list[str]:
    return [p["id"] for p in snapshot["posts"]]


def test_first_success_records_posts_validators_and_time() -> None:
    snapshot = merge(EMPTY, ok(MASTODON, post(MASTODON, 1, 20), post(MASTODON, 2, 21)))
    assert ids(snapshot) == [f"{MASTODON.url}#2", f"{MASTODON.url}#1"]
    assert snapshot["feeds"][MASTODON.url] == {
        "network": "mastodon",
        "etag": '"v1"',
        "last_modified": None,
        "last_success": "2026-11-27T10:00:00Z",
        "failing_since": None,
        "last_error": None,
    }
    assert snapshot["posts"][0] == {
        "feed": MASTODON.url,
        "network": "mastodon",
        "id": f"{MASTODON.url}#2",
        "url": "https://posts.example/2",
        "date": "2026-11-21T08:00:00Z",
        "html": "<p>x</p>",
        "repost": False,
    }


def test_new_posts_merge_with_older_ones_and_edits_win() -> None:
    first = merge(EMPTY, ok(MASTODON, post(MASTODON, 1, 18), post(MASTODON, 2, 20)))
    # The feed now only lists its two newest posts; #1 fell off its end.
    second = merge(first, ok(MASTODON, post(MASTODON, 2, 20, "<p>edited</p>"), post(MASTODON, 3, 22)))
    assert ids(second) == [f"{MASTODON.url}#3", f"{MASTODON.url}#2", f"{MASTODON.url}#1"]
    assert second["posts"][1]["html"] == "<p>edited</p>"


def test_posts_deleted_upstream_are_dropped() -> None:
    first = merge(EMPTY, ok(MASTODON, post(MASTODON, 1, 18), post(MASTODON, 2, 20), post(MASTODON, 3, 22)))
    # #2 is as recent as what the feed still lists, yet missing: deleted.
    second = merge(first, ok(MASTODON, post(MASTODON, 1, 18), post(MASTODON, 3, 22)))
    assert ids(second) == [f"{MASTODON.url}#3", f"{MASTODON.url}#1"]
    assert merge(second, ok(MASTODON))["posts"] == []


def test_failure_keeps_posts_and_validators_and_first_failure_time() -> None:
    first = merge(EMPTY, ok(MASTODON, post(MASTODON, 1, 20)))
    failed = FeedResult(MASTODON, "failed", error="HTTP 500")
    second = merge(first, failed, now=NOW + timedelta(days=1))
    third = merge(second, FeedResult(MASTODON, "failed", error="timed out"), now=NOW + timedelta(days=2))
    assert third["posts"] == first["posts"]
    feed = third["feeds"][MASTODON.url]
    assert (feed["etag"], feed["last_success"]) == ('"v1"', "2026-11-27T10:00:00Z")
    assert (feed["failing_since"], feed["last_error"]) == ("2026-11-28T10:00:00Z", "timed out")


def test_not_modified_keeps_everything_byte_for_byte() -> None:
    first = merge(EMPTY, ok(MASTODON, post(MASTODON, 1, 20)))
    assert merge(first, FeedResult(MASTODON, "not-modified"), now=NOW + timedelta(days=3)) == first


def test_unchanged_200_keeps_the_old_success_time() -> None:
    first = merge(EMPTY, ok(MASTODON, post(MASTODON, 1, 20)))
    assert merge(first, ok(MASTODON, post(MASTODON, 1, 20)), now=NOW + timedelta(days=3)) == first


def test_recovery_clears_the_failure() -> None:
    first = merge(EMPTY, ok(MASTODON, post(MASTODON, 1, 20)))
    failing = merge(first, FeedResult(MASTODON, "failed", error="HTTP 500"), now=NOW + timedelta(days=1))
    recovered = merge(failing, FeedResult(MASTODON, "not-modified"), now=NOW + timedelta(days=2))
    feed = recovered["feeds"][MASTODON.url]
    assert (feed["failing_since"], feed["last_error"]) == (None, None)
    assert feed["last_success"] == "2026-11-29T10:00:00Z"


def test_posts_are_capped_newest_first_across_feeds() -> None:
    snapshot = merge(
        EMPTY,
        ok(MASTODON, *(post(MASTODON, n, n) for n in range(1, 6))),
        ok(BLOG, *(post(BLOG, n, n) for n in range(1, 6))),
        limit=4,
    )
    assert [p["date"][:10] for p in snapshot["posts"]] == [
        "2026-11-05",
        "2026-11-05",
        "2026-11-04",
        "2026-11-04",
    ]
    # Same date: ordered by id, so the order never depends on fetch timing.
    assert snapshot["posts"][0]["feed"] == BLOG.url


def test_capped_snapshot_is_stable_on_refetch() -> None:
    result = ok(MASTODON, *(post(MASTODON, n, n) for n in range(1, 11)))
    first = merge(EMPTY, result, limit=4)
    assert merge(first, result, now=NOW + timedelta(days=1), limit=4) == first


def test_feeds_removed_from_the_profile_disappear_with_their_posts() -> None:
    first = merge(EMPTY, ok(MASTODON, post(MASTODON, 1, 20)), ok(BLOG, post(BLOG, 1, 21)))
    second = merge(first, FeedResult(MASTODON, "not-modified"))
    assert list(second["feeds"]) == [MASTODON.url]
    assert ids(second) == [f"{MASTODON.url}#1"]


def test_feed_states_carry_validators_and_known_ids() -> None:
    snapshot = merge(EMPTY, ok(MASTODON, post(MASTODON, 1, 20), etag='W/"a b"'))
    state = feed_states(snapshot)[MASTODON.url]
    assert (state.etag, state.last_modified, state.known_ids) == (
        'W/"a b"',
        None,
        frozenset({f"{MASTODON.url}#1"}),
    )


def test_file_format_and_atomic_write(tmp_path: Path) -> None:
    path = tmp_path / "social" / "claire-martin.json"
    snapshot = merge(EMPTY, ok(MASTODON, post(MASTODON, 1, 20, "<p>L’été</p>")))
    assert write_snapshot(path, snapshot) is True
    text = path.read_text("utf-8")
    assert text == json.dumps(snapshot, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    assert "L’été" in text
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert [p.name for p in path.parent.iterdir()] == ["claire-martin.json"]  # no temp file left
    mtime = path.stat().st_mtime_ns
    assert write_snapshot(path, snapshot) is False
    assert path.stat().st_mtime_ns == mtime
    assert load_snapshot(path) == snapshot


def test_load_snapshot_tolerates_a_missing_file(tmp_path: Path) -> None:
    assert load_snapshot(tmp_path / "nobody.json") == {"expert": "nobody", "feeds": {}, "posts": []}


@pytest.mark.parametrize("content", ["{not json", "[]", '{"feeds": {}, "posts": [{"id": 1}]}'])
def test_load_snapshot_rejects_what_is_not_a_snapshot(tmp_path: Path, content: str) -> None:
    path = tmp_path / "claire-martin.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(SnapshotError):
        load_snapshot(path)


def test_remove_snapshots_except(tmp_path: Path) -> None:
    for slug in ("claire-martin", "paul-durand", "zoe"):
        (tmp_path / f"{slug}.json").write_text("{}", encoding="utf-8")
    assert remove_snapshots_except(tmp_path, {"claire-martin"}) == ["paul-durand", "zoe"]
    assert [p.name for p in tmp_path.iterdir()] == ["claire-martin.json"]


def test_stale_feeds() -> None:
    first = merge(EMPTY, ok(MASTODON, post(MASTODON, 1, 20)), ok(BLOG, post(BLOG, 1, 20)))
    failing = merge(first, FeedResult(MASTODON, "failed", error="HTTP 410"), FeedResult(BLOG, "not-modified"))
    assert stale_feeds(failing, NOW + timedelta(days=14), stale_days=14) == []
    (stale,) = stale_feeds(failing, NOW + timedelta(days=15), stale_days=14)
    assert (stale.expert, stale.url, stale.days, stale.last_error) == (
        "claire-martin",
        MASTODON.url,
        15,
        "HTTP 410",
    )
