"""Privacy, strict CSP and page weight, as a first-time visitor's browser sees them.

Each page is loaded once, in one fresh browser context, from the site served
with the host's headers (the strict Content-Security-Policy included); what
the browser did is recorded (requests, sizes, console, CSP violations,
cookies, storage) and each test checks one aspect of that record. The pages
share the visitor's browser, as one visit of the site would: the first page
found storing something is the one that stored it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fnmatch import fnmatch
from urllib.parse import urlsplit

import pytest

from tests.browser.browser_pages import (
    CSP_LISTENER,
    EVERY,
    HOME,
    SEARCH_RESULTS,
    Page,
    params,
    site_of,
    type_query,
)

# Scripts a page may load, by path pattern (fnmatch; /[a-z][a-z]/ is a language's
# folder, * one folder name), and why. A page that matches
# no pattern loads no script at all: when a page needs one, add it here with its reason.
SEARCH_SCRIPTS = {"/theme/js/search.js", "/pagefind/pagefind.js", "/pagefind/pagefind-worker.js"}
SCRIPTS = {
    # search.js runs the search with Pagefind, which loads its worker, WebAssembly and index itself.
    "/search/": SEARCH_SCRIPTS,
    "/[a-z][a-z]/search/": SEARCH_SCRIPTS,
    # posts.js shows a different pick of the experts' recent posts on each visit.
    "/": {"/theme/js/posts.js"},
    "/[a-z][a-z]/": {"/theme/js/posts.js"},
    # experts.js filters the directory in place (its filtered pages need no script).
    "/experts/": {"/theme/js/experts.js"},
    "/[a-z][a-z]/experts/": {"/theme/js/experts.js"},
    # share.js adds the copy buttons and the Mastodon server prompt of the share links.
    "/articles/*/": {"/theme/js/share.js"},
    "/[a-z][a-z]/articles/*/": {"/theme/js/share.js"},
    # The share kit: copy buttons, one wording at a time, the colleague's own links.
    "/share-kit/": {"/theme/js/share.js"},
    "/[a-z][a-z]/share-kit/": {"/theme/js/share.js"},
}


def allowed_scripts(path: str) -> set[str]:
    return set().union(
        *(
            scripts
            for pattern, scripts in SCRIPTS.items()
            if fnmatch(path, pattern) and pattern.count("/") == path.count("/")
        )
    )


# The home page's own HTML, styles and scripts (images aside) stay under this many bytes.
HOME_BUDGET = 100 * 1024

# What the page keeps in the visitor's browser.
STORAGE = """async () => ({
  localStorage: Object.keys(localStorage),
  sessionStorage: Object.keys(sessionStorage),
  indexedDB: (await indexedDB.databases()).map((db) => db.name),
  cacheStorage: await caches.keys(),
  serviceWorkers: (await navigator.serviceWorker.getRegistrations()).map((r) => r.scope),
  documentCookie: document.cookie,
})"""


@dataclass
class Request:
    url: str
    resource_type: str
    transferred: int  # bytes received: response headers and body


@dataclass
class Visit:
    page: Page
    base: str
    requests: list[Request] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    csp_violations: list[str] = field(default_factory=list)
    stored_on_load: dict = field(default_factory=dict)
    cookies_on_load: list = field(default_factory=list)
    document_headers: dict = field(default_factory=dict)
    results: int = 0

    def local(self, url: str) -> bool:
        return url.startswith(self.base + "/") or urlsplit(url).scheme in {"data", "blob"}

    def paths(self, *types: str) -> set[str]:
        return {urlsplit(r.url).path for r in self.requests if r.resource_type in types}


@pytest.fixture(scope="module")
def visitor(browser):
    """A first-time visitor's browser: nothing stored, every CSP violation recorded."""
    context = browser.new_context()
    context.set_default_timeout(10_000)
    context.add_init_script(CSP_LISTENER)
    yield context
    context.close()


@pytest.fixture(scope="module")
def visits(request, visitor):
    """Each page's visit, made once, when a test first asks for it."""
    done: dict[str, Visit] = {}

    def visit(page: Page) -> Visit:
        if page.name not in done:
            done[page.name] = _visit(visitor, site_of(request, page), page)
        return done[page.name]

    return visit


def _visit(context, site, page: Page) -> Visit:
    record = Visit(page, site.base)
    requests = []

    def on_response(response) -> None:
        if response.status >= 400:
            record.failures.append(f"{response.url}: HTTP {response.status}")

    def on_console(message) -> None:
        if message.type in ("error", "warning"):
            record.console.append(f"{message.type}: {message.text}")

    tab = context.new_page()
    tab.on("request", lambda r: requests.append(r))
    tab.on("requestfailed", lambda r: record.failures.append(f"{r.url}: {r.failure}"))
    tab.on("response", on_response)
    tab.on("console", on_console)
    tab.on("pageerror", lambda e: record.console.append(f"uncaught: {e}"))
    try:
        # networkidle: also whatever a page would fetch once loaded.
        response = tab.goto(site.url(page.path), wait_until="networkidle")
        assert response is not None and response.status == 200, f"{page.path}: {response and response.status}"
        record.document_headers = response.all_headers()
        record.stored_on_load = tab.evaluate(STORAGE)
        record.cookies_on_load = context.cookies()
        if page.query:  # the visitor searches
            tab.locator("[data-search-form]").wait_for(state="visible")
            record.results = type_query(tab, page.query)
            tab.wait_for_load_state("networkidle")
        record.csp_violations = tab.evaluate("window.__cspViolations")
        # Sizes are known once each response is complete.
        record.requests = [Request(r.url, r.resource_type, _transferred(r)) for r in requests]
    finally:
        tab.close()
    return record


def _transferred(request) -> int:
    if request.response() is None:
        return 0
    sizes = request.sizes()
    return sizes["responseHeadersSize"] + sizes["responseBodySize"]


@pytest.mark.parametrize("page", params(EVERY))
def test_no_request_leaves_the_site(visits, page: Page):
    visit = visits(page)
    elsewhere = sorted({r.url for r in visit.requests if not visit.local(r.url)})
    assert not elsewhere, f"{page.path} requested other origins: {elsewhere}"
    assert not visit.failures, f"{page.path}: failed requests: {visit.failures}"


@pytest.mark.parametrize("page", params(EVERY))
def test_nothing_is_stored_without_the_visitor_asking(visits, page: Page):
    visit = visits(page)
    assert visit.cookies_on_load == [], f"{page.path} set cookies: {visit.cookies_on_load}"
    stored = {k: v for k, v in visit.stored_on_load.items() if v}
    assert not stored, f"{page.path} stored: {stored}"


@pytest.mark.parametrize("page", params(EVERY))
def test_strict_csp_is_served_and_nothing_breaks_it(visits, served_headers, page: Page):
    visit = visits(page)
    assert visit.document_headers.get("content-security-policy") == served_headers["Content-Security-Policy"]
    assert not visit.csp_violations, f"{page.path}: CSP violations: {visit.csp_violations}"
    assert not visit.console, f"{page.path}: console errors and warnings: {visit.console}"


def test_search_finds_under_the_strict_csp(visits):
    visit = visits(SEARCH_RESULTS)
    assert visit.results > 0, "typing 'cloud' on /search/ shows no result"
    assert "/pagefind/pagefind.js" in visit.paths("script")


def test_csp_violations_are_seen(production_site, visitor):
    """The CSP check can fail: a style attribute added to a page is blocked and reported."""
    tab = visitor.new_page()
    try:
        tab.goto(production_site.url("/"))
        tab.evaluate("""() => document.querySelector("main").insertAdjacentHTML(
            "beforeend", '<p id="inline-style" style="color: red">red?</p>')""")
        tab.wait_for_function("window.__cspViolations.length > 0")
        assert "style-src-attr" in tab.evaluate("window.__cspViolations")[0]
        color = tab.evaluate("getComputedStyle(document.getElementById('inline-style')).color")
        assert color != "rgb(255, 0, 0)"
    finally:
        tab.close()


@pytest.mark.parametrize("page", params(EVERY))
def test_a_page_loads_only_the_scripts_it_uses(visits, page: Page):
    visit = visits(page)
    fetched = visit.paths("fetch", "xhr", "other")
    loaded = visit.paths("script") | {p for p in fetched if p.endswith((".js", ".mjs"))}
    allowed = allowed_scripts(page.path)
    assert loaded <= allowed, f"{page.path} loads scripts not listed in SCRIPTS: {sorted(loaded - allowed)}"


def test_home_page_weight(visits):
    visit = visits(HOME)
    counted = [r for r in visit.requests if r.resource_type in ("document", "stylesheet", "script")]
    assert {r.resource_type for r in counted} >= {"document", "stylesheet"}
    total = sum(r.transferred for r in counted)
    detail = ", ".join(f"{urlsplit(r.url).path} {r.transferred} B" for r in counted)
    assert total < HOME_BUDGET, (
        f"the home page weighs {total} B of HTML, CSS and JS (budget {HOME_BUDGET}): {detail}"
    )
    assert all(r.transferred > 0 for r in counted), detail
