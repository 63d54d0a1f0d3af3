"""Share items in the kit: an outside page with two wordings in a campaign, its share buttons, its end,
and its short links, which send the reader on with the UTM tags the settings ask for."""

from __future__ import annotations

import io
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from bs4 import BeautifulSoup

from ambassade.build import main as build_main
from tests.support import FIXTURES, PREVIEW_CONF, PUBLISH_CONF, profile, site_overrides, write_site

SHARES = FIXTURES / "advocacy" / "shares"
ITEM = (SHARES / "rapport-public.md").read_text(encoding="utf-8")
SITE = {
    "experts/alice-dupont.yml": profile("Alice Dupont", leaderboard="true", share_stats="true"),
    "content/shares/campaigns.yml": (SHARES / "campaigns.yml").read_text(encoding="utf-8"),
    "content/shares/rapport-public.md": ITEM,
    "content/shares/plus-tard.md": """
        Title: Une page pour la semaine prochaine
        URL: https://www.example.org/plus-tard
        Date: 2026-12-10
        Lang: fr
        Share: Un texte qui n'entre dans le kit que la semaine prochaine.
    """,
}
GO = "https://clairvoie.example/go/rapport-public"


def build(
    tmp_path: Path, today: str, conf: Path = PREVIEW_CONF, files: dict | None = None, **top
) -> tuple[int, Path, str]:
    base = write_site(tmp_path / "site", {**SITE, **(files or {})})
    out = tmp_path / "out"
    overrides = {
        **site_overrides(base, out),
        "ADVOCACY": {"today": today},
        "DISCOVERY": {"search": False},
        **top,
    }
    err = io.StringIO()
    return build_main(str(conf), overrides=overrides, stream=err), out, err.getvalue()


def page(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@pytest.fixture(scope="module")
def during(tmp_path_factory) -> Path:
    status, out, err = build(tmp_path_factory.mktemp("during"), "2026-12-04")
    assert status == 0, err
    return out


def test_the_kit_shows_the_item_in_its_campaign_with_both_wordings(during):
    kit = page(during / "share-kit" / "index.html")
    item = kit.find(id="item-rapport-public")
    assert item.h2.get_text(strip=True) == "Un rapport public à partager"
    assert item.h2.a["href"] == "https://www.example.org/rapport-2026"
    meta = item.select_one(".meta").get_text(" ", strip=True)
    assert (
        "Page externe" in meta
        and "Dans le kit jusqu'au 18 décembre 2026" in meta
        and "Semaine de test" in meta
    )
    assert item.select_one(".kit-item__why strong").get_text() == "ce que nous disons"
    linkedin = item.find(attrs={"data-kit-network": "linkedin"})
    assert [t.get_text() for t in linkedin.find_all("textarea")] == [
        f"Un rapport public qui éclaire les choix d'hébergement des administrations. "
        f"(Je travaille chez Clairvoie) {GO}/linkedin/",
        f"Comment les administrations choisissent-elles leur hébergement ? Les chiffres du rapport. "
        f"(Je travaille chez Clairvoie) {GO}/linkedin/",
    ]
    assert [label.get_text() for label in linkedin.select(".kit-variant__label")] == [
        "Formulation 1 sur 2",
        "Formulation 2 sur 2",
    ]
    campaigns = kit.select_one(".kit-campaigns").get_text(" ", strip=True)
    assert "Semaine de test" in campaigns and "Faire connaître le rapport." in campaigns
    # Not yet in the kit: it enters it on 10 December.
    assert not kit.find(id=lambda i: i and "plus-tard" in i)
    assert "Une page pour la semaine prochaine" not in kit.get_text()


def test_each_wording_has_a_button_that_opens_the_network_filled_in(during):
    item = page(during / "share-kit" / "index.html").find(id="item-rapport-public")
    first = "Un rapport public qui éclaire les choix d'hébergement des administrations. (Je travaille chez Clairvoie)"
    buttons = {
        net["data-kit-network"]: net.select_one(".kit-variant .share-button")
        for net in item.select(".kit-net")
    }
    linkedin = urlsplit(buttons["linkedin"]["href"])
    assert (linkedin.netloc, parse_qs(linkedin.query)) == ("www.linkedin.com", {"url": [f"{GO}/linkedin/"]})
    x = urlsplit(buttons["x"]["href"])
    assert (x.netloc, parse_qs(x.query)) == ("x.com", {"text": [first], "url": [f"{GO}/x/"]})
    bluesky = urlsplit(buttons["bluesky"]["href"])
    assert parse_qs(bluesky.query) == {"text": [f"{first} {GO}/bluesky/"]}
    mail = buttons["email"]["href"]
    assert mail.startswith("mailto:?subject=Un%20rapport%20public") and unquote(mail).endswith(f"{GO}/email/")
    # Mastodon: the visitor's own server, asked by share.js; the text to paste without it.
    assert buttons["mastodon"]["data-share-mastodon"] == f"{first} {GO}/mastodon/"
    for button in buttons.values():
        assert button.get_text(strip=True).startswith(("Partager sur", "Envoyer par courriel"))


@pytest.mark.parametrize("network", ["linkedin", "x", "mastodon", "bluesky", "email"])
def test_the_short_link_sends_the_reader_on_with_the_utm_tags(during, network):
    go = page(during / "go" / "rapport-public" / network / "index.html")
    target = f"https://www.example.org/rapport-2026?utm_source={network}&utm_campaign=semaine-test"
    assert go.find("meta", attrs={"http-equiv": "refresh"})["content"] == f"0; url={target}"
    assert go.find("a", href=target).get_text() == "Un rapport public à partager"
    assert go.find("meta", attrs={"name": "robots"})["content"] == "noindex, nofollow"
    assert go.find("meta", property="og:title")["content"] == "Un rapport public à partager"
    assert not go.find("script") and not go.find(style=True)


def test_after_its_last_day_the_item_leaves_the_kit_but_its_links_keep_working(tmp_path):
    status, out, err = build(tmp_path, "2026-12-19")
    assert status == 0, err
    kit = page(out / "share-kit" / "index.html")
    assert not kit.find(id="item-rapport-public")
    assert "Une page pour la semaine prochaine" in kit.get_text()
    assert (out / "go" / "rapport-public" / "linkedin" / "index.html").is_file()


def test_outside_links_untagged_when_the_settings_say_so(tmp_path):
    status, out, err = build(tmp_path, "2026-12-04", SHARING={"tag_outside_links": False})
    assert status == 0, err
    go = page(out / "go" / "rapport-public" / "x" / "index.html")
    assert (
        go.find("meta", attrs={"http-equiv": "refresh"})["content"]
        == "0; url=https://www.example.org/rapport-2026"
    )


def test_production_has_the_short_links_but_not_the_kit(tmp_path):
    status, out, err = build(tmp_path, "2026-12-04", PUBLISH_CONF)
    assert status == 0, err
    assert (out / "go" / "rapport-public" / "bluesky" / "index.html").is_file()
    assert not (out / "share-kit").exists() and not (out / "en" / "share-kit").exists()


def test_the_kit_exists_in_english_too(during):
    kit = page(during / "en" / "share-kit" / "index.html")
    assert kit.html["lang"] == "en" and kit.h1.get_text() == "Share kit"
    item = kit.find(id="item-rapport-public")
    assert item["lang"] == "fr", "the item is in French on the English page"
    assert "In the kit until December 18, 2026" in item.select_one(".meta").get_text(" ", strip=True)
    nav = kit.select_one(".advocacy-nav")
    assert nav.find("a", hreflang="fr")["href"].endswith("share-kit/")


def test_a_share_item_that_breaks_a_rule_stops_the_build(tmp_path):
    status, out, err = build(
        tmp_path,
        "2026-12-04",
        files={
            "content/shares/rapport-public.md": ITEM.replace(
                "https://www.example.org", "http://www.example.org"
            )
        },
    )
    assert status == 1
    assert "content/shares/rapport-public.md:2:6: share-url: error:" in err
    assert not out.exists()
