"""Feeds of every kind of server, fetched from a local server, read on the built pages.

Each fixture has the shape its server writes (Mastodon 4 RSS with described
images, Bluesky RSS, Pleroma, GNU social and Mastodon 2 Atom activity streams,
Nitter and RSSHub bridges of X). Their images are served here as real
pictures, under the paths the feeds name. What is checked is what a reader of
the expert's page sees.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup, Tag
from PIL import Image as PILImage
from rich.console import Console

from ambassade.build import main
from plugins.social.command import run_fetch
from tests.social.social_helpers import LOOPBACK, FeedServer, assert_inert, fixture_bytes
from tests.social.test_social_site import ARTICLE
from tests.support import PREVIEW_CONF, site_overrides, write_site

# Image hosts of the fixtures, served by the local server under a folder of that name.
IMAGE_HOSTS = (
    "https://files.mastodon.example/",
    "https://pleroma.example/media/",
    "https://gnusocial.example/file/",
    "https://nitter.example/pic/",
    "https://pbs.twimg.com/media/",
)
FEEDS = {
    # expert: (links, feeds served: path -> (fixture, content type))
    "claire-martin": (
        {"mastodon": "@claire@mastodon.example", "bluesky": "claire.bsky.social", "x": "claire_m"},
        {
            "/mastodon.example/@claire.rss": (
                "mastodon-4-several-described-images.rss",
                "application/rss+xml",
            ),
            "/bsky/claire.bsky.social/rss": ("bluesky-plain-text-bare-urls.rss", "application/rss+xml"),
            "/x/claire_m/rss": ("nitter-replies-retweets-images.rss", "application/rss+xml"),
        },
    ),
    "sophie-nguyen": (
        {"x": "sophie_n"},
        {"/x/sophie_n/rss": ("rsshub-x-retweets-and-replies.rss", "application/rss+xml")},
    ),
    "joel-bernard": ({}, {"/pleroma/joel.atom": ("pleroma-atom-activities.atom", "application/atom+xml")}),
    "karim-benali": ({}, {"/gnusocial/42.atom": ("gnusocial-atom-activities.atom", "application/atom+xml")}),
    "lea-fontaine": (
        {"mastodon": "@lea@mastodon.example"},
        {"/mastodon.example/@lea.rss": ("mastodon-2-atom-boosts-and-deletions.atom", "application/atom+xml")},
    ),
}


def picture(size: tuple[int, int], color: str, kind: str) -> bytes:
    out = io.BytesIO()
    PILImage.new("RGB", size, color).save(out, kind)
    return out.getvalue()


def local(body: bytes, server: FeedServer) -> bytes:
    for host in IMAGE_HOSTS:
        folder = host.removeprefix("https://").rstrip("/")
        body = body.replace(host.encode(), f"{server.url}/{folder}/".encode())
    return body


def serve_images(server: FeedServer, body: bytes) -> None:
    """Every image address of ``body`` (once made local) answers with a real picture."""
    for address in set(re.findall(rb"http://127\.0\.0\.1:\d+(/[^\"'<>\s]+)", body)):
        path = address.decode().replace("&amp;", "&")
        if path.endswith(".mp4"):
            continue
        kind = "PNG" if ".png" in path or "format=png" in path else "JPEG"
        server.serve(path, picture((1200, 800), "#2a6f97", kind), content_type=f"image/{kind.lower()}")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    server = FeedServer()
    try:
        files = {"content/articles/un.md": ARTICLE}
        for slug, (links, feeds) in FEEDS.items():
            explicit = [
                server.url + path for path in feeds if not path.startswith(("/mastodon", "/bsky", "/x/"))
            ]
            profile = {"name": slug.replace("-", " ").title(), "role": "Consultant", "published": True}
            profile |= {"social_feed": True, "links": links, "feeds": explicit}
            files[f"experts/{slug}.yml"] = yaml.safe_dump(profile, allow_unicode=True)
            for path, (name, content_type) in feeds.items():
                body = local(fixture_bytes(name), server)
                serve_images(server, body)
                server.serve(path, body, content_type=content_type)
        base = write_site(tmp_path_factory.mktemp("servers") / "site", files)
        social = {
            "allow_http": True,
            "allow_addresses": [LOOPBACK],
            "deadline": 5.0,
            "retries": 0,
            "health_path": str(base / "cache" / "social-feeds.json"),
            "mastodon_template": server.url + "/{instance}/@{user}.rss",
            "bluesky_template": server.url + "/bsky/{handle}/rss",
            "x_bridge": server.url + "/x/{handle}/rss",
            "posts_on_profile": 10,
        }
        site = {"experts_path": str(base / "experts"), "social_path": str(base / "data" / "social")}
        report = run_fetch(
            {"SITEURL": "", "SOCIAL": social, "SITE": site}, console=Console(file=io.StringIO())
        )
        assert [r.status for r in report.results] == ["ok"] * 7, [r.error for r in report.results]
        assert [problem for r in report.results for problem in r.image_problems] == []
    finally:
        server.close()
    err = io.StringIO()
    overrides = {**site_overrides(base, base / "output"), "SOCIAL": social}
    assert main(str(PREVIEW_CONF), overrides=overrides, stream=err) == 0, err.getvalue()
    return base / "output"


def cards(built: Path, slug: str) -> list[Tag]:
    page = BeautifulSoup((built / "experts" / slug / "index.html").read_text(encoding="utf-8"), "html.parser")
    return page.select(".posts li")


def text(card: Tag) -> str:
    return card.select_one(".post__body").get_text(" ", strip=True)


def card_saying(built: Path, slug: str, words: str) -> Tag:
    found = [card for card in cards(built, slug) if words in text(card)]
    assert len(found) == 1, [text(card) for card in cards(built, slug)]
    return found[0]


def context(card: Tag) -> str:
    found = card.select_one(".post__context")
    return found.get_text(" ", strip=True) if found else ""


def test_mastodon_posts_show_their_text_as_written_with_every_described_image(built: Path) -> None:
    card = card_saying(built, "claire-martin", "FinOps workshop")
    body = card.select_one(".post__body")
    assert text(card).startswith("I'm back from the FinOps workshop with @bruno")
    # Mastodon's hidden parts of a long link are hidden; what it shows ends with its ellipsis.
    assert "blog.clairvoie.example/2026/11…" in text(card) and "https://blog" not in text(card)
    assert body.find("a", string="blog.clairvoie.example/2026/11…")["href"].endswith("environnements-de-test")
    raw = str(body)
    for leftover in ("&lt;p", "&amp;#39;", "&#39;", "invisible", "<span"):
        assert leftover not in raw, raw
    images = card.select(".post__images img")
    assert [img["alt"] for img in images] == [
        "Bar chart: test environments switched off at night save 48 % of the monthly bill",
        'Photo of the workshop\'s whiteboard, "Rules before tools" written in red',
    ]
    for img in images:
        assert img["src"].startswith("../../social/images/") and img["src"].endswith(".webp")
        assert (img["width"], img["height"], img["loading"]) == ("1200", "800", "lazy")
        assert (built / "experts" / "claire-martin" / img["src"]).resolve().is_file()


def test_an_image_without_description_says_so_and_a_video_is_not_an_image(built: Path) -> None:
    card = card_saying(built, "claire-martin", "Trois schémas")
    assert text(card).endswith("un quatrième en bonus :blobcat:")
    assert [img["alt"] for img in card.select(".post__images img")] == [
        "Schéma 1 : les trois zones de confiance",
        "Image sans description",
    ]


def test_a_content_warning_and_line_breaks_stay(built: Path) -> None:
    card = card_saying(built, "claire-martin", "spoilers de la conf")
    assert "conf d'hier & les questions" in text(card)
    assert card.select_one(".post__body br") is not None


def test_bluesky_plain_text_keeps_its_lines_and_links_its_addresses(built: Path) -> None:
    card = card_saying(built, "claire-martin", "SLO talk again")
    body = card.select_one(".post__body")
    assert len(body.select("p")) == 2 and len(body.select("br")) == 2
    links = {a.get_text(): a["href"] for a in body.select("a")}
    assert links == {
        "https://slides.clairvoie.example/slo-2026": "https://slides.clairvoie.example/slo-2026",
        "codeberg.org/clairvoie/slo-talk": "https://codeberg.org/clairvoie/slo-talk",
    }
    # An address the app shortened is not a link to a page that does not exist.
    assert "github.com/clairvoie/observabi..." in text(card)
    assert "<b> is text here, & so is this." in text(card)
    link = card_saying(built, "claire-martin", "contrat avec soi-même").select_one(".post__body a")
    assert link["href"] == "https://www.clairvoie.example/slo"
    # The image-only post (no text in RSS, no image either) is not an empty card.
    assert all(text(card) or card.select(".post__images img") for card in cards(built, "claire-martin"))


@pytest.mark.parametrize(
    ("slug", "activities"),
    [
        ("joel-bernard", ("favorited", "started following", "An object was deleted", "Opinions are my own")),
        ("karim-benali", ("favorited", "started following", "deleted notice", "RT @", "de vélo et de café")),
        ("lea-fontaine", ("Deleted status", "deleted status", "je dessine des interfaces et des chats")),
    ],
)
def test_activity_streams_show_only_posts(built: Path, slug: str, activities: tuple[str, ...]) -> None:
    page = " ".join(text(card) + " " + context(card) for card in cards(built, slug))
    for activity in activities:
        assert activity.lower() not in page.lower(), (activity, page)
    assert len(cards(built, slug)) == 3


@pytest.mark.parametrize(
    ("slug", "words", "author", "author_url", "shared_on", "url"),
    [
        (
            "joel-bernard",
            "pipelines de données",
            "Inès Carvalho",
            "https://social.other.example/users/ines",
            "2026-11-23",
            "https://social.other.example/@ines/113500000000000042",
        ),
        (
            "karim-benali",
            "passerelles VPN",
            "Veille sécurité",
            "https://gnusocial.example/veille",
            "2026-11-23",
            "https://gnusocial.example/notice/1700070",
        ),
        (
            "lea-fontaine",
            "libellés visibles",
            "Noémie Garnier",
            "https://social.other.example/@noemie",
            "2026-11-23",
            "https://social.other.example/@noemie/100390000000000001",
        ),
        (
            "claire-martin",
            "Nous recrutons des SRE",
            "@acme_corp",
            "https://x.com/acme_corp",
            "2026-11-23",
            "https://x.com/acme_corp/status/1859800000000000003",
        ),
        ("sophie-nguyen", "Nous recrutons des SRE", "ACME Corp", None, "2026-11-23", None),
    ],
)
def test_a_share_names_its_original_author_links_to_the_original_and_dates_the_share(
    built: Path, slug: str, words: str, author: str, author_url: str | None, shared_on: str, url: str | None
) -> None:
    card = card_saying(built, slug, words)
    assert card.select_one(".meta").get_text(" ", strip=True).count("Repartage") == 1
    assert context(card) == f"Publication partagée de {author}"
    link = card.select_one(".post__context a")
    assert (link["href"] if link else None) == author_url
    assert card.select_one("time")["datetime"].startswith(shared_on)
    assert "partagé le" in card.select_one(".meta").get_text()
    if url:
        assert card.select("a")[-1]["href"] == url
    assert not text(card).startswith("RT")


@pytest.mark.parametrize(
    ("slug", "words", "answered"),
    [
        ("joel-bernard", "Excellent guide", "@ines@social.other.example"),
        ("karim-benali", "comptes de service", "@sophie@social.other.example"),
        ("lea-fontaine", "messages d'erreur", "@noemie@social.other.example"),
        ("claire-martin", "GPU le week-end", "@bruno_dev"),
        ("sophie-nguyen", "GPU le week-end", "@bruno_dev"),
    ],
)
def test_a_reply_says_whom_it_answers(built: Path, slug: str, words: str, answered: str) -> None:
    card = card_saying(built, slug, words)
    assert "Réponse" in card.select_one(".meta").get_text()
    assert context(card) == f"En réponse à {answered}"


def test_posts_read_through_an_x_bridge_link_to_x(built: Path) -> None:
    for slug in ("claire-martin", "sophie-nguyen"):
        for card in cards(built, slug):
            for link in card.select("a[href]"):
                assert "nitter.example" not in link["href"] and "rsshub" not in link["href"], link
    card = card_saying(built, "claire-martin", "Kubernetes en production")
    assert card.select("a")[-1]["href"] == "https://x.com/claire_m/status/1859000000000000002"
    assert len(card.select(".post__images img")) == 2
    pinned = card_saying(built, "claire-martin", "guide FinOps en 12 règles")
    assert not text(pinned).startswith("Pinned")


def test_every_image_comes_from_the_site_and_nothing_active_reaches_it(built: Path) -> None:
    for page in (built / "experts").glob("*/index.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for img in soup.select(".posts img"):
            assert img["src"].startswith("../../social/images/"), img
            assert img.get("alt"), img
        for body in soup.select(".post__body"):
            assert_inert(str(body))
    home = BeautifulSoup((built / "index.html").read_text(encoding="utf-8"), "html.parser")
    for img in home.select(".posts img"):
        assert img["src"].startswith("./social/images/") and (built / img["src"]).is_file()
