"""Fetching over real sockets from a local server that misbehaves in every way we know.

Each failure case first stores a good snapshot, then breaks the feed and
fetches again, checking that the fetch ended within its deadline, that it
says why it failed, and that the last good posts are still there.
"""

from __future__ import annotations

import functools
import gzip
import io
import json
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler
from typing import Any

import pytest
from rich.console import Console

from plugins.social.command import EXIT_ALL_FAILED, run_fetch
from plugins.social.fetch import FeedResult, fetch_all
from plugins.social.settings import SocialSettings
from plugins.social.sources import FeedSource
from tests.social.social_helpers import (
    DEADLINE,
    LOOPBACK,
    FeedServer,
    Handler,
    Project,
    assert_inert,
    fixture_bytes,
    not_found,
    respond,
)

# Time allowed on top of the deadline for thread start-up, parsing and writing.
MARGIN = 1.0
BOMB_SIZE = 50_000_000


def quiet() -> Console:
    return Console(file=io.StringIO(), width=200)


@functools.cache
def gzip_bomb() -> bytes:
    return gzip.compress(b"\0" * BOMB_SIZE, compresslevel=9)


# --- misbehaving handlers --------------------------------------------------


def server_error(handler: BaseHTTPRequestHandler) -> None:
    respond(handler, status=500, body=b"oops", content_type="text/plain")


def rate_limited_for_an_hour(handler: BaseHTTPRequestHandler) -> None:
    respond(
        handler, status=429, body=b"slow down", content_type="text/plain", headers={"Retry-After": "3600"}
    )


def never_answers(handler: BaseHTTPRequestHandler) -> None:
    handler.server.stop.wait(30)


def drip(data: bytes) -> Handler:
    def handler(request: BaseHTTPRequestHandler) -> None:
        for byte in data:
            request.wfile.write(bytes([byte]))
            if request.server.stop.wait(1.0):
                return

    return handler


def drip_body(handler: BaseHTTPRequestHandler) -> None:
    body = fixture_bytes("mastodon.rss")
    handler.send_response(200)
    handler.send_header("Content-Type", "application/rss+xml")
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    drip(body)(handler)


def fifty_megabytes(handler: BaseHTTPRequestHandler) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "application/rss+xml")
    handler.send_header("Content-Length", str(BOMB_SIZE))
    handler.end_headers()
    chunk = b"<!-- padding -->" * 4096
    for _ in range(BOMB_SIZE // len(chunk)):
        handler.wfile.write(chunk)


def gzip_bomb_handler(handler: BaseHTTPRequestHandler) -> None:
    respond(handler, body=gzip_bomb(), headers={"Content-Encoding": "gzip"})


def redirect_to(location: str) -> Handler:
    return lambda handler: respond(handler, status=302, body=b"", headers={"Location": location})


def serve_fixture(name: str, **options: Any) -> Handler:
    return lambda handler: respond(handler, body=fixture_bytes(name), **options)


def gzipped(make_body: Callable[[], bytes]) -> Handler:
    return lambda handler: respond(handler, body=make_body(), headers={"Content-Encoding": "gzip"})


# --- good first, then broken -----------------------------------------------


@dataclass
class Outcome:
    result: FeedResult
    before: bytes
    after: bytes
    health: dict[str, Any]
    exit_code: int
    elapsed: float
    output: str


def good_then(project: Project, server: FeedServer, failure: Handler, **social: Any) -> Outcome:
    url = server.serve("/feed", fixture_bytes("mastodon.rss"))
    project.expert("claire-martin", feeds=[url])
    run_fetch(project.settings, console=quiet())
    before = project.snapshot_file("claire-martin").read_bytes()
    assert len(json.loads(before)["posts"]) == 3

    server.route("/feed", failure)
    project.social.update(social)
    console = quiet()
    start = time.monotonic()
    report = run_fetch(project.settings, console=console)
    elapsed = time.monotonic() - start
    after = project.snapshot_file("claire-martin").read_bytes()
    health = json.loads(project.health.read_text("utf-8"))["claire-martin"]
    return Outcome(
        report.results[0], before, after, health, report.exit_code, elapsed, console.file.getvalue()
    )


def assert_failed_but_kept(outcome: Outcome, reason: str) -> None:
    assert outcome.result.status == "failed"
    assert reason in (outcome.result.error or ""), outcome.result.error
    assert outcome.elapsed < DEADLINE + MARGIN, outcome.elapsed
    # The snapshot is committed: a failure changes none of its bytes; the health file says why.
    assert outcome.after == outcome.before
    feed = outcome.health[outcome.result.url]
    assert feed["last_error"] == outcome.result.error
    assert feed["failing_since"] is not None
    assert "failed" in outcome.output
    # The only feed failed: the command says so and exits 1, so that a scheduled refresh fails.
    assert outcome.exit_code == EXIT_ALL_FAILED
    assert "every feed failed" in outcome.output
    for post in json.loads(outcome.after)["posts"]:
        assert_inert(post["html"])


FAILURES: dict[str, tuple[Handler, str]] = {
    "404": (not_found, "HTTP 404"),
    "429-retry-after-too-long": (rate_limited_for_an_hour, "retry after 3600 s"),
    "never-answers": (never_answers, "timed out"),
    "drips-status-line": (drip(b"HTTP/1.0 200 OK\r\nContent-Type: text/xml\r\n\r\n<rss/>"), "timed out"),
    "drips-body": (drip_body, "timed out"),
    "50-megabytes": (fifty_megabytes, "larger than 2000000 bytes"),
    "gzip-bomb": (gzip_bomb_handler, "larger than 2000000 bytes"),
    "truncated-gzip": (
        gzipped(lambda: gzip.compress(fixture_bytes("atom.xml"))[:-20]),
        "truncated compressed body",
    ),
    "corrupt-gzip": (gzipped(lambda: gzip.compress(b"x")[:10] + b"\xff" * 20), "corrupt compressed body"),
    "unknown-encoding": (
        lambda handler: respond(handler, body=b"x", headers={"Content-Encoding": "br"}),
        "unsupported Content-Encoding",
    ),
    "malformed-xml": (serve_fixture("malformed.xml"), "not a feed"),
    "html-page": (serve_fixture("page.html", content_type="text/html; charset=utf-8"), "not a feed"),
    "redirect-loop": (redirect_to("/feed"), "more than 3 redirects"),
    "redirect-to-file": (redirect_to("file:///etc/passwd"), "refused file:"),
    "connection-refused": (redirect_to("http://127.0.0.1:1/feed"), "ConnectError"),
    "billion-laughs": (serve_fixture("billion-laughs.xml"), "XML entities"),
}


@pytest.mark.parametrize("case", FAILURES)
def test_failure_keeps_last_good_posts(project: Project, feed_server: FeedServer, case: str) -> None:
    handler, reason = FAILURES[case]
    assert_failed_but_kept(good_then(project, feed_server, handler), reason)


def test_external_entities_are_refused_and_never_fetched(project: Project, feed_server: FeedServer) -> None:
    secret = feed_server.serve("/secret", b"leaked")
    body = fixture_bytes("external-entity.xml").replace(b"__SERVER__/secret", secret.encode())
    outcome = good_then(project, feed_server, lambda handler: respond(handler, body=body))
    assert_failed_but_kept(outcome, "XML entities")
    assert feed_server.requests_to("/secret") == []


def test_server_errors_are_retried_then_fail(project: Project, feed_server: FeedServer) -> None:
    outcome = good_then(project, feed_server, server_error, retries=2)
    assert_failed_but_kept(outcome, "HTTP 500, still failing after 3 attempts")
    assert len(feed_server.requests_to("/feed")) == 1 + 3


def test_retry_after_is_honoured(project: Project, feed_server: FeedServer) -> None:
    calls = []

    def limited_once(handler: BaseHTTPRequestHandler) -> None:
        calls.append(time.monotonic())
        if len(calls) == 1:
            respond(handler, status=429, body=b"", headers={"Retry-After": "1"})
        else:
            respond(handler, body=fixture_bytes("atom.xml"), content_type="application/atom+xml")

    outcome = good_then(project, feed_server, limited_once)
    assert outcome.result.status == "ok"
    assert calls[1] - calls[0] >= 1.0
    assert outcome.elapsed < DEADLINE + MARGIN


@pytest.mark.parametrize(
    ("offset", "status"),
    [(timedelta(hours=1), "failed"), (timedelta(hours=-1), "ok")],
    ids=["future-date-too-far", "past-date-retry-now"],
)
def test_retry_after_may_be_an_http_date(
    project: Project, feed_server: FeedServer, offset: timedelta, status: str
) -> None:
    calls = []

    def limited_once(handler: BaseHTTPRequestHandler) -> None:
        calls.append(handler.path)
        if len(calls) == 1:
            when = format_datetime(datetime.now(UTC) + offset, usegmt=True)
            respond(handler, status=429, body=b"", headers={"Retry-After": when})
        else:
            respond(handler, body=fixture_bytes("atom.xml"), content_type="application/atom+xml")

    outcome = good_then(project, feed_server, limited_once)
    assert outcome.result.status == status
    if status == "failed":
        assert "server asks to retry after" in (outcome.result.error or "")
        assert outcome.after == outcome.before
    assert outcome.elapsed < 0.5 + MARGIN


def test_backoff_never_passes_the_deadline(project: Project, feed_server: FeedServer) -> None:
    # backoff_max allows the 1 s wait; the 1.5 s deadline does not.
    outcome = good_then(
        project,
        feed_server,
        lambda h: respond(h, status=503, body=b"", headers={"Retry-After": "1"}),
        deadline=1.5,
        retries=5,
    )
    assert outcome.result.status == "failed"
    assert "would pass the deadline" in (outcome.result.error or "")
    assert outcome.elapsed < 1.5 + MARGIN


def test_http_is_refused_unless_allowed(project: Project, feed_server: FeedServer) -> None:
    outcome = good_then(project, feed_server, serve_fixture("atom.xml"), allow_http=False)
    assert_failed_but_kept(outcome, "only https URLs are fetched")
    assert len(feed_server.requests_to("/feed")) == 1  # only the first, allowed, fetch


def test_redirects_are_followed_and_links_resolved_against_the_final_url(
    project: Project, feed_server: FeedServer
) -> None:
    feed_server.route("/moved/feed.atom", serve_fixture("atom.xml", content_type="application/atom+xml"))
    outcome = good_then(project, feed_server, redirect_to("/moved/feed.atom"))
    assert outcome.result.status == "ok"
    assert [post.url for post in outcome.result.posts][0] == "https://claire.example/2026/observabilite/"


def test_requests_name_the_site_and_accept_only_decodable_encodings(feed_server: FeedServer) -> None:
    url = feed_server.serve(
        "/feed", gzip.compress(fixture_bytes("mastodon.rss")), headers={"Content-Encoding": "gzip"}
    )
    settings = SocialSettings.from_settings(
        {
            "SITEURL": "https://ambassade.example",
            "SOCIAL": {"allow_http": True, "allow_addresses": [LOOPBACK]},
        }
    )
    (result,) = fetch_all([FeedSource("claire-martin", url, "mastodon")], settings)
    assert result.status == "ok" and len(result.posts) == 3
    (headers,) = feed_server.requests_to("/feed")
    assert headers["User-Agent"] == "ambassade/1.0 (+https://ambassade.example)"
    assert headers["Accept-Encoding"] == "gzip, deflate"


@pytest.mark.parametrize(
    ("name", "content_type", "text"),
    [
        ("latin1.rss", "text/xml", "Déjà vu à Besançon, garçon ! Ça coûte 5 £."),
        ("cp1252.rss", "application/rss+xml", "L’été coûte 10 € — « œuvre » déjà."),
        (
            "cp1252-no-prolog.rss",
            "application/rss+xml; charset=windows-1252",
            "L’été coûte 10 € — « œuvre » déjà.",
        ),
    ],
)
def test_non_utf8_feeds_decode_right_over_http(
    feed_server: FeedServer, name: str, content_type: str, text: str
) -> None:
    url = feed_server.serve("/feed", fixture_bytes(name), content_type=content_type)
    settings = SocialSettings.from_settings(
        {"SOCIAL": {"allow_http": True, "allow_addresses": [LOOPBACK], "deadline": DEADLINE}}
    )
    (result,) = fetch_all([FeedSource("claire-martin", url, "feed")], settings)
    assert [post.html for post in result.posts] == [f"<p>{text}</p>"]


def test_gzip_bomb_is_cut_without_inflating_it_in_memory(feed_server: FeedServer) -> None:
    url = feed_server.route("/bomb", gzip_bomb_handler)
    gzip_bomb()  # compress before measuring
    settings = SocialSettings.from_settings(
        {
            "SOCIAL": {
                "allow_http": True,
                "allow_addresses": [LOOPBACK],
                "deadline": DEADLINE,
                "max_bytes": 1_000_000,
            }
        }
    )
    tracemalloc.start()
    try:
        (result,) = fetch_all([FeedSource("claire-martin", url, "feed")], settings)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.status == "failed" and "larger than 1000000 bytes" in (result.error or "")
    # The cap and a few chunks, not the 50 MB the bomb inflates to.
    assert peak < 10_000_000, peak


def test_feeds_are_fetched_concurrently(project: Project, feed_server: FeedServer) -> None:
    latency, count = 0.2, 20
    body = fixture_bytes("atom.xml")

    def slow(handler: BaseHTTPRequestHandler) -> None:
        time.sleep(latency)
        respond(handler, body=body, content_type="application/atom+xml")

    urls = [feed_server.route(f"/slow/{n}", slow) for n in range(count)]
    project.expert("claire-martin", feeds=urls)
    project.social["workers"] = 8
    start = time.monotonic()
    report = run_fetch(project.settings, console=quiet())
    elapsed = time.monotonic() - start
    assert [result.status for result in report.results] == ["ok"] * count
    # Serially this takes count × latency = 4 s; 8 workers need ~3 rounds.
    assert elapsed / (count * latency) < 0.5, elapsed
    assert 2 <= feed_server.peak_concurrency <= 8
