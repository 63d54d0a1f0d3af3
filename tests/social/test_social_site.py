"""End to end: fetch from a local server, build the site, read what a visitor gets."""

from __future__ import annotations

import io
import json
from pathlib import Path

import yaml
from bs4 import BeautifulSoup
from rich.console import Console

from ambassade.build import main
from plugins.social.command import run_fetch
from tests.social.social_helpers import FeedServer, assert_inert, fixture_bytes
from tests.support import PREVIEW_CONF, ROOT, site_overrides, write_site

ARTICLE = """Title: Un article
Date: 2026-03-14T09:30:00+01:00
Authors: claire-martin
Tags: Cloud
Summary: Un résumé.
Lang: fr

Texte.
"""


def make_site(tmp_path: Path, server: FeedServer, **claire) -> tuple[Path, dict]:
    profile = {
        "name": "Claire Martin",
        "role": "Architecte cloud",
        "published": True,
        "social_feed": True,
        "links": {"mastodon": "@claire@mastodon.example"},
    }
    profile.update(claire)
    base = write_site(
        tmp_path / "site",
        {
            "experts/claire-martin.yml": yaml.safe_dump(profile, allow_unicode=True),
            "experts/bruno-petit.yml": yaml.safe_dump(
                {
                    "name": "Bruno Petit",
                    "role": "Dev",
                    "published": True,
                    "social_feed": False,
                    "links": {"mastodon": "@bruno@mastodon.example"},
                }
            ),
            "content/articles/un.md": ARTICLE,
        },
    )
    settings = {
        "SITEURL": "",
        "SOCIAL": {
            "allow_http": True,
            "allow_addresses": ["127.0.0.1"],
            "images": False,
            "health_path": str(base / "cache" / "social-feeds.json"),
            "deadline": 2.0,
            "retries": 0,
            "mastodon_template": server.url + "/{instance}/@{user}.rss",
        },
    }
    return base, settings


def fetch(base: Path, settings: dict):
    site = {"experts_path": str(base / "experts"), "social_path": str(base / "data" / "social")}
    return run_fetch({**settings, "SITE": site}, console=Console(file=io.StringIO(), width=200))


def build(base: Path, settings: dict) -> Path:
    out = base / "output"
    err = io.StringIO()
    overrides = {**site_overrides(base, out), "SOCIAL": settings["SOCIAL"]}
    assert main(str(PREVIEW_CONF), overrides=overrides, stream=err) == 0, err.getvalue()
    return out


def post_texts(page: Path) -> list[str]:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    return [li.select_one(".post__body").get_text(" ", strip=True) for li in soup.select(".posts li")]


def add_post(base: Path, date: str, html: str) -> None:
    """A post added to Claire's snapshot by hand."""
    snapshot = base / "data" / "social" / "claire-martin.json"
    data = json.loads(snapshot.read_text())
    number = len(data["posts"]) + 100
    data["posts"].append(
        {
            "network": "mastodon",
            "id": f"hand-{number}",
            "feed": "x",
            "repost": False,
            "url": f"https://mastodon.example/@claire/{number}",
            "date": date,
            "html": html,
        }
    )
    snapshot.write_text(json.dumps(data))


def test_fetched_posts_reach_the_profile_and_survive_a_dead_server(tmp_path, feed_server):
    feed_server.serve("/mastodon.example/@claire.rss", fixture_bytes("mastodon.rss"))
    base, settings = make_site(tmp_path, feed_server)
    report = fetch(base, settings)
    assert [r.status for r in report.results] == ["ok"]
    page = build(base, settings) / "experts" / "claire-martin" / "index.html"
    posts = post_texts(page)
    assert posts and posts[0].startswith("Nouvel article sur la migration vers le cloud souverain")
    html = page.read_text()
    assert 'href="https://mastodon.example/@claire/113520000000000003"' in html

    snapshot = base / "data" / "social" / "claire-martin.json"
    before = snapshot.read_bytes()
    again = fetch(base, settings)
    assert snapshot.read_bytes() == before, "a fetch with nothing new changes no byte"
    assert again.written == []

    feed_server.close()
    dead = fetch(base, settings)
    assert [r.status for r in dead.results] == ["failed"]
    assert snapshot.read_bytes() == before, "a failing feed changes no byte of the snapshot either"
    health = json.loads((base / "cache" / "social-feeds.json").read_text())
    assert health["claire-martin"][dead.results[0].url]["last_error"]
    assert post_texts(build(base, settings) / "experts" / "claire-martin" / "index.html") == posts


def test_no_active_content_reaches_the_site(tmp_path, feed_server):
    feed_server.serve("/mastodon.example/@claire.rss", fixture_bytes("hostile.rss"))
    base, settings = make_site(tmp_path, feed_server)
    fetch(base, settings)
    # A hand-edited snapshot must not get through either: sanitizing again at render time.
    add_post(
        base,
        "2026-11-01T00:00:00Z",
        '<p onclick="alert(1)">hi<script>alert(1)</script><img src=x onerror=alert(1)></p>',
    )
    out = build(base, settings)
    page = out / "experts" / "claire-martin" / "index.html"
    soup = BeautifulSoup(page.read_text(), "html.parser")
    assert soup.select(".posts li"), "the hostile feed still has readable posts"
    for li in soup.select(".posts li"):
        assert_inert(str(li.select_one(".post__body")))
    for card in json.loads((out / "social" / "recent-fr.json").read_text())["cards"]:
        assert_inert(BeautifulSoup(card, "html.parser").select_one(".post__body").decode())


def test_a_rebuild_shows_what_a_snapshot_says_now(tmp_path, feed_server):
    """Posts are picked once per snapshot text: a snapshot edited between two builds of one
    process (livereload) shows its new posts, the latest ones, sanitized."""
    feed_server.serve("/mastodon.example/@claire.rss", fixture_bytes("mastodon.rss"))
    base, settings = make_site(tmp_path, feed_server)
    fetch(base, settings)
    page = build(base, settings) / "experts" / "claire-martin" / "index.html"
    before = post_texts(page)
    add_post(base, "2030-01-01T00:00:00Z", "<p>Tout nouveau<script>alert(1)</script></p>")
    after = post_texts(build(base, settings) / "experts" / "claire-martin" / "index.html")
    assert after[0] == "Tout nouveau"
    assert after[1:] == before[: len(after) - 1]
    assert "alert" not in page.read_text()


def test_a_post_with_a_date_that_is_not_one_is_a_clear_error(tmp_path, feed_server):
    feed_server.serve("/mastodon.example/@claire.rss", fixture_bytes("mastodon.rss"))
    base, settings = make_site(tmp_path, feed_server)
    fetch(base, settings)
    add_post(base, "le 3 mars", "<p>Hier</p>")
    err = io.StringIO()
    overrides = {**site_overrides(base, base / "output"), "SOCIAL": settings["SOCIAL"]}
    assert main(str(PREVIEW_CONF), overrides=overrides, stream=err) != 0
    said = err.getvalue()
    # Found by the rules, at its line, before anything is built (ambassade/snapshots.py).
    assert "claire-martin.json:" in said and "'le 3 mars' is not an ISO 8601 date" in said, said
    assert "Traceback" not in said


def test_posts_only_with_consent(tmp_path, feed_server):
    feed_server.serve("/mastodon.example/@claire.rss", fixture_bytes("mastodon.rss"))
    feed_server.serve("/mastodon.example/@bruno.rss", fixture_bytes("mastodon.rss"))
    base, settings = make_site(tmp_path, feed_server)
    fetch(base, settings)
    assert not (base / "data" / "social" / "bruno-petit.json").exists()
    # A snapshot left behind by hand is not shown either: the profile decides.
    (base / "data" / "social" / "bruno-petit.json").write_bytes(
        (base / "data" / "social" / "claire-martin.json").read_bytes()
    )
    out = build(base, settings)
    assert post_texts(out / "experts" / "bruno-petit" / "index.html") == []
    assert "Bruno" not in (out / "social" / "recent-fr.json").read_text()
    assert feed_server.requests_to("/mastodon.example/@bruno.rss") == []


def test_demo_home_shows_posts_with_and_without_javascript(demo_preview):
    home = BeautifulSoup((demo_preview / "index.html").read_text(), "html.parser")
    section = home.select_one("[data-recent-posts]")
    assert len(section.select(".posts li")) == 6
    assert len({a.get_text() for a in section.select(".posts li .meta a")}) == 6, "one post per expert first"
    assert home.find("script", src=lambda s: s and s.endswith("js/posts.js"))
    cards = json.loads((demo_preview / "social" / "recent-fr.json").read_text())["cards"]
    assert len(cards) > 6
    english = json.loads((demo_preview / "social" / "recent-en.json").read_text())["cards"]
    assert "See the original post" in english[0] and "Voir la publication d'origine" in cards[0]


def test_demo_snapshots_match_the_profiles():
    from ambassade.profiles import load_profiles

    experts, _ = load_profiles(ROOT / "experts")
    for path in (ROOT / "data" / "social").glob("*.json"):
        assert experts[path.stem].published and experts[path.stem].social_feed, path.stem


def test_a_long_post_is_cut_with_a_link_and_an_empty_one_is_not_shown(tmp_path, feed_server):
    feed_server.serve("/mastodon.example/@claire.rss", fixture_bytes("mastodon.rss"))
    base, settings = make_site(tmp_path, feed_server)
    fetch(base, settings)
    words = " ".join(["observabilité"] * 60)
    add_post(base, "2030-01-02T00:00:00Z", f"<p>{words}</p>")
    add_post(base, "2030-01-01T00:00:00Z", "<p> </p><p><br></p>")
    page = build(base, settings) / "experts" / "claire-martin" / "index.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    first = soup.select(".posts li")[0]
    shown = first.select_one(".post__body").get_text()
    assert shown.endswith("observabilité…") and len(shown) <= 500
    assert first.select("a")[-1].get_text().startswith("Lire la publication en entier")
    assert all(li.select_one(".post__body").get_text(strip=True) for li in soup.select(".posts li"))
    assert len(soup.select(".posts li")) == 4
