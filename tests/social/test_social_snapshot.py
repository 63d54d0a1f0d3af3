"""Merge rules and file format of snapshots, and the feeds' health beside them, on hand-made
fetch results."""

from __future__ import annotations

import json
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from ambassade.snapshots import SnapshotError, load_snapshot
from plugins.social.entries import Image, Post
from plugins.social.fetch import FeedResult
from plugins.social.health import stale_feeds, update_health
from plugins.social.snapshot import (
    feed_states,
    merge_snapshot,
    new_posts,
    remove_snapshots_except,
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


def merge(previous: dict[str, Any], *results: FeedResult, limit: int = 40) -> dict[str, Any]:
    return merge_snapshot(previous, "claire-martin", list(results), limit=limit)


def health(before: dict[str, Any], *results: FeedResult, now: datetime = NOW) -> dict[str, Any]:
    return update_health(before, list(results), now)


def ids(snapshot: dict[str, Any]) -> list[str]:
    return [p["id"] for p in snapshot["posts"]]


def test_first_success_records_posts_and_only_posts() -> None:
    snapshot = merge(EMPTY, ok(MASTODON, post(MASTODON, 1, 20), post(MASTODON, 2, 21)))
    assert ids(snapshot) == [f"{MASTODON.url}#2", f"{MASTODON.url}#1"]
    # Validators, errors and times are health: kept apart, so that a quiet refresh changes no file.
    assert snapshot["feeds"][MASTODON.url] == {"network": "mastodon"}
    assert snapshot["posts"][0] == {
        "feed": MASTODON.url,
        "network": "mastodon",
        "id": f"{MASTODON.url}#2",
        "url": "https://posts.example/2",
        "date": "2026-11-21T08:00:00Z",
        "html": "<p>x</p>",
        "repost": False,
    }
    assert health({}, ok(MASTODON))[MASTODON.url] == {
        "etag": '"v1"',
        "last_modified": None,
        "last_success": "2026-11-27T10:00:00Z",
        "failing_since": None,
        "last_error": None,
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


def test_failure_keeps_posts_and_the_file_and_health_keeps_the_first_failure_time() -> None:
    first = merge(EMPTY, ok(MASTODON, post(MASTODON, 1, 20)))
    failed = FeedResult(MASTODON, "failed", error="HTTP 500")
    assert merge(first, failed) == first
    day0 = health({}, ok(MASTODON))
    day1 = health(day0, failed, now=NOW + timedelta(days=1))
    day2 = health(day1, FeedResult(MASTODON, "failed", error="timed out"), now=NOW + timedelta(days=2))
    feed = day2[MASTODON.url]
    assert (feed["etag"], feed["last_success"]) == ('"v1"', "2026-11-27T10:00:00Z")
    assert (feed["failing_since"], feed["last_error"]) == ("2026-11-28T10:00:00Z", "timed out")


def test_not_modified_keeps_everything_byte_for_byte() -> None:
    first = merge(EMPTY, ok(MASTODON, post(MASTODON, 1, 20)))
    assert merge(first, FeedResult(MASTODON, "not-modified")) == first


def test_unchanged_200_changes_nothing_and_counts_no_new_post() -> None:
    first = merge(EMPTY, ok(MASTODON, post(MASTODON, 1, 20)))
    again = merge(first, ok(MASTODON, post(MASTODON, 1, 20)))
    assert again == first
    assert new_posts(first, again) == {}


def test_new_posts_count_what_the_cap_kept() -> None:
    known = [post(MASTODON, n, n + 10) for n in range(1, 4)]
    first = merge(EMPTY, ok(MASTODON, *known), limit=3)
    # Six new posts, five of them older than those kept: the cap keeps one.
    backfill = [post(MASTODON, n, n - 3) for n in range(4, 9)]
    second = merge(first, ok(MASTODON, *known, *backfill, post(MASTODON, 9, 30)), limit=3)
    assert ids(second) == [f"{MASTODON.url}#9", f"{MASTODON.url}#3", f"{MASTODON.url}#2"]
    assert new_posts(first, second) == {MASTODON.url: 1}


def test_posts_the_feed_says_were_deleted_are_dropped() -> None:
    first = merge(EMPTY, ok(MASTODON, post(MASTODON, 1, 10), post(MASTODON, 2, 20)))
    deletion = FeedResult(
        MASTODON, "ok", posts=(post(MASTODON, 2, 20),), deleted=frozenset({f"{MASTODON.url}#1"})
    )
    assert ids(merge(first, deletion)) == [f"{MASTODON.url}#2"]


def test_recovery_clears_the_failure() -> None:
    failing = health({}, FeedResult(MASTODON, "failed", error="HTTP 500"), now=NOW + timedelta(days=1))
    recovered = health(failing, FeedResult(MASTODON, "not-modified"), now=NOW + timedelta(days=2))
    feed = recovered[MASTODON.url]
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
    assert merge(first, result, limit=4) == first


def test_feeds_removed_from_the_profile_disappear_with_their_posts() -> None:
    first = merge(EMPTY, ok(MASTODON, post(MASTODON, 1, 20)), ok(BLOG, post(BLOG, 1, 21)))
    second = merge(first, FeedResult(MASTODON, "not-modified"))
    assert list(second["feeds"]) == [MASTODON.url]
    assert ids(second) == [f"{MASTODON.url}#1"]


def test_feed_states_carry_validators_known_ids_and_kept_images() -> None:
    image = Image("https://files.example/1.png", "Un schéma", "0" * 32 + ".webp", 800, 600)
    pictured = Post(**{**vars(post(MASTODON, 1, 20)), "images": (image,)})
    result = ok(MASTODON, pictured, etag='W/"a b"')
    snapshot = merge(EMPTY, result)
    state = feed_states(snapshot, health({}, result))[MASTODON.url]
    assert (state.etag, state.last_modified, state.known_ids) == (
        'W/"a b"',
        None,
        frozenset({f"{MASTODON.url}#1"}),
    )
    assert state.images == {image.src: image}


def test_validators_of_a_snapshot_written_before_the_health_file_are_used() -> None:
    old = {**EMPTY, "feeds": {MASTODON.url: {"network": "mastodon", "etag": '"old"', "last_modified": None}}}
    assert feed_states(old, {})[MASTODON.url].etag == '"old"'


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
    first = health({}, ok(MASTODON), ok(BLOG))
    failing = health(
        first, FeedResult(MASTODON, "failed", error="HTTP 410"), FeedResult(BLOG, "not-modified")
    )
    assert stale_feeds("claire-martin", failing, NOW + timedelta(days=14), stale_days=14) == []
    (stale,) = stale_feeds("claire-martin", failing, NOW + timedelta(days=15), stale_days=14)
    assert (stale.expert, stale.url, stale.days, stale.last_error) == (
        "claire-martin",
        MASTODON.url,
        15,
        "HTTP 410",
    )
