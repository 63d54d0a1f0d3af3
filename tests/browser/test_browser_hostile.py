"""Hostile names and titles in a real browser: a page never loses its body, and nothing runs.

A name like ``A<script>B`` or a title like ``<!--<script>T`` is text a person
may type; inside a page's JSON-LD, written unescaped, it keeps the element
open and Chromium shows a page without a body. Served with the host's headers
and without them (the page's own policy, in its ``<meta>``, still holds), every
page of such a person keeps its main content visible, and no script of theirs runs.
"""

from __future__ import annotations

import io
import shutil

import pytest

from ambassade.build import main
from tests.browser.browser_server import serve
from tests.support import PREVIEW_CONF, article, profile, site_overrides, write_site

NAME = "Ana<!--<script>window.ran=1</script>Bel"
TITLE = "<!--<script>T</script>--> et </script><script>window.ran=2</script>"
SITE = {
    "experts/ana-bel.yml": profile(NAME, expertise="[Cloud]", bio="Une biographie visible.").replace(
        "role: Consultante", 'role: "x<!--"'
    ),
    "content/articles/titre-hostile.md": article(
        TITLE, "ana-bel", body="Le corps de l'article est visible.", slug="titre-hostile"
    ),
}


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    base = write_site(tmp_path_factory.mktemp("hostile-browser") / "site", SITE)
    out = base / "output"
    err = io.StringIO()
    assert main(str(PREVIEW_CONF), overrides=site_overrides(base, out), stream=err) == 0, err.getvalue()
    return out


@pytest.mark.parametrize("headers", ["with the host's headers", "without headers"])
@pytest.mark.parametrize(
    "path, text",
    [
        ("/experts/ana-bel/", "Une biographie visible."),
        ("/articles/titre-hostile/", "Le corps de l'article est visible."),
        ("/", "Ana"),
    ],
)
def test_a_page_keeps_its_body_whatever_a_name_or_title_holds(
    hostile_site, browser, served_headers, artifacts, headers, path, text
):
    sent = served_headers if headers.startswith("with ") else {}
    context = browser.new_context()
    try:
        with serve(hostile_site, sent) as base:
            tab = context.new_page()
            violations = []
            tab.on(
                "console",
                lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
            )
            tab.goto(base + path)
            main = tab.locator("main")
            assert main.is_visible(), f"{path}: the page has no visible body"
            assert text in main.inner_text(), f"{path}: its text is not shown"
            assert tab.locator("footer.site-footer").is_visible(), f"{path}: the page ends before its footer"
            assert tab.evaluate("window.ran") is None, f"{path}: a script from a name or a title ran"
            for width in (1280, 390):
                tab.set_viewport_size({"width": width, "height": 900})
                name = path.strip("/").replace("/", "-") or "home"
                tab.screenshot(path=artifacts / f"hostile-{name}-{width}px.png", full_page=True)
            assert violations == [], violations
    finally:
        context.close()


def test_a_page_served_without_headers_still_refuses_a_script_slipped_into_it(
    hostile_site, browser, tmp_path
):
    """Whatever put it there, an inline script or handler in a page does not run where the host
    sends no Content-Security-Policy (``make serve``, a shared folder): the page's <meta> refuses it."""
    copy = tmp_path / "output"
    shutil.copytree(hostile_site, copy)
    page = copy / "experts" / "ana-bel" / "index.html"
    slipped = (
        '<script>window.injected = 1</script><img src="/nowhere.png" alt="" onerror="window.injected = 2">'
    )
    page.write_text(
        page.read_text(encoding="utf-8").replace("</main>", slipped + "</main>", 1), encoding="utf-8"
    )
    context = browser.new_context()
    try:
        with serve(copy, {}) as base:
            tab = context.new_page()
            refused = []
            tab.on(
                "console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None
            )
            tab.goto(base + "/experts/ana-bel/")
            tab.wait_for_load_state("networkidle")
            assert tab.evaluate("window.injected") is None
            assert len(refused) >= 2, refused
    finally:
        context.close()
