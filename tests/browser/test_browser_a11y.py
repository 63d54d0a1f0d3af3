"""Accessibility in a real browser: axe-core finds nothing, and the keyboard alone is enough.

axe-core (pinned in npm/package-lock.json) runs the WCAG 2.0, 2.1 and 2.2
A and AA rules on each kind of page, in light and dark colour schemes. The
keyboard tests tab through every page: each focused element must show a
focus indicator and be on screen, every link and control must be reachable,
and the skip link must move the keyboard into the content.
"""

from __future__ import annotations

import pytest

from tests.browser.browser_pages import ARTICLE, DRAFT, EVERY, HOME, Page, open_page, params, site_of

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
SCHEMES = ["light", "dark"]


@pytest.fixture(scope="module")
def context(browser):
    # Reduced motion: focusing scrolls the element into view at once, not smoothly,
    # so that where it is can be measured right after the key press.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, reduced_motion="reduce")
    context.set_default_timeout(10_000)
    yield context
    context.close()


def axe_violations(tab, axe_source: str) -> list[dict]:
    """axe-core's violations on the page as it is now (evaluated through DevTools: no inline script)."""
    if not tab.evaluate("typeof window.axe === 'object'"):
        tab.evaluate(axe_source)
    return tab.evaluate(
        """async (tags) => {
          const result = await axe.run(document,
            {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
          return result.violations.map((v) => ({
            rule: v.id, impact: v.impact, help: v.help, url: v.helpUrl,
            nodes: v.nodes.slice(0, 5).map((n) => ({target: n.target.join(" "), why: n.failureSummary})),
            count: v.nodes.length,
          }));
        }""",
        AXE_TAGS,
    )


def report(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['rule']} ({v['impact']}, {v['count']} element(s)): {v['help']} — {v['url']}")
        lines += [f"    {n['target']}: {n['why']}".replace("\n", " / ") for n in v["nodes"]]
    return "\n".join(lines)


@pytest.mark.parametrize("page", params(EVERY))
def test_axe_finds_no_violation_in_light_and_dark(request, context, axe_source, page: Page):
    """One load, both colour schemes: switching the scheme restyles the page in place."""
    tab = open_page(context, site_of(request, page), page)
    try:
        found = []
        for scheme in SCHEMES:
            tab.emulate_media(color_scheme=scheme)
            assert tab.evaluate(f"matchMedia('(prefers-color-scheme: {scheme})').matches")
            violations = axe_violations(tab, axe_source)
            if violations:
                found.append(f"in the {scheme} scheme:\n{report(violations)}")
        assert not found, f"{page.path}:\n" + "\n".join(found)
    finally:
        tab.close()


def test_axe_reports_what_it_should(production_site, context, axe_source):
    """The check can fail: an image without text, and text too dark for the dark scheme only."""
    tab = open_page(context, production_site, HOME)
    try:
        # Through the DOM and the CSSOM, which the CSP allows (no style attribute, no <style>).
        tab.evaluate("""() => {
          const img = document.createElement("img");
          img.src = document.querySelector("link[rel=icon]").href;
          document.querySelector("main").append(img);
          const sheet = document.styleSheets[0];
          sheet.insertRule("@media (prefers-color-scheme: dark) { .lead { color: #333 !important } }",
                           sheet.cssRules.length);
        }""")
        rules = {}
        for scheme in SCHEMES:
            tab.emulate_media(color_scheme=scheme)
            rules[scheme] = {v["rule"] for v in axe_violations(tab, axe_source)}
        assert "image-alt" in rules["light"] and "color-contrast" not in rules["light"]
        assert {"image-alt", "color-contrast"} <= rules["dark"]
    finally:
        tab.close()


# --- keyboard ---------------------------------------------------------------

# What the focused element looks like, and whether it is on screen.
FOCUSED = r"""() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  el.dataset.keyboardReached = "";
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  const seen = (color) => !/^(transparent|rgba\(.*,\s*0\))$/.test(color);
  const ring = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0
    && seen(style.outlineColor);
  const shadow = style.boxShadow !== "none" && !/^rgba\([^)]*,\s*0\)/.test(style.boxShadow);
  return {
    what: `${el.tagName.toLowerCase()} "${(el.textContent || el.value || el.name || "").trim().slice(0, 40)}"`
      + ` (${el.getAttribute("href") || el.id || el.className})`,
    visibleFocus: ring || shadow,
    onScreen: box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0
      && box.top < innerHeight && box.left < innerWidth,
    inMain: !!el.closest("main"),
    skipLink: el.classList.contains("skip-link"),
  };
}"""

# Every link and control a mouse could use, that the keyboard did not reach.
UNREACHED = """() => [...document.querySelectorAll(
    'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]:not([tabindex="-1"])')]
  .filter((el) => el.checkVisibility() && !el.disabled && !("keyboardReached" in el.dataset))
  .map((el) => `${el.tagName.toLowerCase()} `
    + (el.getAttribute("href") || el.name || el.textContent.trim().slice(0, 40)))
"""


def tab_through(tab, limit: int = 400) -> list[dict]:
    """Press Tab until focus leaves the page; what was focused, in order."""
    seen = []
    for _ in range(limit):
        tab.keyboard.press("Tab")
        focused = tab.evaluate(FOCUSED)
        if focused is None:
            return seen
        seen.append(focused)
    pytest.fail(f"focus never left the page after {limit} Tab presses: a keyboard trap?")


@pytest.mark.parametrize("page", params(EVERY))
def test_keyboard_reaches_everything_with_a_visible_focus(request, context, page: Page):
    tab = open_page(context, site_of(request, page), page)
    try:
        stops = tab_through(tab)
        if page.query:  # focus started in the search field: go round once more, from the top
            stops = tab_through(tab)
        assert stops and stops[0]["skipLink"], f"{page.path}: the first Tab does not focus the skip link"
        hidden = [s["what"] for s in stops if not s["visibleFocus"]]
        assert not hidden, f"{page.path}: focused without a visible focus indicator: {hidden}"
        off = [s["what"] for s in stops if not s["onScreen"]]
        assert not off, f"{page.path}: focused but not on screen: {off}"
        unreached = tab.evaluate(UNREACHED)
        assert not unreached, f"{page.path}: never reached by the keyboard: {unreached}"
    finally:
        tab.close()


def test_keyboard_check_sees_a_hidden_focus(production_site, context):
    """The focus check can fail: with the links' focus ring removed, it says so."""
    tab = open_page(context, production_site, ARTICLE)
    try:
        # Through the CSSOM, which the CSP allows (a <style> element it would block).
        tab.evaluate("document.styleSheets[0].insertRule(':focus-visible { outline: none !important }')")
        hidden = [s for s in tab_through(tab) if not s["visibleFocus"]]
        assert hidden and hidden[0]["skipLink"]
    finally:
        tab.close()


# The skip link is the same on every page: one page of each layout (the preview bar above it).
@pytest.mark.parametrize("page", params([HOME, ARTICLE, DRAFT]))
def test_skip_link_moves_the_keyboard_into_the_content(request, context, page: Page):
    tab = open_page(context, site_of(request, page), page)
    try:
        tab.keyboard.press("Tab")
        assert tab.evaluate(FOCUSED)["skipLink"]
        tab.keyboard.press("Enter")
        assert tab.evaluate("location.hash") == "#main"
        tab.keyboard.press("Tab")
        focused = tab.evaluate(FOCUSED)
        assert focused and focused["inMain"], f"{page.path}: after the skip link, Tab focuses {focused}"
    finally:
        tab.close()


def test_search_by_keyboard_alone(production_site, context):
    """From the header's search field to a result's page, with the keyboard only."""
    tab = open_page(context, production_site, HOME)
    try:
        for _ in range(40):
            tab.keyboard.press("Tab")
            if tab.evaluate("document.activeElement.id") == "site-search":
                break
        else:
            pytest.fail("Tab never reaches the header's search field")
        tab.keyboard.type("cloud")
        tab.keyboard.press("Enter")
        tab.wait_for_url("**/search/?q=cloud")
        results = tab.locator("[data-search-results] li a")
        results.first.wait_for(state="visible")
        for _ in range(200):
            tab.keyboard.press("Tab")
            if tab.evaluate("!!document.activeElement.closest('[data-search-results]')"):
                break
        else:
            pytest.fail("Tab never reaches the search results")
        target = tab.evaluate("document.activeElement.href")
        tab.keyboard.press("Enter")
        tab.wait_for_url(target)
        assert tab.locator("main h1").is_visible()
    finally:
        tab.close()
