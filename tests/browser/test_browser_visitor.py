"""The visitor's basics, in Chromium: the directory's filters (with and without JavaScript),
pages of a long list, what to read next, the not-found page, and a page on paper."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from ambassade.profiles import load_profiles
from tests.browser.browser_pages import CSP_LISTENER
from tests.support import ROOT, moved

EXPERTS, _ = load_profiles(ROOT / "experts")
PUBLISHED = {e.slug: e for e in EXPERTS.values() if e.published}


@pytest.fixture
def tab(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def no_js(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def shown_experts(tab) -> set[str]:
    cards = tab.locator("[data-directory] .expert-card:visible .card__title a")
    return {href.rstrip("/").rsplit("/", 1)[-1] for href in cards.evaluate_all("a => a.map(x => x.href)")}


def test_the_directory_filters_at_once_by_topic_city_language_and_team(tab, production_site):
    tab.goto(production_site.url("/experts/"))
    form = tab.locator("form.directory-form")
    form.wait_for()
    assert shown_experts(tab) == set(PUBLISHED)
    tab.select_option("select[name=expertise]", "cybersecurite")
    expected = {s for s, e in PUBLISHED.items() if "Cybersécurité" in e.expertise}
    assert shown_experts(tab) == expected
    tab.select_option("select[name=ville]", "paris")
    expected = {s for s in expected if PUBLISHED[s].location == "Paris"}
    assert shown_experts(tab) == expected and len(expected) == 2
    assert tab.locator("[data-directory-count]").inner_text() == "2 experts"
    tab.select_option("select[name=langue]", "de")
    assert shown_experts(tab) == {s for s in expected if "de" in PUBLISHED[s].languages} == {"helene-roussel"}
    assert tab.locator("[data-directory-count]").inner_text() == "1 expert"
    # The choice is in the address: shared, it opens on the same experts.
    query = parse_qs(urlparse(tab.url).query)
    assert query == {"expertise": ["cybersecurite"], "ville": ["paris"], "langue": ["de"]}
    tab.goto(tab.url)
    tab.locator("form.directory-form").wait_for()
    assert shown_experts(tab) == {"helene-roussel"}
    tab.select_option("select[name=equipe]", "transformation-agile")
    assert shown_experts(tab) == set()
    tab.get_by_role("button", name="Voir tous les experts").click()
    tab.wait_for_function("() => !location.search")
    assert shown_experts(tab) == set(PUBLISHED)
    assert tab.evaluate("window.__cspViolations") == []


def test_without_javascript_the_filters_are_pages(no_js, production_site):
    no_js.goto(production_site.url("/en/experts/"))
    no_js.get_by_text("Filter the experts").click()  # a <details>: no script needed to open it
    no_js.locator('[data-facet="location"] a', has_text="Lyon").click()
    assert no_js.url.endswith("/en/experts/ville/lyon/")
    assert no_js.locator("h1").inner_text() == "Experts: Lyon"
    assert shown_experts(no_js) == {s for s, e in PUBLISHED.items() if e.location == "Lyon"}
    no_js.locator('[data-facet="language"] a', has_text="German").click()
    assert shown_experts(no_js) == {s for s, e in PUBLISHED.items() if "de" in e.languages}
    no_js.locator('[data-facet="expertise"] a', has_text="Sustainable IT").click()
    assert shown_experts(no_js) == {s for s, e in PUBLISHED.items() if "Numérique responsable" in e.expertise}
    no_js.get_by_role("link", name="Show every expert").click()
    assert no_js.url.endswith("/en/experts/")


def test_the_articles_come_in_numbered_pages(tab, production_site):
    tab.goto(production_site.url("/articles/"))
    first = tab.locator(".article-card").count()
    assert first == 24
    assert tab.locator('link[rel="prev"]').count() == 0
    tab.locator(".pagination").get_by_role("link", name="Suivante").click()
    assert tab.url.endswith("/articles/page/2/")
    assert "page 2 sur 2" in tab.title()
    assert tab.locator('.pagination a[aria-current="page"]').inner_text().endswith("2")
    assert tab.locator('link[rel="next"]').count() == 0 and tab.locator('link[rel="prev"]').count() == 1
    rest = tab.locator(".article-card").count()
    # Every published article once, in French when it has a French version.
    slugs = {
        p.parent.name
        for p in production_site.output.glob("**/articles/*/index.html")
        if "page" not in p.parts and not moved(p)
    }
    assert first + rest == len(slugs)
    tab.locator(".pagination").get_by_role("link", name="Précédente").click()
    assert tab.url.endswith("/articles/")


def test_an_article_ends_with_what_to_read_next(tab, production_site):
    tab.goto(production_site.url("/en/articles/threat-modelling-for-product-teams/"))
    related = tab.locator(".related .article-card")
    assert related.count() == 3
    assert tab.locator(".related h2").inner_text() == "Read next"
    # Each shares a topic with it (Cybersecurity, Agility), in the reader's language first, newest first.
    assert related.locator(".card__title").all_inner_texts() == [
        "Blameless postmortems that actually teach something",
        "Facilitating hybrid workshops that include everyone",
        "NIS 2: where to start when you are not a large company",
    ]
    assert "minutes read" in tab.locator(".reading-time").inner_text()


@pytest.mark.parametrize(
    "path, lang, heading",
    [("/nulle-part/", "fr", "Page introuvable"), ("/en/experts/nobody/", "en", "Page not found")],
)
def test_an_address_without_a_page_gets_the_not_found_page_of_its_language(
    tab, production_site, path, lang, heading
):
    response = tab.goto(production_site.url(path))
    assert response.status == 404
    assert tab.locator("html").get_attribute("lang") == lang
    assert tab.locator("h1").inner_text() == heading
    # Styled and working at any depth: its links start from the site's root.
    assert tab.evaluate("getComputedStyle(document.body).marginTop") == "0px"
    tab.locator(".not-found input[type=search]").fill("cloud")
    tab.locator(".not-found button").click()
    tab.locator("[data-search-results] li").first.wait_for()
    assert urlparse(tab.url).path == ("/search/" if lang == "fr" else "/en/search/")
    assert tab.evaluate("window.__cspViolations") == []


def test_a_page_on_paper_has_its_content_and_the_addresses_of_its_links(tab, production_site, artifacts):
    tab.goto(production_site.url("/en/articles/evaluating-an-llm-assistant-before-launch/"))
    tab.emulate_media(media="print")
    for hidden in (".site-nav", ".search-box", ".lang-switch", ".breadcrumbs", ".share", ".footer-links"):
        assert tab.locator(hidden).first.is_hidden(), hidden
    assert tab.locator("main h1").is_visible() and tab.locator(".prose p").first.is_visible()
    link = tab.locator('.prose a[href^="http"]').first
    href = link.get_attribute("href")
    after = link.evaluate("a => getComputedStyle(a, '::after').content")
    assert href in after, after
    assert tab.locator(".print-only").inner_text().startswith("Printed from http")
    tab.pdf(path=str(artifacts / "article-printed.pdf"))
    tab.emulate_media(media="screen")
    assert tab.locator(".site-nav").is_visible() and tab.locator(".print-only").is_hidden()
