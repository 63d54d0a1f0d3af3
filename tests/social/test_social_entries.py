"""Parsing bytes into posts, without the network: feed shapes, encodings, hostile input."""

from __future__ import annotations

from pathlib import Path

import pytest

from plugins.social.entries import NotAFeed, declares_entities, parse_posts
from plugins.social.sources import FeedSource, Network
from tests.social.social_helpers import assert_inert, fixture_bytes

RSS = "application/rss+xml; charset=utf-8"


def parse(
    name: str,
    network: Network = "feed",
    *,
    content_type: str | None = RSS,
    location: str = "https://feeds.example/f",
):
    source = FeedSource("claire-martin", location, network)
    return parse_posts(fixture_bytes(name), source, content_type=content_type, location=location).posts


def test_mastodon_rss() -> None:
    posts = parse("mastodon.rss", "mastodon", location="https://mastodon.example/@claire.rss")
    assert [post.id for post in posts] == [
        "https://mastodon.example/@claire/113520000000000003",
        "https://mastodon.example/@claire/113510000000000002",
        "https://social.other.example/@bob/113500000000000001",
    ]
    first = posts[0]
    assert first.date == "2026-11-20T08:00:00Z"
    assert first.url == first.id
    assert first.network == "mastodon" and first.expert == "claire-martin"
    # The description, not the image alt text feedparser calls "content".
    assert first.html.startswith("<p>Nouvel article")
    assert "Schéma" not in first.html
    assert (
        '<a href="https://mastodon.example/tags/cloud" rel="nofollow ugc noopener noreferrer">#cloud</a>'
        in first.html
    )
    # A boost links to another account than the feed's owner.
    assert [post.repost for post in posts] == [False, False, True]


def test_bluesky_rss_description_is_plain_text() -> None:
    posts = parse("bluesky.rss", "bluesky", location="https://bsky.app/profile/claire.bsky.social/rss")
    assert posts[0].id == "at://did:plc:z72i7hdynmk6r22z27h6tvur/app.bsky.feed.post/3lbxq2yw5ck2a"
    assert posts[0].url == "https://bsky.app/profile/did:plc:z72i7hdynmk6r22z27h6tvur/post/3lbxq2yw5ck2a"
    assert posts[0].date == "2026-11-21T10:05:00Z"
    assert posts[0].html == (
        "<p>Les SLO, c'est un contrat avec soi-même &lt; un contrat avec le client &amp; ça se mesure."
        "<br>Deuxième ligne.</p>"
    )
    assert posts[1].html == "<p>Le &lt;b&gt; n'est pas une balise ici, juste du texte.</p>"
    assert not any(post.repost for post in posts)


def test_nitter_bridge_rss_marks_retweets() -> None:
    posts = parse("nitter.rss", "x", location="https://nitter.example/claire_m/rss")
    assert [post.repost for post in posts] == [False, True]
    assert posts[0].date == "2026-11-19T17:30:00Z"
    assert "<img" not in posts[0].html
    assert posts[1].html.startswith("<p>Nous recrutons")


def test_atom_feed_dates_are_utc_and_relative_links_resolved() -> None:
    posts = parse(
        "atom.xml", content_type="application/atom+xml", location="https://claire.example/feed.atom"
    )
    assert [post.date for post in posts] == ["2026-11-22T08:00:00Z", "2026-11-10T18:00:00Z"]
    assert posts[0].url == "https://claire.example/2026/observabilite/"
    assert 'href="https://claire.example/2026/slo/"' in posts[0].html
    assert posts[1].html == "<p>Deux livres <strong>recommandés</strong>.</p>"


@pytest.mark.parametrize(
    ("name", "content_type", "text"),
    [
        ("latin1.rss", "application/rss+xml", "Déjà vu à Besançon, garçon ! Ça coûte 5 £."),
        ("cp1252.rss", "application/rss+xml", "L’été coûte 10 € — « œuvre » déjà."),
        (
            "cp1252-no-prolog.rss",
            "application/rss+xml; charset=windows-1252",
            "L’été coûte 10 € — « œuvre » déjà.",
        ),
    ],
)
def test_non_utf8_encodings_decode_right(name: str, content_type: str, text: str) -> None:
    (post,) = parse(name, content_type=content_type)
    assert post.html == f"<p>{text}</p>"


def test_hostile_entries_are_made_inert_and_bad_links_dropped() -> None:
    posts = parse("hostile.rss", "mastodon", location="https://evil.example/@mallory.rss")
    # Posts whose own link is javascript: or data: are dropped entirely.
    assert [post.id for post in posts] == [
        "https://evil.example/@mallory/1",
        "https://evil.example/@mallory/2",
    ]
    for post in posts:
        assert_inert(post.html)
    assert (
        '<a href="https://ok.example/page" rel="nofollow ugc noopener noreferrer">lien</a>' in posts[0].html
    )
    assert "<em>gardé</em>" in posts[1].html


@pytest.mark.parametrize("name", ["malformed.xml", "page.html"])
def test_documents_that_are_not_feeds_are_refused(name: str) -> None:
    with pytest.raises(NotAFeed, match="not a feed"):
        parse(name, content_type="text/html" if name.endswith("html") else RSS)


def test_a_well_formed_empty_feed_is_just_empty() -> None:
    body = b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>'
    assert (
        parse_posts(
            body,
            FeedSource("c", "https://f.example/", "feed"),
            content_type=RSS,
            location="https://f.example/",
        ).posts
        == []
    )


def test_a_body_naming_a_local_file_is_not_opened(tmp_path: Path) -> None:
    # feedparser.parse(bytes) would open the bytes as a file name.
    local = tmp_path / "feed.rss"
    local.write_bytes(fixture_bytes("mastodon.rss"))
    with pytest.raises(NotAFeed):
        parse_posts(
            str(local).encode(),
            FeedSource("c", "https://f.example/", "feed"),
            content_type=RSS,
            location="https://f.example/",
        )


@pytest.mark.parametrize("name", ["billion-laughs.xml", "external-entity.xml"])
def test_entity_declarations_are_refused(name: str) -> None:
    with pytest.raises(NotAFeed, match="XML entities"):
        parse(name)


@pytest.mark.parametrize("codec", ["utf-8", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le"])
def test_entity_declarations_are_seen_in_any_encoding(codec: str) -> None:
    text = fixture_bytes("billion-laughs.xml").decode().replace('<?xml version="1.0"?>', "")
    assert declares_entities(text.encode(codec))


def test_dates_missing_means_post_dropped() -> None:
    body = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
        b"<item><guid>https://f.example/1</guid><link>https://f.example/1</link><description>x</description></item>"
        b"</channel></rss>"
    )
    assert (
        parse_posts(
            body,
            FeedSource("c", "https://f.example/", "feed"),
            content_type=RSS,
            location="https://f.example/",
        ).posts
        == []
    )
