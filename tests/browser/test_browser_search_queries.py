"""Searches a journalist would type, in both languages, against the demo as visitors get it.

A topic's name or synonym, in either language, with or without its accents,
finds every expert and article tagged with it (or with a narrower topic) and
nothing else: the topic's page first, its experts, its articles in the reader's
language, then those that exist only in the other language. The expected sets
are worked out from the sources (content/topics.yml, the profiles, the articles'
headers), so that a change to the content keeps the suite true; other searches
have their results written out.
"""

from __future__ import annotations

import datetime as dt

import pytest

from ambassade import dates
from ambassade.configure import load
from ambassade.profiles import load_profiles
from ambassade.rules import frontmatter
from ambassade.rules.frontmatter import split_list
from ambassade.topics import load_vocabulary
from tests.browser.browser_pages import SEARCH
from tests.support import ROOT

VOCABULARY, _ = load_vocabulary(ROOT / "content" / "topics.yml", ("fr", "en"))
EXPERTS, _ = load_profiles(ROOT / "experts")
NOW = dt.datetime.now(dt.UTC)


def _prefix(lang: str) -> str:
    return "" if lang == "fr" else f"{lang}/"


SETTINGS = load(ROOT / "pelicanconf.py")


def _articles() -> dict[str, dict[str, tuple[dt.datetime, set[str]]]]:
    """Published articles by slug: their versions, each with its date and topics (slugs)."""
    out: dict[str, dict] = {}
    for path in (ROOT / "content" / "articles").glob("*.md"):
        doc = frontmatter.read(path)
        date = dates.parse(doc.value("date") or "", SETTINGS)
        if doc.value("status") == "draft" or date > NOW:
            continue
        topics = {VOCABULARY.resolve(name).slug for name, _ in split_list(doc.get("tags"))}
        out.setdefault(doc.value("slug"), {})[doc.value("lang", "fr")] = (date, topics)
    return out


ARTICLES = _articles()


def tagged(slug: str, lang: str) -> list[set[str]]:
    """What a search for topic ``slug`` on the ``lang`` side lists, group by group:
    topic pages, experts, articles in ``lang``, articles in the other language only."""
    covered = {t for t in VOCABULARY.topics if slug in {x.slug for x in VOCABULARY.lineage(t)}}
    here = _prefix(lang)
    experts = {
        f"/{here}experts/{e.slug}/"
        for e in EXPERTS.values()
        if e.published and covered & {VOCABULARY.resolve(n).slug for n in e.expertise}
    }
    own, other = set(), set()
    for article_slug, versions in ARTICLES.items():
        if not covered & set().union(*(topics for _, topics in versions.values())):
            continue
        if lang in versions:
            own.add(f"/{here}articles/{article_slug}/")
        else:
            (version,) = versions
            other.add(f"/{_prefix(version)}articles/{article_slug}/")
    pages = {f"/{here}expertise/{t}/" for t in covered if has_page(t)}
    return [pages, experts, own, other]


def has_page(topic: str) -> bool:
    """Whether the topic has a page: someone or something is tagged with it or a narrower one."""
    below = {t for t in VOCABULARY.topics if topic in {x.slug for x in VOCABULARY.lineage(t)}}
    in_profiles = any(
        e.published and below & {VOCABULARY.resolve(n).slug for n in e.expertise} for e in EXPERTS.values()
    )
    in_articles = any(below & topics for versions in ARTICLES.values() for _, topics in versions.values())
    return in_profiles or in_articles


@pytest.fixture(scope="module")
def context(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    yield context
    context.close()


@pytest.fixture(scope="module")
def search(context, production_site):
    """Type a query on one side's search page; the results' addresses, in order, and the status line."""
    tab = context.new_page()

    def run(lang: str, query: str) -> tuple[list[str], str]:
        tab.goto(production_site.url(f"/{_prefix(lang)}{SEARCH.path.lstrip('/')}"))
        tab.locator("[data-search-form]").wait_for(state="visible")
        tab.locator("#search-query").fill(query)
        # The address takes the query once the whole of it is answered.
        tab.wait_for_function("q => new URLSearchParams(location.search).get('q') === q", arg=query)
        status = tab.locator("[data-search-status]").inner_text()
        while tab.locator("[data-search-more]").is_visible():
            tab.locator("[data-search-more]").click()
        links = tab.locator("[data-search-results] li > a")
        hrefs = [
            href.removeprefix(production_site.base) for href in links.evaluate_all("a => a.map(x => x.href)")
        ]
        return hrefs, status

    yield run
    tab.close()


# Each topic by its name in the reader's language, by its name in the other one, by a synonym,
# and written without accents or capitals.
TOPIC_QUERIES = [
    (lang, query, slug)
    for slug, topic in VOCABULARY.topics.items()
    if has_page(slug)
    for lang, query in (
        ("fr", topic.names["fr"]),
        ("en", topic.names["en"]),
        ("en", topic.names["fr"]),
        ("fr", topic.synonyms[0]),
        ("en", topic.synonyms[-1]),
        ("fr", topic.names["fr"].upper().replace("É", "E")),
    )
]


@pytest.mark.parametrize(
    "lang, query, slug", TOPIC_QUERIES, ids=[f"{lang}:{q}" for lang, q, _ in TOPIC_QUERIES]
)
def test_a_topic_finds_everything_tagged_with_it_and_nothing_else(search, lang, query, slug):
    results, status = search(lang, query)
    groups = tagged(slug, lang)
    assert set(results) == set().union(*groups), (
        sorted(set(results) - set().union(*groups)),
        sorted(set().union(*groups) - set(results)),
    )
    # In this order: its page (and its narrower topics'), its experts, the articles in the
    # reader's language, then those in the other language only.
    order = [next(i for i, group in enumerate(groups) if url in group) for url in results]
    assert order == sorted(order), results
    assert status == counted(len(results), lang)


def counted(n: int, lang: str) -> str:
    """The status line, as the catalogs word it: "1 résultat", "2 résultats", "1 result"…"""
    if lang == "fr":
        return f"{n} résultat" + ("s" if n > 1 else "")
    return f"{n} result" + ("s" if n != 1 else "")


# Words that are no topic: written out.
FREE_QUERIES = [
    ("fr", "xyzzy", []),
    ("en", "xyzzy", []),
    (
        "en",
        "threat modelling",
        ["/en/articles/threat-modelling-for-product-teams/", "/en/experts/ines-carvalho/"],
    ),
    # An author's name finds them first; their articles follow.
    ("fr", "Noémie Garnier", None),
    ("en", "kubernetes cost", None),
]


@pytest.mark.parametrize(
    "lang, query, expected", FREE_QUERIES, ids=[f"{lang}:{q}" for lang, q, _ in FREE_QUERIES]
)
def test_other_searches_find_what_holds_the_words(search, lang, query, expected):
    results, status = search(lang, query)
    if expected is not None:
        assert results == expected
        assert status == (
            counted(len(expected), lang) if expected else {"fr": "Aucun résultat.", "en": "No result."}[lang]
        )
        return
    if query == "Noémie Garnier":
        assert results[0] == "/experts/noemie-garnier/"
        assert {"/articles/duree-de-vie-terminaux/", "/articles/ecoconception-service-numerique/"} <= set(
            results
        )
        assert "/en/experts/noemie-garnier/" not in results, "one page per person: the reader's language's"
    else:
        assert results[0] == "/en/articles/kubernetes-cost-right-sizing/" or results[:2] == [
            "/en/expertise/cloud/",
            "/en/articles/kubernetes-cost-right-sizing/",
        ]


def test_the_suite_holds_twenty_queries_in_each_language():
    queries = [(lang, q) for lang, q, _ in TOPIC_QUERIES] + [(lang, q) for lang, q, _ in FREE_QUERIES]
    assert sum(lang == "fr" for lang, _ in queries) >= 20 and sum(lang == "en" for lang, _ in queries) >= 20
