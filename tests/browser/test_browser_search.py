"""Search over an index in parts: a visitor finds what one whole index finds.

A large site's index is built in parts that the search page merges
(plugins/discovery/search.py). The demo is small enough for one part, so it is
built here again with parts of 8 pages, and the same searches are run on both.
"""

from __future__ import annotations

import io
import json
import shutil
from urllib.parse import quote

import pytest

from ambassade.build import main
from tests.browser.browser_pages import SEARCH, open_page, type_query
from tests.browser.browser_server import serve
from tests.browser.conftest import Site
from tests.support import PUBLISH_CONF, profile, site_overrides, write_site


@pytest.fixture(scope="module")
def parted_site(tmp_path_factory, served_headers):
    output = tmp_path_factory.mktemp("served-parts") / "output"
    with serve(output, served_headers) as base:
        err = io.StringIO()
        overrides = {
            "OUTPUT_PATH": str(output),
            "SITEURL": base,
            "FEED_DOMAIN": base,
            "CACHE_PATH": str(output.parent / "cache"),
            "DISCOVERY": {"search_part_pages": 8},
        }
        assert main(str(PUBLISH_CONF), overrides=overrides, stream=err) == 0, err.getvalue()
        yield Site(base, output)


@pytest.fixture
def context(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    yield context
    context.close()


def _search(context, site: Site, query: str, kind: str | None = None) -> tuple[set[str], str, list[str]]:
    """The results' addresses, the status line and the filter labels a visitor sees after typing ``query``
    (then ticking the ``kind`` filter)."""
    tab = open_page(context, site, SEARCH)
    try:
        type_query(tab, query)
        tab.wait_for_url(f"**/search/?q={quote(query)}")  # set once the results of the whole query show
        status = tab.locator("[data-search-status]")
        if kind:
            before = status.inner_text()
            tab.locator("details.search-filters > summary").click()  # closed, so that results come first
            tab.locator(f"input[name=kind][value={kind}]").check()
            tab.wait_for_function(
                "t => document.querySelector('[data-search-status]').textContent !== t", arg=before
            )
        links = tab.locator("[data-search-results] li a")
        hrefs = {href.removeprefix(site.base) for href in links.evaluate_all("els => els.map(a => a.href)")}
        labels = tab.locator("[data-search-filters] label").all_inner_texts()
        return hrefs, status.inner_text(), labels
    finally:
        tab.close()


@pytest.mark.parametrize("query, kind", [("cloud", None), ("cloud", "expert"), ("cloud", "article")])
def test_a_search_over_parts_finds_what_one_index_finds(parted_site, production_site, context, query, kind):
    parts = json.loads((parted_site.output / "pagefind" / "parts.json").read_text())["parts"]
    assert len(parts) >= 8  # more pages than parts of 8
    merged = _search(context, parted_site, query, kind)
    whole = _search(context, production_site, query, kind)
    assert merged[0], f"no result for {query!r}"
    assert merged == whole, (sorted(merged[0] - whole[0]), sorted(whole[0] - merged[0]))


@pytest.mark.parametrize("query", ["sécurité", "données"])
def test_a_word_missing_from_a_part_only_adds_near_matches(parted_site, production_site, context, query):
    """A part without the exact word answers with near words, as Pagefind does: more, never fewer."""
    merged, _, _ = _search(context, parted_site, query)
    whole, _, _ = _search(context, production_site, query)
    assert whole and whole <= merged


@pytest.fixture(scope="module")
def site_with_nothing_to_find(tmp_path_factory, served_headers):
    """A company whose only profile is not published yet and who has no article."""
    base = write_site(
        tmp_path_factory.mktemp("nothing-to-find"),
        {"experts/ana-roy.yml": profile("Ana Roy", published=False)},
    )
    output = base / "output"
    with serve(output, served_headers) as url:
        err = io.StringIO()
        overrides = {
            **site_overrides(base),
            "SITEURL": url,
            "FEED_DOMAIN": url,
            "CACHE_PATH": str(base / "cache"),
        }
        assert main(str(PUBLISH_CONF), overrides=overrides, stream=err) == 0, err.getvalue()
        yield Site(url, output)


def test_with_nothing_to_find_the_search_page_keeps_its_form_hidden_without_an_error(
    site_with_nothing_to_find, context
):
    tab = context.new_page()
    problems = []
    tab.on("console", lambda m: m.type in ("error", "warning") and problems.append(f"{m.type}: {m.text}"))
    tab.on("pageerror", lambda e: problems.append(f"uncaught: {e}"))
    tab.on("response", lambda r: r.status >= 400 and problems.append(f"HTTP {r.status} {r.url}"))
    try:
        tab.goto(site_with_nothing_to_find.url(SEARCH.path), wait_until="networkidle")
        assert tab.locator("[data-search-fallback]").is_visible()
        assert tab.locator("#search-query").is_hidden()
        assert problems == []
    finally:
        tab.close()


def test_a_part_that_does_not_load_leaves_the_others_searched(context, tmp_path, served_headers):
    """A deploy that lost one part of the index: the search still answers from the others."""
    output = tmp_path / "output"
    with serve(output, served_headers) as base:
        err = io.StringIO()
        overrides = {
            "OUTPUT_PATH": str(output),
            "SITEURL": base,
            "FEED_DOMAIN": base,
            "CACHE_PATH": str(tmp_path / "cache"),
            "DISCOVERY": {"search_part_pages": 8},
        }
        assert main(str(PUBLISH_CONF), overrides=overrides, stream=err) == 0, err.getvalue()
        missing = json.loads((output / "pagefind" / "parts.json").read_text())["parts"][1]
        shutil.rmtree(output / missing)
        tab = context.new_page()
        uncaught = []
        tab.on("pageerror", lambda e: uncaught.append(str(e)))
        try:
            tab.goto(f"{base}{SEARCH.path}")
            tab.locator("[data-search-form]").wait_for(state="visible")
            assert type_query(tab, "cloud") > 0
            assert uncaught == []
        finally:
            tab.close()
