"""The pages the browser tests visit: one of each kind, in both languages' homes.

``build`` says which build serves the page: production (what visitors get)
for every public page; the preview build for what only reviewers see.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    build: str = "production"
    # A search page: typing this query must show results.
    query: str = ""

    def __str__(self) -> str:
        return self.name


HOME = Page("home", "/")
EXPERTS = Page("experts", "/experts/")
EXPERT = Page("expert", "/experts/claire-martin/")
# An article with a figure, code and three co-authors (tables: the all-pages width check).
ARTICLE = Page("article", "/articles/platform-engineering-equipe-produit/")
TOPIC = Page("topic", "/expertise/cloud/")
SEARCH = Page("search", "/search/")
SEARCH_RESULTS = Page("search-results", "/search/", query="cloud")
EN_HOME = Page("en-home", "/en/")
# Where to hear the experts, and who accepts to speak.
AGENDA = Page("agenda", "/agenda/")
SPEAKERS = Page("speakers", "/intervenants/")
# The directory on the English side (its filters as menus), a filtered page of it, a topic
# that belongs to another, and a second page of the articles.
EN_EXPERTS = Page("en-experts", "/en/experts/")
FILTERED = Page("experts-in-lyon", "/experts/ville/lyon/")
EN_TOPIC = Page("en-topic", "/en/expertise/accessibilite/")
ARTICLES_PAGE = Page("articles-page-2", "/articles/page/2/")
# Preview only: the preview bar and a draft's banner.
DRAFT = Page("draft", "/brouillons/brouillon-ia-frugale/", build="preview")
# The comms review report, written by the review plugin into `invoke preview` builds.
REVIEW = Page("review", "/review/", build="preview")

# The programme's internal pages, built by the preview: the share kit (with its script) and the dashboard.
SHARE_KIT = Page("share-kit", "/share-kit/", build="preview")
DASHBOARD = Page("dashboard", "/en/dashboard/", build="preview")

PUBLIC = [HOME, EXPERTS, EXPERT, ARTICLE, TOPIC, SEARCH, SEARCH_RESULTS, EN_HOME, AGENDA, SPEAKERS]
PUBLIC += [EN_EXPERTS, FILTERED, EN_TOPIC, ARTICLES_PAGE]
EVERY = [*PUBLIC, DRAFT, REVIEW, SHARE_KIT, DASHBOARD]


# Records, in the page itself, every CSP violation it sees.
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(`${e.effectiveDirective} blocked ${e.blockedURI || "inline"}`
    + ` at ${e.sourceFile || e.documentURI}:${e.lineNumber}`);
});
"""


def params(pages: list[Page]) -> list:
    return [pytest.param(p, id=p.name) for p in pages]


def site_of(request, page: Page):
    """The served site of ``page``; the review page is skipped, with why, while it does not exist."""
    site = request.getfixturevalue(f"{page.build}_site")
    if page is REVIEW and not site.has(page.path):
        pytest.skip("the preview build has no /review/ page (the review plugin did not write its report)")
    return site


def open_page(context, site, page: Page, *, wait_until: str = "load", scheme: str | None = None):
    """A new tab on ``page``, loaded (and, for a search page, with its query typed and answered)."""
    tab = context.new_page()
    if scheme:
        tab.emulate_media(color_scheme=scheme)
    response = tab.goto(site.url(page.path), wait_until=wait_until)
    status = response.status if response else None
    assert status == 200, f"{page.path}: HTTP {status}"
    if page.path.endswith("search/"):
        # search.js shows the form once Pagefind has loaded its filters.
        tab.locator("[data-search-form]").wait_for(state="visible")
    if page.query:
        type_query(tab, page.query)
    return tab


def type_query(tab, query: str) -> int:
    """Type ``query`` in the search page's field as a visitor would; the number of results shown."""
    field = tab.locator("#search-query")
    field.press_sequentially(query)
    results = tab.locator("[data-search-results] li")
    results.first.wait_for(state="visible")
    return results.count()
