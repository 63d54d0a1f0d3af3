"""The ambassador programme: share links, share kit, leaderboard, dashboard.

One small site with known totals, built as the preview, as production, and as
the internal build, with the build's date pinned to Friday 20 November 2026.
Points with the default weights (article 10, co-authored 6, translation 4,
share text 2, share 3, post 1):

=============  ======  ========  ======  ========
who            month   quarter   year    all time
=============  ======  ========  ======  ========
Alice (named)  22      30        31      31
Bruno (named)  0       8         8       18
Chloé (not)    12      12        12      12
Denis          unpublished: counted nowhere, named nowhere
=============  ======  ========  ======  ========

Alice: "premier" alone on 3 Nov with 2 texts (10 + 4), its English translation
with 1 text (4 + 2), "ensemble" with Bruno on 15 Oct with 1 text (6 + 2), posts on
18 and 20 Nov (Paris time) and 2 Sep; one post after the date is not counted.
Bruno: "ensemble" (6 + 2) and "ancien" alone in 2025 (10). Chloé: her article
on 10 Nov (10) and two posts (2). Drafts, scheduled articles and articles
dated after the build's date count for nobody.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from ambassade import share
from ambassade.build import main
from ambassade.profiles import sort_key
from ambassade.share import ShareText
from plugins.advocacy import charts, scoring, sharelinks, sources
from plugins.advocacy.settings import NETWORKS, WEIGHTS
from tests.support import (
    FIXTURES,
    PREVIEW_CONF,
    PUBLISH_CONF,
    broken_references,
    profile,
    site_overrides,
    visible_text,
    write_site,
)

TODAY = "2026-11-20"
SOCIAL = FIXTURES / "advocacy" / "social"
SVG_NS = "{http://www.w3.org/2000/svg}"


def art(
    title: str,
    authors: str,
    date: str,
    *,
    tags: str = "Cloud",
    lang: str = "fr",
    shares: tuple[str, ...] = (),
    **meta: str,
) -> str:
    lines = [
        f"Title: {title}",
        f"Date: {date}",
        f"Authors: {authors}",
        f"Tags: {tags}",
        "Summary: Un résumé.",
        f"Lang: {lang}",
        *(f"{k.capitalize()}: {v}" for k, v in meta.items()),
    ]
    lines += shares
    return "\n".join(lines) + "\n\nDu texte.\n"


SITE = {
    "experts/alice-dupont.yml": profile(
        "Alice Dupont", leaderboard="true", audience="{linkedin: 1000, mastodon: 200}"
    ),
    "experts/bruno-petit.yml": profile("Bruno Petit", leaderboard="true", audience="{linkedin: 500, x: 300}"),
    "experts/chloe-garnier.yml": profile("Chloé Garnier", audience="{linkedin: 50}"),
    "experts/denis-masque.yml": profile(
        "Denis Masqué", published=False, leaderboard="true", audience="{linkedin: 9999}"
    ),
    "content/articles/premier.md": art(
        "Premier article",
        "alice-dupont",
        "2026-11-03T09:00:00+01:00",
        slug="premier",
        shares=("Share: Café & co : 100 % « bio » #test", "Share-X: Court, pour X."),
    ),
    "content/articles/premier.en.md": art(
        "First article",
        "alice-dupont",
        "2026-11-04T09:00:00+01:00",
        lang="en",
        slug="premier",
        translation="true",
        shares=("Share: The same, in English.",),
    ),
    "content/articles/ensemble.md": art(
        "Écrit ensemble",
        "alice-dupont, bruno-petit",
        "2026-10-15T10:00:00+02:00",
        tags="Cloud, Data & IA",
        shares=("Share: Écrit à quatre mains.",),
    ),
    "content/articles/chloe.md": art(
        "Le billet de Chloé", "chloe-garnier", "2026-11-10T10:00:00+01:00", tags="Data & IA"
    ),
    "content/articles/ancien.md": art("Un ancien article", "bruno-petit", "2025-06-01T10:00:00+02:00"),
    "content/articles/cache.md": art(
        "Article sans auteur publié",
        "denis-masque",
        "2026-11-05T10:00:00+01:00",
        tags="Cybersécurité",
        shares=("Share: Un texte sans auteur publié.",),
    ),
    "content/articles/brouillon.md": art(
        "Un brouillon",
        "bruno-petit",
        "2026-11-06T10:00:00+01:00",
        status="draft",
        shares=("Share: Texte du brouillon.",),
    ),
    "content/articles/futur.md": art(
        "Article programmé", "alice-dupont", "2099-01-15T09:00:00+01:00", shares=("Share: Texte programmé.",)
    ),
    "content/articles/apres.md": art(
        "Après la date", "bruno-petit", "2026-11-25T09:00:00+01:00", shares=("Share: Texte d'après la date.",)
    ),
    **{f"data/social/{p.name}": p.read_text(encoding="utf-8") for p in SOCIAL.glob("*.json")},
}
PAGES = ("share-kit/index.html", "leaderboard/index.html", "dashboard/index.html", "dashboard.json")
UTM = {"source": "ambassade", "medium": "social media", "campaign": "nov-2026"}


def build(tmp_path: Path, conf: Path = PREVIEW_CONF, top: dict | None = None, **advocacy) -> Path:
    """The site built with ``conf``; ``advocacy`` adds ADVOCACY keys (``utm``: SHARING's), ``top`` other settings."""
    base = write_site(tmp_path / "site", SITE)
    out = tmp_path / "out"
    top = dict(top or {})
    sharing = {"utm": advocacy.pop("utm")} if "utm" in advocacy else {}
    overrides = {
        **site_overrides(base, out),
        "ADVOCACY": {
            "today": TODAY,
            "stats_file": str(base / "data" / "stats.json"),
            **advocacy,
            **top.pop("ADVOCACY", {}),
        },
        "SHARING": sharing,
        **top,
    }
    # The search index is the slowest step of a small build, and none of these tests searches.
    overrides["DISCOVERY"] = {"search": False}
    err = io.StringIO()
    assert main(str(conf), overrides=overrides, stream=err) == 0, err.getvalue()
    return out


@pytest.fixture(scope="module")
def preview(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("preview"))


@pytest.fixture(scope="module")
def production(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("production"), PUBLISH_CONF)


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def dashboard_json(out: Path) -> dict:
    return json.loads((out / "dashboard.json").read_text(encoding="utf-8"))


# --- leaderboard --------------------------------------------------------------------------------


def board_rows(out: Path, period: str) -> list[tuple[str, str, str]]:
    section = soup(out / "leaderboard" / "index.html").find(attrs={"aria-labelledby": f"period-{period}"})
    table = section.find("table")
    if table is None:
        return []
    rows = []
    for tr in table.tbody.find_all("tr"):
        rank, points = (td.get_text(strip=True) for td in tr.find_all("td")[:2])
        rows.append((rank, tr.th.get_text(strip=True), points))
    return rows


# The site's language is French: the leaderboard speaks it.
@pytest.mark.parametrize(
    "period, rows, others, total",
    [
        (
            "month",
            [("1", "Alice Dupont", "22")],
            "Et 1 autre contributeur (points : 12).",
            "Points au total : 34, pour 2 contributeurs.",
        ),
        (
            "quarter",
            [("1", "Alice Dupont", "30"), ("2", "Bruno Petit", "8")],
            "(points : 12)",
            "Points au total : 50, pour 3 contributeurs.",
        ),
        (
            "year",
            [("1", "Alice Dupont", "31"), ("2", "Bruno Petit", "8")],
            "(points : 12)",
            "Points au total : 51",
        ),
        (
            "all",
            [("1", "Alice Dupont", "31"), ("2", "Bruno Petit", "18")],
            "(points : 12)",
            "Points au total : 61",
        ),
    ],
)
def test_leaderboard_totals_per_period(preview, period, rows, others, total):
    assert board_rows(preview, period) == rows
    section = soup(preview / "leaderboard" / "index.html").find(attrs={"aria-labelledby": f"period-{period}"})
    assert others in section.find(class_="board__others").get_text(" ", strip=True)
    assert total in section.find(class_="board__total").get_text(" ", strip=True)


def test_badges(preview):
    row = soup(preview / "leaderboard" / "index.html").find(attrs={"aria-labelledby": "period-all"}).tbody.tr
    # Alice: an article, one written with Bruno, a translation, something each month since September.
    assert [b.get_text() for b in row.find_all(class_="badge")] == [
        "Premier article",
        "Coécriture",
        "Traduction",
        "Régularité",
        "Meilleur score du mois",
    ]
    # Bruno: two articles, one of them with Alice; nothing since October.
    second = row.find_next_sibling("tr")
    assert [b.get_text() for b in second.find_all(class_="badge")] == ["Premier article", "Coécriture"]
    # Every badge is explained on the page.
    rules = soup(preview / "leaderboard" / "index.html").select(".badge-rules div")
    assert len(rules) == len(scoring.BADGES) and all(r.dd.get_text(strip=True) for r in rules)


def test_ties_share_a_rank_and_sort_by_folded_name_then_slug():
    day = dt.date(2026, 11, 2)
    contribs = [
        scoring.Contribution(day, slug, "social_post") for slug in ("zoe", "emile", "eric", "emile-2", "zoe")
    ]
    people = {
        "zoe": scoring.Person("Zoé", "experts/zoe/", True),
        "emile": scoring.Person("Émile", "experts/emile/", True),
        "emile-2": scoring.Person("Émile", "experts/emile-2/", True),
        "eric": scoring.Person("Eric", "experts/eric/", True),
    }
    month = scoring.leaderboard(sorted(contribs), people, WEIGHTS, day, sort_key)[0]
    assert [(r.rank, r.slug) for r in month.rows] == [(1, "zoe"), (2, "emile"), (2, "emile-2"), (2, "eric")]


def test_build_date_comes_from_settings_then_environment(monkeypatch):
    monkeypatch.setenv(sources.TODAY_ENV, "2026-01-31")
    assert sources.build_date("2026-11-20", "Europe/Paris") == dt.date(2026, 11, 20)
    assert sources.build_date(None, "Europe/Paris") == dt.date(2026, 1, 31)


def test_a_broken_snapshot_is_skipped_with_a_warning(tmp_path, caplog):
    (tmp_path / "alice.json").write_text((FIXTURES / "advocacy" / "not-a-snapshot.json").read_text())
    assert sources.post_days(tmp_path, ["alice", "bruno"], dt.UTC) == {}
    assert "not a social snapshot" in caplog.text


# --- consent ------------------------------------------------------------------------------------


def test_unpublished_expert_is_named_nowhere(preview):
    for path in preview.rglob("*"):
        if path.suffix in {".html", ".json", ".xml", ".txt"}:
            text = path.read_text(encoding="utf-8")
            assert "Denis" not in text and "denis-masque" not in text, path


def test_expert_who_did_not_opt_in_is_counted_but_not_named(preview):
    for rel in PAGES[1:]:
        text = (preview / rel).read_text(encoding="utf-8")
        assert "Chloé" not in text and "chloe-garnier" not in text and "Garnier" not in text, rel
    assert (preview / "experts" / "chloe-garnier" / "index.html").is_file(), "still a published expert"


# --- dashboard ----------------------------------------------------------------------------------


def test_dashboard_json_figures(preview):
    data = dashboard_json(preview)
    assert data["as_of"] == TODAY
    months = {row["month"]: row["count"] for row in data["articles_per_month"]}
    assert len(months) == 12 and min(months) == "2025-12" and max(months) == "2026-11"
    assert {k: v for k, v in months.items() if v} == {"2026-10": 1, "2026-11": 3}
    active = {row["month"]: row["count"] for row in data["contributors_per_month"] if row["count"]}
    assert active == {"2026-09": 1, "2026-10": 2, "2026-11": 2}
    weeks = [(row["week"], row["start"], row["count"]) for row in data["posts_per_week"]]
    assert len(weeks) == 12
    assert weeks[0] == ("2026-W36", "2026-08-31", 1)
    assert weeks[-2:] == [("2026-W46", "2026-11-09", 2), ("2026-W47", "2026-11-16", 2)]
    # Topics count every article up to the date (Cloud: "ancien" of 2025 too).
    topics = [(t["name"], t["articles"]) for t in data["top_topics"]]
    assert topics == [("Cloud", 3), ("Data & IA", 2), ("Cybersécurité", 1)]
    assert data["reach"] == {
        "by_network": {"linkedin": 1550, "mastodon": 200, "x": 300},
        "total": 2050,
        "experts": 3,
    }
    assert data["totals"] == {
        "articles": 5,
        "share_texts": 5,
        "social_posts": 5,
        "contributors": 3,
        "points": 61,
    }


def test_dashboard_json_is_deterministic(preview, tmp_path):
    text = (preview / "dashboard.json").read_text(encoding="utf-8")
    assert text == json.dumps(json.loads(text), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    assert (build(tmp_path) / "dashboard.json").read_text(encoding="utf-8") == text


def test_charts_are_valid_svg_and_match_dashboard_json(preview):
    html = (preview / "dashboard" / "index.html").read_text(encoding="utf-8")
    data = dashboard_json(preview)
    svgs = re.findall(r"<svg\b.*?</svg>", html, re.S)
    assert len(svgs) == 3
    page = soup(preview / "dashboard" / "index.html")
    keys = ("contributors_per_month", "articles_per_month", "posts_per_week")
    for svg_text, key in zip(svgs, keys, strict=True):
        svg = ET.fromstring(svg_text)
        assert svg.get("role") == "img"
        assert svg.find(f"{SVG_NS}title").text and svg.find(f"{SVG_NS}desc").text
        expected = [(row.get("month") or row["week"], row["count"]) for row in data[key]]
        bars = svg.findall(f"{SVG_NS}rect")
        assert [(b.get("data-key"), int(b.get("data-value"))) for b in bars] == expected
        top = max(v for _, v in expected)
        assert [float(b.get("height")) for b in bars] == [charts.bar_height(v, top) for _, v in expected]
        # The tallest bar fills the plot; the others are in proportion.
        assert max(float(b.get("height")) for b in bars) == charts.PLOT
        table = page.find(id=svg.get("aria-labelledby").split()[0]).find_parent("section").find("table")
        assert [int(td["data-value"]) for td in table.find_all("td")] == [v for _, v in expected]


def test_reach_table_and_top_topics_on_the_page(preview):
    page = soup(preview / "dashboard" / "index.html")
    cells = page.find_all("td", attrs={"data-network": True})
    reach = {td["data-network"]: (int(td["data-value"]), td.get_text()) for td in cells}
    # Numbers as French writes them: a narrow no-break space between thousands.
    assert reach == {"linkedin": (1550, "1\u202f550"), "mastodon": (200, "200"), "x": (300, "300")}
    assert [a.get_text() for a in page.select(".top-topics a")] == ["Cloud", "Data & IA", "Cybersécurité"]


# --- share kit ----------------------------------------------------------------------------------


def kit_items(out: Path) -> dict[str, BeautifulSoup]:
    page = soup(out / "share-kit" / "index.html")
    return {s.h2.get_text(strip=True): s for s in page.select(".kit-item")}


def test_share_kit_lists_current_articles_newest_first(preview):
    # Articles with share texts, up to the build's date; no draft, nothing scheduled or dated after it.
    assert list(kit_items(preview)) == [
        "Article sans auteur publié",
        "First article",
        "Premier article",
        "Écrit ensemble",
    ]


def test_share_kit_texts_end_with_the_disclosure_and_the_short_link(preview):
    premier = kit_items(preview)["Premier article"]
    networks = {net["data-kit-network"]: net for net in premier.select(".kit-net")}
    assert list(networks) == list(NETWORKS)
    code = share.item_code(share.article_key("premier", "fr"))
    link = f"https://clairvoie.example/go/{code}"
    posts = {key: [t.get_text() for t in net.find_all("textarea")] for key, net in networks.items()}
    # X has its own text; every other network, e-mail included, the text for every network.
    assert posts["x"] == [f"Court, pour X. (Je travaille chez Clairvoie) {link}/x/"]
    assert posts["linkedin"] == [
        f"Café & co : 100 % « bio » #test (Je travaille chez Clairvoie) {link}/linkedin/"
    ]
    assert posts["email"] == [f"Café & co : 100 % « bio » #test (Je travaille chez Clairvoie) {link}/email/"]
    for textarea in premier.find_all("textarea"):
        assert textarea.has_attr("readonly") and textarea.has_attr("data-copy")


def test_share_kit_measures_each_text_as_its_network_counts_it(preview):
    premier = kit_items(preview)["Premier article"]
    lengths = {
        net["data-kit-network"]: net.select_one(".kit-variant__length").get_text(" ", strip=True)
        for net in premier.select(".kit-net")
        if net.select_one(".kit-variant__length")
    }
    # "Café & co : 100 % « bio » #test" (31) + " (Je travaille chez Clairvoie)" (30) + " " + the short
    # link: 45 as written for LinkedIn (…/go/<code>/linkedin/), 44 for Bluesky, 23 on X and Mastodon.
    # X has its own text, "Court, pour X." (14). E-mail has no limit. Numbers as French writes them.
    assert lengths == {
        "linkedin": "107 / 3\u202f000 caractères",
        "x": "68 / 280 caractères",
        "mastodon": "85 / 500 caractères",
        "bluesky": "106 / 300 caractères",
    }


def test_internal_pages_have_no_inline_script_or_style_and_are_not_indexed(preview):
    for rel in PAGES[:3]:
        page = soup(preview / rel)
        assert not page.find_all(style=True) and not page.find_all("style"), rel
        scripts = [s for s in page.find_all("script") if s.get("type") != "application/ld+json"]
        assert all(s.get("src") for s in scripts), rel
        assert page.find("meta", attrs={"name": "robots"})["content"].startswith("noindex"), rel
        assert not page.find("link", rel="canonical"), rel


def test_every_link_resolves(preview):
    assert broken_references(preview) == []


# --- share links --------------------------------------------------------------------------------


def test_share_links_are_exactly_encoded():
    texts = [ShareText(None, "Café & co : 100 % « bio » #test", 0, 0), ShareText("x", "Court, pour X.", 0, 0)]
    bar = sharelinks.share_bar(
        texts,
        url="https://clairvoie.example/articles/premier/",
        title="Premier article",
        networks=list(NETWORKS),
        utm=None,
    )
    links = {link.network: link.href for link in bar.links}
    url = "https%3A%2F%2Fclairvoie.example%2Farticles%2Fpremier%2F"
    text = "Caf%C3%A9%20%26%20co%20%3A%20100%20%25%20%C2%AB%20bio%20%C2%BB%20%23test"
    assert links == {
        "linkedin": f"https://www.linkedin.com/sharing/share-offsite/?url={url}",
        "x": f"https://x.com/intent/post?text=Court%2C%20pour%20X.&url={url}",
        "mastodon": None,
        "bluesky": f"https://bsky.app/intent/compose?text={text}%20{url}",
        "email": f"mailto:?subject=Premier%20article&body={text}%0A%0A{url}",
    }
    mastodon = next(link for link in bar.links if link.network == "mastodon")
    assert mastodon.post == "Café & co : 100 % « bio » #test https://clairvoie.example/articles/premier/"
    assert [(box.networks, box.post) for box in bar.copies] == [(("linkedin", "mastodon"), mastodon.post)]


def test_utm_tags_only_when_the_settings_ask():
    url = "https://clairvoie.example/articles/premier/"
    assert share.shared_url(url, None) == url
    assert share.shared_url(url, UTM) == (
        url + "?utm_source=ambassade&utm_medium=social%20media&utm_campaign=nov-2026"
    )
    assert share.shared_url(url + "?a=1", {"campaign": "x y"}) == url + "?a=1&utm_campaign=x%20y"


def test_article_page_has_plain_share_links(preview):
    page = soup(preview / "articles" / "premier" / "index.html")
    share = page.find("section", class_="share")
    hrefs = [a["href"] for a in share.find_all("a")]
    assert (
        hrefs[0] == "https://www.linkedin.com/sharing/share-offsite/?url="
        "https%3A%2F%2Fclairvoie.example%2Farticles%2Fpremier%2F"
    )
    assert "utm_" not in " ".join(hrefs)
    mastodon = share.find("a", attrs={"data-share-mastodon": True})
    assert mastodon["href"] == "#share-copy-1" and share.find(id="share-copy-1").find("textarea")
    # No script of a network, no counter: only our own module.
    assert [s["src"] for s in page.find_all("script", src=True)] == ["../../theme/js/share.js"]
    # An article without share texts offers its title.
    other = soup(preview / "articles" / "le-billet-de-chloe" / "index.html").find("section", class_="share")
    assert "text=Le%20billet%20de%20Chlo%C3%A9&url=" in other.find("a", class_="network--x")["href"]
    # A draft has none: its URL changes when it is published.
    assert not soup(preview / "brouillons" / "un-brouillon" / "index.html").find("section", class_="share")


# --- where the pages are built ------------------------------------------------------------------


def test_production_has_share_links_but_no_internal_page(production):
    for rel in PAGES:
        assert not (production / rel).exists(), rel
    assert soup(production / "articles" / "premier" / "index.html").find("section", class_="share")
    every_text = " ".join(p.read_text(encoding="utf-8") for p in production.rglob("*.html"))
    assert "share-kit/" not in every_text and "leaderboard/" not in every_text


@pytest.mark.parametrize(
    "top, public",
    [({"ADVOCACY": {"internal": True}}, False), ({}, True)],
    ids=["invoke build --internal", "ADVOCACY public"],
)
def test_internal_or_public_production_build_has_the_pages(tmp_path, top, public):
    out = build(tmp_path, PUBLISH_CONF, top, utm=UTM, public=public)
    for rel in PAGES:
        assert (out / rel).is_file(), rel
    assert (
        "Ne fait pas partie du site public." in visible_text(out / "leaderboard" / "index.html")
    ) != public
    # The kit's texts end with the short link; the short link sends the reader on with the tags.
    kit = soup(out / "share-kit" / "index.html").find("textarea").get_text()
    code = share.item_code(share.article_key("article-sans-auteur-publie", "fr"))
    assert kit.endswith(f"https://clairvoie.example/go/{code}/linkedin/")
    refresh = soup(out / "go" / code / "linkedin" / "index.html").find(
        "meta", attrs={"http-equiv": "refresh"}
    )
    assert refresh["content"] == (
        "0; url=https://clairvoie.example/articles/article-sans-auteur-publie/"
        "?utm_source=ambassade&utm_medium=social%20media&utm_campaign=nov-2026"
    )
    x = soup(out / "articles" / "premier" / "index.html").find("a", class_="network--x")["href"]
    assert x.endswith(
        "&url=https%3A%2F%2Fclairvoie.example%2Farticles%2Fpremier%2F%3Futm_source%3Dambassade"
        "%26utm_medium%3Dsocial%2520media%26utm_campaign%3Dnov-2026"
    )
