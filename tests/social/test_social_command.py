"""run_fetch end to end: profiles on disk, the local server, snapshots and the report."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler

import pytest
from rich.console import Console

from plugins.social.command import run_fetch
from tests.social.social_helpers import FeedServer, Project, assert_inert, fixture_bytes, not_found, respond

NOW = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)
ETAG = 'W/"113520000000000003; v=2"'
LAST_MODIFIED = "Fri, 20 Nov 2026 08:00:00 GMT"


def console() -> Console:
    return Console(file=io.StringIO(), width=220)


def output(console: Console) -> str:
    return console.file.getvalue()  # type: ignore[attr-defined]


def serve_networks(server: FeedServer) -> None:
    server.serve("/mastodon.example/@claire.rss", fixture_bytes("mastodon.rss"))
    server.serve("/bsky/claire.bsky.social/rss", fixture_bytes("bluesky.rss"))
    server.serve("/nitter/claire_m/rss", fixture_bytes("nitter.rss"))
    server.serve("/blog/feed.atom", fixture_bytes("atom.xml"), content_type="application/atom+xml")


def claire(project: Project, server: FeedServer) -> None:
    project.expert(
        "claire-martin",
        links={"x": "claire_m", "mastodon": "@claire@mastodon.example", "bluesky": "claire.bsky.social"},
        feeds=[server.url + "/blog/feed.atom"],
    )


def test_all_networks_end_up_in_one_sorted_snapshot(project: Project, feed_server: FeedServer) -> None:
    serve_networks(feed_server)
    claire(project, feed_server)
    shown = console()
    report = run_fetch(project.settings, console=shown, now=NOW)

    assert report.exit_code == 0
    assert [r.status for r in report.results] == ["ok"] * 4
    assert report.written == ["claire-martin"]
    text = project.snapshot_file("claire-martin").read_text("utf-8")
    snapshot = json.loads(text)
    assert text == json.dumps(snapshot, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    assert snapshot["expert"] == "claire-martin"
    assert {feed["network"] for feed in snapshot["feeds"].values()} == {"x", "mastodon", "bluesky", "feed"}
    dates = [post["date"] for post in snapshot["posts"]]
    assert dates == sorted(dates, reverse=True) and len(dates) == 9
    assert sum(post["repost"] for post in snapshot["posts"]) == 2
    for post in snapshot["posts"]:
        assert_inert(post["html"])
    health = json.loads(project.health.read_text("utf-8"))["claire-martin"]
    assert {feed["last_success"] for feed in health.values()} == {"2026-11-27T10:00:00Z"}
    assert "claire-martin" in output(shown) and "9 new posts" in output(shown)


def test_hostile_feed_is_stored_inert(project: Project, feed_server: FeedServer) -> None:
    url = feed_server.serve("/evil.rss", fixture_bytes("hostile.rss"))
    project.expert("claire-martin", feeds=[url])
    run_fetch(project.settings, console=console(), now=NOW)
    snapshot = json.loads(project.snapshot_file("claire-martin").read_text("utf-8"))
    assert len(snapshot["posts"]) == 2
    for post in snapshot["posts"]:
        assert_inert(post["html"])
        assert post["url"].startswith("https://")


def test_conditional_get_leaves_the_snapshot_untouched(project: Project, feed_server: FeedServer) -> None:
    def conditional(handler: BaseHTTPRequestHandler) -> None:
        if handler.headers.get("If-None-Match") == ETAG:
            handler.send_response(304)
            handler.end_headers()
        else:
            respond(
                handler,
                body=fixture_bytes("mastodon.rss"),
                headers={"ETag": ETAG, "Last-Modified": LAST_MODIFIED},
            )

    url = feed_server.route("/feed", conditional)
    project.expert("claire-martin", feeds=[url])
    run_fetch(project.settings, console=console(), now=NOW)
    path = project.snapshot_file("claire-martin")
    before, mtime = path.read_bytes(), path.stat().st_mtime_ns

    shown = console()
    report = run_fetch(project.settings, console=shown, now=NOW + timedelta(hours=6))
    first, second = feed_server.requests_to("/feed")
    assert "If-None-Match" not in first
    assert (second["If-None-Match"], second["If-Modified-Since"]) == (ETAG, LAST_MODIFIED)
    assert report.results[0].status == "not-modified"
    assert "not modified" in output(shown)
    assert report.written == []
    assert path.read_bytes() == before
    assert path.stat().st_mtime_ns == mtime


def test_unchanged_feed_without_validators_changes_no_byte(project: Project, feed_server: FeedServer) -> None:
    url = feed_server.serve("/feed", fixture_bytes("mastodon.rss"))
    project.expert("claire-martin", feeds=[url])
    run_fetch(project.settings, console=console(), now=NOW)
    before = project.snapshot_file("claire-martin").read_bytes()
    report = run_fetch(project.settings, console=console(), now=NOW + timedelta(days=1))
    assert report.results[0].new_posts == 0
    assert project.snapshot_file("claire-martin").read_bytes() == before


@pytest.mark.parametrize("how", ["social_feed false", "published false", "profile deleted", "no feeds left"])
def test_opting_out_deletes_the_snapshot(project: Project, feed_server: FeedServer, how: str) -> None:
    url = feed_server.serve("/feed", fixture_bytes("mastodon.rss"))
    project.expert("claire-martin", feeds=[url])
    project.expert("paul-durand", feeds=[url])
    run_fetch(project.settings, console=console(), now=NOW)
    assert project.snapshot_file("claire-martin").exists()

    if how == "social_feed false":
        project.expert("claire-martin", social_feed=False, feeds=[url])
    elif how == "published false":
        project.expert("claire-martin", published=False, feeds=[url])
    elif how == "profile deleted":
        (project.experts / "claire-martin.yml").unlink()
    else:
        project.expert("claire-martin")
    report = run_fetch(project.settings, console=console(), now=NOW)

    assert report.removed == ["claire-martin"]
    assert not project.snapshot_file("claire-martin").exists()
    assert project.snapshot_file("paul-durand").exists()
    assert [result.source.expert for result in report.results] == ["paul-durand"]


def test_broken_profile_is_not_fetched_and_keeps_its_posts(project: Project, feed_server: FeedServer) -> None:
    # The build refuses a broken profile, so nothing is published meanwhile;
    # deleting the snapshot over a typo would lose posts for nothing.
    url = feed_server.serve("/feed", fixture_bytes("mastodon.rss"))
    project.expert("claire-martin", feeds=[url])
    run_fetch(project.settings, console=console(), now=NOW)
    before = project.snapshot_file("claire-martin").read_bytes()
    (project.experts / "claire-martin.yml").write_text("name: [unclosed", encoding="utf-8")
    report = run_fetch(project.settings, console=console(), now=NOW)
    assert any("claire-martin.yml:1:" in problem and "profile-yaml" in problem for problem in report.problems)
    assert report.results == []
    assert project.snapshot_file("claire-martin").read_bytes() == before


def test_feed_failing_for_weeks_is_reported_stale(project: Project, feed_server: FeedServer) -> None:
    url = feed_server.serve("/feed", fixture_bytes("mastodon.rss"))
    project.expert("claire-martin", feeds=[url])
    run_fetch(project.settings, console=console(), now=NOW)
    feed_server.route("/feed", not_found)

    day1 = run_fetch(project.settings, console=console(), now=NOW + timedelta(days=1))
    assert day1.stale == []
    shown = console()
    day16 = run_fetch(project.settings, console=shown, now=NOW + timedelta(days=16))
    (stale,) = day16.stale
    assert (stale.expert, stale.url, stale.days, stale.failing_since) == (
        "claire-martin",
        url,
        15,
        "2026-11-28T10:00:00Z",
    )
    assert "stale:" in output(shown) and "HTTP 404" in output(shown)
    assert len(json.loads(project.snapshot_file("claire-martin").read_text("utf-8"))["posts"]) == 3


def test_missing_x_bridge_is_a_warning(project: Project, feed_server: FeedServer) -> None:
    serve_networks(feed_server)
    claire(project, feed_server)
    del project.social["x_bridge"]
    shown = console()
    report = run_fetch(project.settings, console=shown, now=NOW)
    assert report.exit_code == 0
    assert [r.source.network for r in report.results] == ["mastodon", "bluesky", "feed"]
    assert any("no RSS bridge" in problem for problem in report.problems)
    assert "warning:" in output(shown) and "x_bridge" in output(shown)


def test_invalid_settings_exit_2_before_any_fetch(project: Project, feed_server: FeedServer) -> None:
    url = feed_server.serve("/feed", fixture_bytes("mastodon.rss"))
    project.expert("claire-martin", feeds=[url])
    project.social["wrokers"] = 4
    shown = console()
    report = run_fetch(project.settings, console=shown, now=NOW)
    assert report.exit_code == 2
    assert "settings: error: SOCIAL['wrokers'] is not a setting — did you mean 'workers'?" in output(shown)
    assert feed_server.requests_to("/feed") == []
    assert not project.snapshots.exists()


def test_corrupt_snapshot_is_rebuilt(project: Project, feed_server: FeedServer) -> None:
    url = feed_server.serve("/feed", fixture_bytes("mastodon.rss"))
    project.expert("claire-martin", feeds=[url])
    project.snapshots.mkdir(parents=True)
    project.snapshot_file("claire-martin").write_text("{oops", encoding="utf-8")
    report = run_fetch(project.settings, console=console(), now=NOW)
    assert any("not JSON" in problem for problem in report.problems)
    assert len(json.loads(project.snapshot_file("claire-martin").read_text("utf-8"))["posts"]) == 3


def test_the_network_guard_catches_real_hosts(project: Project, loopback_only: list) -> None:
    # Default mastodon template: https://mastodon.example/@claire.rss
    del project.social["mastodon_template"]
    project.expert("claire-martin", links={"mastodon": "@claire@mastodon.example"})
    report = run_fetch(project.settings, console=console(), now=NOW)
    assert report.results[0].status == "failed"
    assert loopback_only == ["mastodon.example"]
    loopback_only.clear()


def test_many_feeds_parse_on_every_core_and_the_table_shows_what_failed(
    project: Project, feed_server: FeedServer
) -> None:
    """60 feeds: past fetch.PARSE_PROCESSES_FROM they are parsed in processes, past
    command.TABLE_ALL_UP_TO the table lists only the failed ones."""
    body = fixture_bytes("mastodon.rss")
    for n in range(60):
        if n == 7:
            url = feed_server.route(f"/feed/{n}", lambda h: respond(h, status=500, body=b"down"))
        elif n == 8:
            url = feed_server.serve(
                f"/feed/{n}", b"<html><body>not a feed</body></html>", content_type="text/html"
            )
        else:
            url = feed_server.serve(f"/feed/{n}", body)
        project.expert(f"expert-{n:02d}", feeds=[url])
    project.social["retries"] = 0
    shown = console()
    report = run_fetch(project.settings, console=shown, now=NOW)

    statuses = {r.source.expert: r.status for r in report.results}
    assert statuses.pop("expert-07") == statuses.pop("expert-08") == "failed"
    assert set(statuses.values()) == {"ok"} and len(statuses) == 58
    one = json.loads(project.snapshot_file("expert-00").read_text("utf-8"))
    assert [p["id"] for p in one["posts"]] == [
        p["id"] for p in json.loads(project.snapshot_file("expert-59").read_text("utf-8"))["posts"]
    ] and len(one["posts"]) == 3
    text = output(shown)
    assert "Social feeds that failed (2 of 60)" in text
    assert "expert-07" in text and "HTTP 500" in text and "expert-08" in text and "not a feed" in text
    assert "expert-00" not in text and "expert-59" not in text
    assert "60 feeds, 2 failed, 0 not modified, 174 new posts" in text


def test_a_refresh_with_nothing_new_changes_no_file_even_while_a_feed_fails(
    project: Project, feed_server: FeedServer
) -> None:
    good = feed_server.serve("/good", fixture_bytes("mastodon.rss"))
    bad = feed_server.serve("/bad", fixture_bytes("bluesky.rss"))
    project.expert("claire-martin", feeds=[good, bad])
    run_fetch(project.settings, console=console(), now=NOW)
    feed_server.route("/bad", lambda h: respond(h, status=500, body=b"down"))
    project.social["retries"] = 0
    files = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in project.snapshots.rglob("*") if p.is_file()}
    for day in (1, 2):
        report = run_fetch(project.settings, console=console(), now=NOW + timedelta(days=day))
        assert report.exit_code == 0 and report.written == []
        assert {
            p: (p.read_bytes(), p.stat().st_mtime_ns) for p in project.snapshots.rglob("*") if p.is_file()
        } == files
    # What changed is the feeds' health, in a file the repository does not track.
    health = json.loads(project.health.read_text("utf-8"))["claire-martin"]
    assert health[bad]["failing_since"] == "2026-11-28T10:00:00Z" and health[bad]["last_error"].startswith(
        "HTTP 500"
    )
    assert health[good]["last_error"] is None


def test_new_posts_are_those_the_snapshot_kept(project: Project, feed_server: FeedServer) -> None:
    url = feed_server.serve("/feed", fixture_bytes("mastodon.rss"))
    project.expert("claire-martin", feeds=[url])
    project.social["posts_per_expert"] = 2
    shown = console()
    report = run_fetch(project.settings, console=shown, now=NOW)
    assert report.new_posts(report.results[0]) == 2
    assert "1 feeds, 0 failed, 0 not modified, 2 new posts" in output(shown)


def test_a_feed_of_activities_only_is_reported(project: Project, feed_server: FeedServer) -> None:
    body = fixture_bytes("pleroma-atom-activities.atom")
    # Only its favourite, follow and deletion: entries, but not one post.
    for verb in ("post", "share"):
        body = body.replace(
            f"schema/1.0/{verb}</activity:verb>".encode(), b"schema/1.0/favorite</activity:verb>"
        )
    url = feed_server.serve("/feed.atom", body, content_type="application/atom+xml")
    project.expert("joel-bernard", feeds=[url])
    shown = console()
    report = run_fetch(project.settings, console=shown, now=NOW)
    assert report.results[0].status == "ok" and report.results[0].posts == ()
    assert (
        "answered with 6 entries but kept none (5 activities (favourites, follows…), 1 deletions)"
        in output(shown)
    )


def test_a_json_feed_is_refused_naming_the_format(project: Project, feed_server: FeedServer) -> None:
    url = feed_server.serve(
        "/feed.json", fixture_bytes("jsonfeed-microblog.json"), content_type="application/feed+json"
    )
    project.expert("sophie-nguyen", feeds=[url])
    report = run_fetch(project.settings, console=console(), now=NOW)
    assert (
        report.results[0].error
        == "JSON Feed is not supported: give the address of the RSS or Atom feed instead"
    )
    assert report.exit_code == 1


def test_the_summary_reads_at_80_columns(project: Project, feed_server: FeedServer) -> None:
    serve_networks(feed_server)
    claire(project, feed_server)
    feed_server.route("/bsky/claire.bsky.social/rss", lambda h: respond(h, status=404, body=b""))
    narrow = Console(file=io.StringIO(), width=80)
    run_fetch(project.settings, console=narrow, now=NOW)
    text = output(narrow)
    assert max(len(line) for line in text.splitlines()) <= 80
    for words in ("claire-martin", "mastodon", "bluesky", "failed: HTTP 404", "4 feeds, 1 failed"):
        assert words in text, text
