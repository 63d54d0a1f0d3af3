"""`invoke livereload` in Chromium: the open page follows the sources, and shows what stops the build.

A real site in a temp folder, the live server of ``ambassade.live`` with its
watcher, and a page open in Chromium while the sources are edited as a
contributor edits them: a saved change reloads the page by itself; a mistake
lays the build's errors over the page, each at its file:line, in the tools'
language, with nothing breaking the page's Content-Security-Policy; the fix
takes the overlay away. No built file carries the live script.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from ambassade import i18n
from ambassade.live import LiveSite
from tests.support import PREVIEW_CONF, article, profile, site_overrides, write_site

WAIT_MS = 90_000  # a build on a machine shared with other test runs

SITE = {
    "experts/alice-dupont.yml": profile("Alice Dupont"),
    "content/articles/premier.md": article("Premier article", "alice-dupont", body="Le premier jet."),
}


@pytest.fixture
def live(tmp_path, monkeypatch) -> Iterator[tuple[LiveSite, Path]]:
    """A livereload session on a small site, speaking French, watching its sources."""
    monkeypatch.setenv("AMBASSADE_LANG", "fr")
    i18n.use(lang="fr")
    base = write_site(tmp_path / "site", SITE)
    site = LiveSite(
        PREVIEW_CONF,
        tmp_path / "output",
        [base / "content", base / "experts"],
        overrides=site_overrides(base),
        port=0,
        stream=io.StringIO(),
    )
    assert site.build().status == 0, site.stream.getvalue()
    site.start()
    stop = threading.Event()
    watcher = threading.Thread(target=site.watch, args=(stop,), name="live-watch", daemon=True)
    watcher.start()
    try:
        yield site, base
    finally:
        stop.set()
        watcher.join(timeout=30)
        site.close()


def _watch_page(browser, url: str, width: int = 1280):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    seen = {"console": [], "foreign": []}
    page.on("console", lambda msg: seen["console"].append(msg.text) if msg.type == "error" else None)
    page.on(
        "request",
        lambda request: (
            None if request.url.startswith(url.split("/articles")[0]) else seen["foreign"].append(request.url)
        ),
    )
    page.goto(url)
    return context, page, seen


def test_the_open_page_reloads_after_each_build_and_shows_errors_while_they_stand(live, browser, artifacts):
    from playwright.sync_api import expect

    site, base = live
    source = base / "content" / "articles" / "premier.md"
    context, page, seen = _watch_page(browser, site.url + "articles/premier-article/")
    try:
        expect(page.locator("main")).to_contain_text("Le premier jet.")

        # A saved change: the page shows it without anyone reloading it.
        source.write_text(article("Premier article", "alice-dupont", body="Le second jet."), encoding="utf-8")
        expect(page.locator("main")).to_contain_text("Le second jet.", timeout=WAIT_MS)

        # A mistake: the build stops, the page stays, and says what to fix, where.
        source.write_text(
            article("Premier article", "alice-dupond", body="Le troisième jet."), encoding="utf-8"
        )
        overlay = page.locator(".ambassade-live")
        expect(overlay).to_be_visible(timeout=WAIT_MS)
        expect(overlay).to_contain_text("La construction s'est arrêtée : 1 erreur, 0 avertissement")
        expect(overlay).to_contain_text("content/articles/premier.md:3:10")
        expect(overlay).to_contain_text("auteur inconnu « alice-dupond »")
        expect(overlay).to_contain_text("vouliez-vous dire « alice-dupont » ?")
        expect(page.locator("main")).to_contain_text("Le second jet."), "the last good build stays"
        expect(page.get_by_role("alert")).to_have_count(1)
        page.screenshot(path=str(artifacts / "livereload-overlay-1280.png"))
        page.set_viewport_size({"width": 390, "height": 844})
        page.screenshot(path=str(artifacts / "livereload-overlay-390.png"))

        # A page opened while the error stands shows it at once.
        other = context.new_page()
        other.goto(site.url)
        expect(other.locator(".ambassade-live")).to_contain_text("content/articles/premier.md:3:10")
        other.close()

        # Fixed: the page reloads with the new text, and the overlay is gone.
        source.write_text(article("Premier article", "alice-dupont", body="Le jet final."), encoding="utf-8")
        expect(page.locator("main")).to_contain_text("Le jet final.", timeout=WAIT_MS)
        expect(overlay).to_have_count(0)
    finally:
        context.close()
    assert seen["console"] == [], "no CSP violation, no script error"
    assert seen["foreign"] == [], "nothing from another origin"


def test_no_build_carries_the_live_script(live):
    site, _base = live
    for path in site.output.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".js", ".css", ".json", ".xml"}:
            text = path.read_text(encoding="utf-8", errors="replace")
            assert "__ambassade" not in text and "ambassade-live" not in text, path
