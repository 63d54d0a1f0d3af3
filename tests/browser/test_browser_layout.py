"""Without JavaScript, and on a phone and a desktop screen.

Pages are built to work without JavaScript (the search page falls back to the
experts directory). At 360 px and 1280 px wide, the main pages are saved as
screenshots in test-artifacts/screenshots/ for a human to look at, and no
page of the site scrolls sideways on a 360 px screen.
"""

from __future__ import annotations

import pytest

from tests.browser.browser_pages import (
    ARTICLE,
    EN_HOME,
    EXPERT,
    EXPERTS,
    HOME,
    PUBLIC,
    SEARCH,
    TOPIC,
    Page,
    open_page,
    params,
)
from tests.support import pages as html_pages
from tests.support import url_of

WIDTHS = [360, 1280]


@pytest.fixture(scope="module")
def no_js(browser):
    context = browser.new_context(java_script_enabled=False)
    context.set_default_timeout(10_000)
    yield context
    context.close()


@pytest.fixture(scope="module")
def screen(browser):
    context = browser.new_context(viewport={"width": WIDTHS[0], "height": 800})
    context.set_default_timeout(10_000)
    yield context
    context.close()


def published_experts(site) -> int:
    return sum(1 for p in (site.output / "experts").glob("*/index.html"))


@pytest.mark.parametrize("page", params([HOME, EN_HOME, EXPERT, ARTICLE, EXPERTS, TOPIC]))
def test_page_shows_its_content_without_javascript(production_site, no_js, page: Page):
    tab = open_page(no_js, production_site, page)
    try:
        assert tab.locator("main h1").is_visible()
        main = tab.locator("main").inner_text()
        assert len(main) > 300, f"{page.path}: main holds only {main!r}"
        if page in (HOME, EN_HOME):
            assert tab.locator("main .article-card").first.is_visible()
            assert tab.locator("main .expert-card").first.is_visible()
        elif page is EXPERT:
            assert tab.locator("#bio-title").is_visible()
        elif page is ARTICLE:
            assert tab.locator("main .prose p").first.is_visible()
            assert tab.locator("main .prose img").first.is_visible()
    finally:
        tab.close()


def test_search_page_without_javascript_lists_the_experts(production_site, no_js):
    tab = no_js.new_page()
    try:
        tab.goto(production_site.url(SEARCH.path))
        assert tab.locator("[data-search-form]").is_hidden(), "the search form shows but cannot work"
        fallback = tab.locator("[data-search-fallback]")
        assert fallback.is_visible()
        cards = fallback.locator(".expert-card")
        assert cards.count() == published_experts(production_site)
        assert cards.first.is_visible()
        assert fallback.locator(".chips .chip").first.is_visible()  # the topics
    finally:
        tab.close()


@pytest.mark.parametrize("page", params(PUBLIC))
def test_main_pages_fit_the_screen(production_site, screen, artifacts, page: Page):
    """Loaded once, then seen at each width: the page reflows as a resized window does."""
    tab = open_page(screen, production_site, page)
    try:
        for width in WIDTHS:
            tab.set_viewport_size({"width": width, "height": 800})
            tab.screenshot(path=artifacts / f"{page.name}-{width}px.png", full_page=True)
            scroll = tab.evaluate("document.documentElement.scrollWidth")
            assert scroll <= width, (
                f"{page.path} is {scroll} px wide on a {width} px screen: {wider(tab, width)}"
            )
    finally:
        tab.close()


# The elements sticking out of the viewport: what to fix when a page scrolls sideways.
WIDER = """(width) => [...document.querySelectorAll("body *")]
  .filter((el) => el.getBoundingClientRect().right > width + 0.5)
  .slice(0, 5).map((el) => `${el.tagName.toLowerCase()}.${el.className}`)"""


def wider(tab, width: int) -> list[str]:
    return tab.evaluate(WIDER, width)


# Loads pages in 360 px wide frames, a few at a time: what each one scrolls sideways.
OVERFLOW = """async ({paths, width}) => {
  const found = {};
  for (let i = 0; i < paths.length; i += 10) {
    await Promise.all(paths.slice(i, i + 10).map((path) => new Promise((resolve) => {
      const frame = document.createElement("iframe");
      frame.width = width;
      frame.height = 800;
      frame.addEventListener("load", () => {
        const root = frame.contentDocument.documentElement;
        // clientWidth: the frame's width less its scrollbar, if it shows one.
        if (getComputedStyle(frame.contentDocument.body).marginTop !== "0px") {
          found[path] = "unstyled: its stylesheet did not load";  // site.css sets the margin to 0
        } else if (root.scrollWidth > root.clientWidth) {
          found[path] = `${root.scrollWidth} px in ${root.clientWidth} px: `
            + [...root.querySelectorAll("body *")]
            .filter((el) => el.getBoundingClientRect().right > root.clientWidth + 0.5)
            .slice(0, 3).map((el) => `${el.tagName.toLowerCase()}.${el.className}`).join(", ");
        }
        frame.remove();
        resolve();
      });
      frame.src = path;
      document.body.append(frame);
    })));
  }
  return found;
}"""


def test_no_page_scrolls_sideways_on_a_small_screen(production_site, browser):
    """Every page of the site, not just the main ones: long names, addresses and code included.

    The pages load in frames of one page (many at once, which is fast), served
    as visitors get them but for the header's ``frame-ancestors 'none'``, taken
    out on the way (the page's own policy, in its ``<meta>``, still applies).
    """
    output = production_site.output
    paths = [url_of(output, page) for page in html_pages(output)]
    context = browser.new_context()

    def framable(route) -> None:
        response = route.fetch()
        headers = dict(response.headers)
        policy = headers.get("content-security-policy", "")
        headers["content-security-policy"] = "; ".join(
            d for d in policy.split(";") if d.strip() and not d.strip().startswith("frame-ancestors")
        )
        route.fulfill(response=response, headers=headers)

    try:
        context.route(production_site.base + "/**", framable)
        tab = context.new_page()
        tab.goto(production_site.url("/robots.txt"))
        too_wide = tab.evaluate(OVERFLOW, {"paths": paths, "width": 360})
    finally:
        # Frames removed while loading (the search page's index) leave requests in the handler.
        context.unroute_all(behavior="ignoreErrors")
        context.close()
    assert len(paths) > 50
    listed = "\n".join(f"{path}: {why}" for path, why in too_wide.items())
    assert not too_wide, f"pages wider than a 360 px screen:\n{listed}"


# Each post card of the home page: its top, and how far its link to the original ends above the card's foot.
POST_LINKS = """() => [...document.querySelectorAll(".posts > li")].map((card) => {
  const box = card.getBoundingClientRect();
  return [Math.round(box.top), Math.round(box.bottom - card.querySelector(".post__source").getBoundingClientRect().bottom)];
})"""


def test_the_links_to_the_original_posts_line_up_at_the_foot_of_their_cards(production_site, screen):
    """Posts of a row differ in length: the link of each sits at its card's foot, level with its neighbours'."""
    tab = open_page(screen, production_site, HOME)
    try:
        tab.set_viewport_size({"width": 1280, "height": 800})
        cards = tab.evaluate(POST_LINKS)
        rows = {top for top, _gap in cards}
        assert len(cards) > len(rows), "the home page shows no row of several posts"
        assert len({gap for _top, gap in cards}) == 1, f"(card top, px from its link to its foot): {cards}"
    finally:
        tab.close()
