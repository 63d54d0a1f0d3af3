"""What a visitor finds on a small real site: the directory's filter pages, topics in pages,
related articles, one card per article and its translations, each language's own side."""

from __future__ import annotations

import io

import pytest
from bs4 import BeautifulSoup

from ambassade.build import main
from tests.support import (
    PREVIEW_CONF,
    article,
    broken_references,
    profile,
    site_overrides,
    visible_text,
    write_site,
)

SITE = {
    "experts/alice-dupont.yml": profile(
        "Alice Dupont",
        role="{fr: Architecte cloud, en: Cloud architect}",
        team="{fr: Practice Cloud, en: Cloud practice}",
        location="Lyon",
        languages="[fr, en]",
        expertise="[Cloud, Zero Trust]",
    ),
    "experts/bruno-petit.yml": profile(
        "Bruno Petit",
        location="Paris",
        languages="[fr, de]",
        expertise="[Cybersécurité]",
        team="Practice Cyber",
    ),
    "experts/chloe-roy.yml": profile("Chloé Roy", location="Lyon", languages="[fr]", expertise="[DevOps]"),
    # Three topics; Zero Trust is narrower than Cybersécurité.
    "content/topics.yml": """
        # yaml-language-server: $schema=topics.schema.json
        cloud:
          name: Cloud
          description: {fr: Le cloud et ses coûts., en: The cloud and its costs.}
        cybersecurite:
          name: {fr: Cybersécurité, en: Cybersecurity}
          description: {fr: Protéger les systèmes., en: Protecting systems.}
          synonyms: [sécurité]
        zero-trust:
          name: Zero Trust
          description: {fr: Aucun accès de confiance par défaut., en: No access trusted by default.}
          parent: cybersecurite
        devops:
          name: DevOps
          description: {fr: Livrer souvent., en: Shipping often.}
    """,
    # Seven Cloud articles, newest last; the fifth also on Zero Trust and in English.
    **{
        f"content/articles/cloud-{n}.md": article(
            f"Cloud numéro {n}", "alice-dupont", date=f"2026-0{n}-10T09:00:00+02:00", tags="Cloud"
        )
        for n in range(1, 8)
        if n != 5
    },
    "content/articles/cloud-5.md": article(
        "Cloud et Zero Trust",
        "alice-dupont",
        date="2026-05-10T09:00:00+02:00",
        slug="cloud-5",
        tags="Cloud, Zero Trust",
    ),
    "content/articles/cloud-5.en.md": article(
        "Cloud and Zero Trust",
        "alice-dupont",
        date="2026-05-11T09:00:00+02:00",
        slug="cloud-5",
        lang="en",
        translation="true",
        tags="Cloud, Zero Trust",
    ),
    "content/articles/english-only.en.md": article(
        "Only in English", "bruno-petit", date="2026-08-01T09:00:00+02:00", lang="en", tags="Cybersecurity"
    ),
    "content/articles/devops.md": article("Livrer le vendredi", "chloe-roy", tags="DevOps"),
    "content/articles/cloud-english.en.md": article(
        "Cloud in English", "alice-dupont", date="2026-01-05T09:00:00+01:00", lang="en", tags="Cloud"
    ),
    "content/pages/a-propos.md": "Title: À propos\nSlug: a-propos\nLang: fr\n\nNous.\n",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    base = write_site(tmp_path_factory.mktemp("site"), SITE)
    out = base / "output"
    err = io.StringIO()
    overrides = {**site_overrides(base, out), "PAGINATED_TEMPLATES": {"archives": 3, "topic": 3}}
    assert main(str(PREVIEW_CONF), overrides=overrides, stream=err) == 0, err.getvalue()
    return out


def soup(path):
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def titles(page) -> list[str]:
    return [h.get_text(" ", strip=True) for h in soup(page).select(".article-card .card__title")]


def names(page) -> list[str]:
    return [h.get_text(strip=True) for h in soup(page).select("[data-directory] .card__title a")]


def test_the_directory_has_a_page_per_topic_city_language_and_team(site):
    assert names(site / "experts" / "ville" / "lyon" / "index.html") == ["Alice Dupont", "Chloé Roy"]
    assert names(site / "experts" / "langue" / "de" / "index.html") == ["Bruno Petit"]
    assert names(site / "experts" / "equipe" / "practice-cloud" / "index.html") == ["Alice Dupont"]
    # A broader topic holds the experts of its narrower ones.
    assert names(site / "experts" / "expertise" / "cybersecurite" / "index.html") == [
        "Alice Dupont",
        "Bruno Petit",
    ]
    english = site / "en" / "experts" / "langue" / "de" / "index.html"
    assert soup(english).h1.get_text() == "Experts: German"
    assert "Experts : allemand" in soup(site / "experts" / "langue" / "de" / "index.html").title.get_text()
    assert broken_references(site) == []


def test_the_directory_links_each_filter_with_its_count_of_experts(site):
    page = soup(site / "experts" / "index.html")
    lyon = page.select_one('[data-facet="location"] a[data-key="lyon"]')
    assert lyon["href"] == "../experts/ville/lyon/"
    assert lyon.select_one(".count").get_text(" ", strip=True) == "2 experts"
    assert [h.get_text() for h in page.select(".facet__title")] == [
        "Expertises",
        "Ville",
        "Langue parlée",
        "Équipe",
    ]
    # On a filtered page, the chosen value is marked and the whole directory is one link away.
    lyon_page = soup(site / "experts" / "ville" / "lyon" / "index.html")
    assert lyon_page.select_one('a[aria-current="page"][data-key="lyon"]')
    assert lyon_page.select_one("details.directory-filters")["open"] == ""


def test_expert_cards_carry_what_the_script_filters_by(site):
    card = soup(site / "experts" / "index.html").find("a", string="Alice Dupont").find_parent("article")
    assert (card["data-expertise"], card["data-location"], card["data-language"], card["data-team"]) == (
        "cloud cybersecurite zero-trust",
        "lyon",
        "en fr",
        "practice-cloud",
    )


def test_a_topic_shows_its_description_experts_then_articles_counted_apart(site):
    page = site / "expertise" / "cybersecurite" / "index.html"
    text = visible_text(page)
    assert text.index("Protéger les systèmes.") < text.index("2 experts") < text.index("2 articles")
    # Zero Trust's article is Cybersécurité's too; the English one is listed once, with its language.
    assert titles(page) == ["Only in English EN", "Cloud et Zero Trust"]
    assert "Sous-thèmes" in text and "Zero Trust" in text


def test_long_lists_come_in_numbered_pages_linked_both_ways(site):
    first, second = (
        site / "expertise" / "cloud" / "index.html",
        site / "expertise" / "cloud" / "page" / "2" / "index.html",
    )
    assert titles(first) == ["Cloud numéro 7", "Cloud numéro 6", "Cloud et Zero Trust"]
    assert titles(second) == ["Cloud numéro 4", "Cloud numéro 3", "Cloud numéro 2"]
    assert soup(second).title.get_text().startswith("Cloud — page 2 sur 3 —")
    assert soup(second).find("link", rel="prev")["href"].endswith("/expertise/cloud/")
    assert soup(second).find("link", rel="next")["href"].endswith("/expertise/cloud/page/3/")
    assert soup(first).find("link", rel="prev") is None
    assert "1 expert" not in visible_text(second), "the experts are on the first page"
    assert [a.get_text(" ", strip=True) for a in soup(second).select(".pagination a")] == [
        "Précédente",
        "Page 1",
        "Page 2",
        "Page 3",
        "Suivante",
    ]
    assert soup(second).select_one('.pagination a[aria-current="page"]').get_text(" ", strip=True) == "Page 2"
    english = soup(site / "en" / "expertise" / "cloud" / "page" / "2" / "index.html")
    assert english.title.get_text().startswith("Cloud — page 2 of 3 —")
    assert (
        english.find("link", rel="canonical")["href"]
        == "https://clairvoie.example/en/expertise/cloud/page/2/"
    )
    articles = soup(site / "articles" / "page" / "3" / "index.html")
    assert articles.title.get_text().startswith("Articles — page 3 sur 4")


@pytest.fixture(scope="module")
def one_per_page(tmp_path_factory):
    """The same site with one article per page of the list: a list long enough to need a gap."""
    base = write_site(tmp_path_factory.mktemp("site"), SITE)
    err = io.StringIO()
    overrides = {**site_overrides(base), "PAGINATED_TEMPLATES": {"archives": 1, "topic": 3}}
    assert main(str(PREVIEW_CONF), overrides=overrides, stream=err) == 0, err.getvalue()
    return base / "output"


def test_a_long_list_links_its_ends_and_the_pages_near_this_one(one_per_page):
    def numbers(page: int) -> list[str]:
        path = one_per_page / "articles" / (f"page/{page}" if page > 1 else "") / "index.html"
        items = soup(path).select(".pagination li")
        return [
            "…" if item.a is None else item.a.get_text(" ", strip=True).removeprefix("Page ")
            for item in items
        ]

    assert len(list((one_per_page / "articles" / "page").iterdir())) + 1 == 10, "ten French articles"
    assert numbers(1) == ["1", "2", "3", "…", "10", "Suivante"]
    assert numbers(4) == ["Précédente", "1", "2", "3", "4", "5", "6", "…", "10", "Suivante"]
    # A gap of one page shows that page rather than an ellipsis: 2 here, 9 on page 6.
    assert numbers(5) == ["Précédente", "1", "2", "3", "4", "5", "6", "7", "…", "10", "Suivante"]
    assert numbers(6) == ["Précédente", "1", "…", "4", "5", "6", "7", "8", "9", "10", "Suivante"]
    assert numbers(10) == ["Précédente", "1", "…", "8", "9", "10"]
    gap = soup(one_per_page / "articles" / "page" / "6" / "index.html").select_one(".pagination-gap")
    assert gap["aria-hidden"] == "true", "a screen reader hears the links, not an ellipsis"


def test_an_article_and_its_translation_are_one_card_with_both_languages(site):
    fr = soup(site / "experts" / "alice-dupont" / "index.html")
    cards = [c for c in fr.select(".article-card") if "Zero Trust" in c.get_text()]
    assert len(cards) == 1
    assert cards[0].select_one(".card__languages").get_text(" ", strip=True) == "Aussi en English"
    en = soup(site / "en" / "experts" / "alice-dupont" / "index.html")
    card = next(c for c in en.select(".article-card") if "Zero Trust" in c.get_text())
    assert card.select_one(".card__title a").get_text() == "Cloud and Zero Trust"
    assert card.select_one(".card__languages a")["hreflang"] == "fr"


def test_related_articles_share_topics_in_the_readers_language_first(site):
    page = soup(site / "articles" / "cloud-5" / "index.html")
    related = [a.get_text(" ", strip=True) for a in page.select(".related .card__title a")]
    # One topic shared by all (Cloud; Zero Trust by none): the reader's language first, then the newest.
    assert related == ["Cloud numéro 7", "Cloud numéro 6", "Cloud numéro 4"]
    english = soup(site / "en" / "articles" / "cloud-5" / "index.html")
    related = [a.get_text(" ", strip=True) for a in english.select(".related .card__title")]
    assert related == ["Cloud in English", "Cloud numéro 7 FR", "Cloud numéro 6 FR"]
    assert "1 minute de lecture" in visible_text(site / "articles" / "cloud-5" / "index.html")


def test_each_language_lists_its_own_articles_first_and_links_only_to_its_pages(site):
    english_home = titles(site / "en" / "index.html")
    assert english_home[:3] == ["Only in English", "Cloud and Zero Trust", "Cloud in English"]
    assert all(t.endswith(" FR") for t in english_home[3:]), "the others after, with their language"
    french_home = titles(site / "index.html")
    assert len(french_home) == 7 and not any(t.endswith(" EN") for t in french_home), "7 French ones fill it"
    # À propos has no English version: the English side does not link to it.
    assert "À propos" in visible_text(site / "index.html")
    assert "À propos" not in visible_text(site / "en" / "index.html")
