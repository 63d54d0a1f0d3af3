from __future__ import annotations

from typing import Any

import pytest

from ambassade.settings import SettingsError
from plugins.social.settings import SocialSettings
from plugins.social.sources import FeedSource, feeds_for, guess_network

CLAIRE: dict[str, Any] = {
    "name": "Claire Martin",
    "role": "Architecte cloud",
    "published": True,
    "social_feed": True,
    "links": {"x": "claire_m", "mastodon": "@claire@mastodon.example", "bluesky": "claire.bsky.social"},
    "feeds": ["https://claire.example/feed.atom"],
}
BRIDGED = SocialSettings(x_bridge="https://nitter.example/{handle}/rss")


# --- settings --------------------------------------------------------------


def test_defaults_when_pelican_has_no_social_settings() -> None:
    settings = SocialSettings.from_settings({"SITEURL": "https://ambassade.example"})
    assert settings.x_bridge is None
    assert (settings.workers, settings.deadline, settings.max_bytes, settings.max_redirects) == (
        8,
        10.0,
        2_000_000,
        3,
    )
    assert (settings.retries, settings.backoff_max, settings.stale_days, settings.posts_per_expert) == (
        2,
        5.0,
        14,
        40,
    )
    assert settings.allow_http is False
    assert settings.user_agent == "ambassade/1.0 (+https://ambassade.example)"


def test_user_agent_without_siteurl_drops_the_empty_contact() -> None:
    assert SocialSettings.from_settings({}).user_agent == "ambassade/1.0"


def test_values_are_read_from_the_social_dict() -> None:
    settings = SocialSettings.from_settings(
        {
            "SOCIAL": {
                "workers": 2,
                "deadline": 3,
                "x_bridge": "https://b.example/{handle}/rss",
                "allow_http": True,
            }
        }
    )
    assert (settings.workers, settings.deadline, settings.allow_http) == (2, 3, True)
    assert settings.x_bridge == "https://b.example/{handle}/rss"


def test_every_unknown_key_and_bad_value_is_reported_at_once() -> None:
    with pytest.raises(SettingsError) as caught:
        SocialSettings.from_settings(
            {
                "SOCIAL": {
                    "x_brige": "https://b.example/{handle}/rss",
                    "wrokers": 2,
                    "workers": True,
                    "deadline": -1,
                }
            }
        )
    errors = [finding.text() for finding in caught.value.findings]
    assert len(errors) == 4
    assert any("SOCIAL['x_brige'] is not a setting — did you mean 'x_bridge'?" in error for error in errors)
    assert any("SOCIAL['wrokers'] is not a setting — did you mean 'workers'?" in error for error in errors)
    assert any("SOCIAL['workers'] is True — a whole number" in error for error in errors)
    assert any("SOCIAL['deadline'] is -1 — at least 0.1" in error for error in errors)


@pytest.mark.parametrize(
    "social",
    [
        {"x_bridge": "https://nitter.example/rss"},
        {"mastodon_template": "https://{instance}/{user}/{oops}.rss"},
        {"bluesky_template": "https://bsky.app/profile/rss"},
    ],
)
def test_templates_must_use_their_placeholders(social: dict[str, Any]) -> None:
    with pytest.raises(SettingsError, match="placeholders"):
        SocialSettings.from_settings({"SOCIAL": social})


def test_social_must_be_a_dict() -> None:
    with pytest.raises(SettingsError, match="must be a dict"):
        SocialSettings.from_settings({"SOCIAL": ["workers", 2]})


# --- sources ---------------------------------------------------------------


def test_links_and_feeds_become_sources() -> None:
    sources, problems = feeds_for("claire-martin", CLAIRE, BRIDGED)
    assert problems == []
    assert sources == [
        FeedSource("claire-martin", "https://nitter.example/claire_m/rss", "x"),
        FeedSource("claire-martin", "https://mastodon.example/@claire.rss", "mastodon"),
        FeedSource("claire-martin", "https://bsky.app/profile/claire.bsky.social/rss", "bluesky"),
        FeedSource("claire-martin", "https://claire.example/feed.atom", "feed"),
    ]


def test_x_handle_without_bridge_is_a_warning_not_an_error() -> None:
    sources, problems = feeds_for("claire-martin", CLAIRE, SocialSettings())
    assert [source.network for source in sources] == ["mastodon", "bluesky", "feed"]
    assert len(problems) == 1
    assert "claire-martin" in problems[0] and "no RSS bridge" in problems[0] and "x_bridge" in problems[0]


@pytest.mark.parametrize(
    "consent",
    [
        {"published": False, "social_feed": True},
        {"published": True, "social_feed": False},
        {"published": True},
        {"published": "yes", "social_feed": "yes"},
    ],
)
def test_no_consent_no_sources(consent: dict[str, Any]) -> None:
    profile = {**CLAIRE, **consent}
    if "social_feed" not in consent:
        del profile["social_feed"]
    assert feeds_for("claire-martin", profile, BRIDGED) == ([], [])


def test_malformed_handles_are_skipped_with_a_reason() -> None:
    profile = {
        **CLAIRE,
        "links": {"x": "../../etc", "mastodon": "claire@mastodon.example", "bluesky": "a b"},
        "feeds": ["ftp://x.example/f"],
    }
    sources, problems = feeds_for("claire-martin", profile, BRIDGED)
    assert sources == []
    assert len(problems) == 4


def test_same_url_from_a_link_and_a_feed_is_fetched_once() -> None:
    profile = {
        **CLAIRE,
        "links": {"mastodon": "@claire@mastodon.example"},
        "feeds": ["https://mastodon.example/@claire.rss"],
    }
    sources, _ = feeds_for("claire-martin", profile, BRIDGED)
    assert sources == [FeedSource("claire-martin", "https://mastodon.example/@claire.rss", "mastodon")]


def test_mastodon_instance_may_carry_a_port() -> None:
    profile = {**CLAIRE, "links": {"mastodon": "@claire@social.example:8443"}, "feeds": []}
    sources, _ = feeds_for("claire-martin", profile, BRIDGED)
    assert sources[0].url == "https://social.example:8443/@claire.rss"


@pytest.mark.parametrize(
    ("url", "network"),
    [
        ("https://bsky.app/profile/did:plc:abc/rss", "bluesky"),
        ("https://mastodon.example/@claire.rss", "mastodon"),
        ("https://mastodon.example/users/claire.rss", "feed"),
        ("https://claire.example/feed.atom", "feed"),
    ],
)
def test_network_of_explicit_feeds_is_guessed_from_the_url(url: str, network: str) -> None:
    assert guess_network(url) == network
