"""Posts' images: fetched from a local server under the feeds' rules, checked, re-encoded, kept.

The feed is Mastodon-shaped (an item per post, a ``media:content`` with its
``media:description`` per image); the images are real files, and hostile ones
are what such servers have been seen to answer.
"""

from __future__ import annotations

import io
import json
import time
from http.server import BaseHTTPRequestHandler

import pytest
from PIL import Image as PILImage
from rich.console import Console

from plugins.social.command import run_fetch
from plugins.social.images import ImageError, reencode
from tests.social.social_helpers import DEADLINE, FeedServer, Project, respond


def picture(size: tuple[int, int] = (640, 480), kind: str = "JPEG", **save) -> bytes:
    out = io.BytesIO()
    PILImage.new("RGB", size, "#c44536").save(out, kind, **save)
    return out.getvalue()


def noise() -> bytes:
    """A photo-like JPEG of a few megabytes (noise does not compress)."""
    out = io.BytesIO()
    PILImage.effect_noise((2000, 2000), 120).convert("RGB").save(out, "JPEG", quality=95)
    return out.getvalue()


def decompression_bomb() -> bytes:
    # 64 megapixels of one bit each: 8 MB of pixels, a few kilobytes of PNG.
    out = io.BytesIO()
    PILImage.new("1", (8000, 8000), 0).save(out, "PNG", optimize=True)
    return out.getvalue()


def mastodon_feed(server: FeedServer, images: dict[str, str | None]) -> bytes:
    """A Mastodon 4 RSS feed of one post whose images are ``images`` (path → description)."""
    media = "".join(
        f'<media:content url="{server.url}{path}" type="image/png" fileSize="1000" medium="image">'
        '<media:rating scheme="urn:simple">nonadult</media:rating>'
        + (f'<media:description type="plain">{alt}</media:description>' if alt else "")
        + "</media:content>"
        for path, alt in images.items()
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel>'
        "<title>Claire Martin</title><link>https://mastodon.example/@claire</link>"
        '<item><guid isPermaLink="true">https://mastodon.example/@claire/1</guid>'
        "<link>https://mastodon.example/@claire/1</link><pubDate>Tue, 24 Nov 2026 09:12:31 +0000</pubDate>"
        "<description>&lt;p&gt;Deux schémas&lt;/p&gt;</description>" + media + "</item></channel></rss>"
    ).encode()


def slow_image(handler: BaseHTTPRequestHandler) -> None:
    body = picture()
    handler.send_response(200)
    handler.send_header("Content-Type", "image/jpeg")
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    for start in range(0, len(body), 64):
        handler.wfile.write(body[start : start + 64])
        if handler.server.stop.wait(0.5):
            return


HOSTILE = {
    "/decompression-bomb.png": (
        lambda h: respond(h, body=decompression_bomb(), content_type="image/png"),
        "decompression bomb",
    ),
    "/really-html.png": (
        lambda h: respond(h, body=b"<!doctype html><script>alert(1)</script>", content_type="image/png"),
        "not an image of a known format",
    ),
    "/drawing.svg": (
        lambda h: respond(
            h,
            body=b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="9" height="9"/></svg>',
            content_type="image/svg+xml",
        ),
        "not an image of a known format",
    ),
    "/huge.jpg": (
        lambda h: respond(h, body=noise(), content_type="image/jpeg"),
        "larger than",
    ),
    "/slow.jpg": (slow_image, "timed out"),
    "/gone.png": (lambda h: respond(h, status=404, body=b"", content_type="text/plain"), "HTTP 404"),
}


def fetch(project: Project) -> tuple:
    shown = Console(file=io.StringIO(), width=120)
    report = run_fetch(project.settings, console=shown)
    return report, shown.file.getvalue()


@pytest.fixture
def pictured(project: Project, feed_server: FeedServer) -> Project:
    project.social.update(images=True, image_max_bytes=1_000_000)
    return project


def test_images_are_kept_beside_the_snapshot_re_encoded_with_their_descriptions(
    pictured: Project, feed_server: FeedServer
) -> None:
    exif = PILImage.Exif()
    exif[0x010F] = "Camera Maker"  # Make
    exif[0x013B] = "Claire Martin"  # Artist
    feed_server.serve("/schema.jpg", picture((3200, 1800), exif=exif.tobytes()), content_type="image/jpeg")
    feed_server.serve("/photo.png", picture((300, 200), "PNG"), content_type="image/png")
    url = feed_server.serve(
        "/feed", mastodon_feed(feed_server, {"/schema.jpg": "Le schéma", "/photo.png": None})
    )
    pictured.expert("claire-martin", feeds=[url])
    report, _ = fetch(pictured)
    assert report.results[0].image_problems == ()
    (post,) = json.loads(pictured.snapshot_file("claire-martin").read_text("utf-8"))["posts"]
    first, second = post["images"]
    assert (first["alt"], first["width"], first["height"]) == ("Le schéma", 1600, 900)
    assert (second["alt"], second["width"], second["height"]) == (None, 300, 200)
    kept = pictured.snapshots / "images" / first["file"]
    with PILImage.open(kept) as image:
        assert image.format == "WEBP" and image.size == (1600, 900)
        assert not image.getexif() and "icc_profile" not in image.info and "xmp" not in image.info
    assert first["src"] == feed_server.url + "/schema.jpg"


@pytest.mark.parametrize("path", HOSTILE)
def test_a_hostile_image_is_refused_and_the_post_keeps_its_text(
    pictured: Project, feed_server: FeedServer, path: str
) -> None:
    handler, reason = HOSTILE[path]
    feed_server.route(path, handler)
    feed_server.serve("/fine.jpg", picture(), content_type="image/jpeg")
    url = feed_server.serve("/feed", mastodon_feed(feed_server, {path: "Hostile", "/fine.jpg": "Bien"}))
    pictured.expert("claire-martin", feeds=[url])
    start = time.monotonic()
    report, shown = fetch(pictured)
    assert time.monotonic() - start < 2 * DEADLINE + 1
    (problem,) = report.results[0].image_problems
    assert path in problem and reason in problem, problem
    assert "image non gardée" in shown or "image not kept" in shown
    (post,) = json.loads(pictured.snapshot_file("claire-martin").read_text("utf-8"))["posts"]
    assert post["html"] == "<p>Deux schémas</p>"
    assert [image["alt"] for image in post["images"]] == ["Bien"]
    assert len(list((pictured.snapshots / "images").iterdir())) == 1


def test_a_refetch_downloads_no_image_again_and_changes_no_file(
    pictured: Project, feed_server: FeedServer
) -> None:
    feed_server.serve("/schema.jpg", picture(), content_type="image/jpeg")
    url = feed_server.serve("/feed", mastodon_feed(feed_server, {"/schema.jpg": "Le schéma"}))
    pictured.expert("claire-martin", feeds=[url])
    fetch(pictured)
    files = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in pictured.snapshots.rglob("*") if p.is_file()}
    report, _ = fetch(pictured)
    assert report.written == [] and report.new_posts(report.results[0]) == 0
    assert {
        p: (p.read_bytes(), p.stat().st_mtime_ns) for p in pictured.snapshots.rglob("*") if p.is_file()
    } == files
    assert len(feed_server.requests_to("/schema.jpg")) == 1


def test_images_no_post_shows_any_more_are_removed(pictured: Project, feed_server: FeedServer) -> None:
    feed_server.serve("/schema.jpg", picture(), content_type="image/jpeg")
    url = feed_server.serve("/feed", mastodon_feed(feed_server, {"/schema.jpg": "Le schéma"}))
    pictured.expert("claire-martin", feeds=[url])
    report, _ = fetch(pictured)
    assert report.results[0].image_problems == ()
    (kept,) = (pictured.snapshots / "images").iterdir()
    pictured.expert("claire-martin", social_feed=False, feeds=[url])
    report, _ = fetch(pictured)
    assert report.images_removed == [kept.name] and not kept.exists()


@pytest.mark.parametrize(
    ("data", "content_type", "reason"),
    [
        (picture(kind="PNG"), "text/html", "a PNG file served as text/html"),
        (picture()[:200], "image/jpeg", "not a readable JPEG image"),
        (b"%PDF-1.7 ...", "image/png", "not an image of a known format"),
    ],
)
def test_reencode_refuses_what_is_not_what_it_claims(data: bytes, content_type: str, reason: str) -> None:
    with pytest.raises(ImageError, match=reason):
        reencode(data, content_type, max_pixels=40_000_000, max_side=1600)
