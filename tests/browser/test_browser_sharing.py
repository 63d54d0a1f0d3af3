"""The sharing loop, walked in Chromium as the programme lead and colleagues would.

The demo's preview is served by a local server that writes an access log in
nginx's combined format, as the real host would. A colleague opens the share
kit, sees one wording at a time, picks their name, shares with one click;
readers click the short links and land on the outside page with the UTM tags;
``invoke stats`` counts the log and the rebuilt dashboard shows the clicks.
Outside sites (the networks, the page shared) are answered by the test itself:
nothing leaves 127.0.0.1. Screenshots at 1280 and 390 px go to
test-artifacts/screenshots/.
"""

from __future__ import annotations

import calendar
import io
import itertools
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from ambassade import share
from ambassade.build import main as build_main
from ambassade.live.server import Handler, Server
from plugins.advocacy import clicks, stats
from tests.support import PREVIEW_CONF, settings_of

TODAY = "2026-12-04"
CLICKED = calendar.timegm((2026, 12, 4, 10, 0, 0))
"""When the test's clicks are logged: 11:00 in Paris on TODAY, a second apart."""
_seconds = itertools.count()
ITEM = share.item_code("share:referentiel-ecoconception")
OUTSIDE = "https://ecoresponsable.numerique.gouv.fr/publications/referentiel-general-ecoconception/"
READER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"


class LoggingHandler(Handler):
    """The site's server, writing each request as nginx's combined format does."""

    log_path: Path

    def log_request(self, code="-", size="-") -> None:
        # The clicks happen on the dashboard's day (TODAY), whatever the clock says: at 23:30 UTC it
        # is already the next day in Paris, the site's time zone, after the dashboard's period.
        when = time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(CLICKED + next(_seconds)))
        agent = self.headers.get("User-Agent", "-")
        with open(self.log_path, "a", encoding="utf-8") as fh:
            fh.write(f'127.0.0.1 - - [{when}] "{self.requestline}" {code} {size} "-" "{agent}"\n')


@contextmanager
def logged_server(directory: Path, headers: dict[str, str], log: Path) -> Iterator[str]:
    import threading

    handler = type("LoggedSite", (LoggingHandler,), {"headers_to_send": dict(headers), "log_path": log})
    server = Server(("127.0.0.1", 0), partial(handler, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def demo(tmp_path_factory, served_headers):
    folder = tmp_path_factory.mktemp("sharing")
    output, log, stats_file = folder / "output", folder / "access.log", folder / "stats.json"
    overrides = {"OUTPUT_PATH": str(output), "ADVOCACY": {"today": TODAY, "stats_file": str(stats_file)}}

    def build() -> None:
        err = io.StringIO()
        assert build_main(str(PREVIEW_CONF), overrides=overrides, stream=err) == 0, err.getvalue()

    build()
    with logged_server(output, served_headers, log) as base:
        yield base, build, log, settings_of(PREVIEW_CONF, **overrides)


@pytest.fixture
def tab(browser, artifacts):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, user_agent=READER)
    context.set_default_timeout(10_000)
    # The networks and the page shared answer from here: the test never reaches them.
    seen: list[str] = []

    def answer(route):
        seen.append(route.request.url)
        route.fulfill(
            status=200, content_type="text/html", body="<!doctype html><title>ailleurs</title><p>ailleurs</p>"
        )

    for host in ("www.linkedin.com", "x.com", "bsky.app", "ecoresponsable.numerique.gouv.fr"):
        context.route(f"https://{host}/**", answer)
    page = context.new_page()
    page.seen = seen
    yield page
    context.close()


def shot(page, artifacts: Path, name: str, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.screenshot(path=str(artifacts / f"{name}-{width}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width, (
        f"{name} scrolls sideways at {width} px"
    )


def test_a_colleague_shares_in_one_click_and_the_clicks_reach_the_dashboard(demo, tab, artifacts):
    base, build, log, settings = demo
    tab.goto(f"{base}/share-kit/")
    item = tab.locator(f"#item-{ITEM}")
    assert "Décembre du numérique responsable" in item.locator(".meta").first.inner_text()
    linkedin = item.locator('[data-kit-network="linkedin"]')
    # One wording at a time, and a button for the other.
    assert linkedin.locator(".kit-variant:visible").count() == 1
    before = linkedin.locator(".kit-variant:visible textarea").input_value()
    linkedin.locator(".kit-net__next").click()
    after = linkedin.locator(".kit-variant:visible textarea").input_value()
    assert before != after and after.endswith(f"/go/{ITEM}/linkedin/")
    shot(tab, artifacts, "share-kit", 1280)
    shot(tab, artifacts, "share-kit", 390)
    tab.set_viewport_size({"width": 1280, "height": 900})

    # Claire chose to be counted: her links end with her name.
    tab.locator("#kit-person").select_option("claire-martin")
    mine = f"https://clairvoie.example/go/{ITEM}/linkedin/?p=claire-martin"
    assert linkedin.locator(".kit-variant:visible textarea").input_value().endswith(mine)
    linkedin.locator(".kit-variant:visible .share-button").click()
    tab.wait_for_url("https://www.linkedin.com/**")
    assert parse_qs(urlsplit(tab.url).query) == {"url": [mine]}

    # Readers click the links she and others posted: each lands on the page shared, tagged.
    for network, person in (
        ("linkedin", "claire-martin"),
        ("linkedin", ""),
        ("x", ""),
        ("bluesky", "claire-martin"),
    ):
        tab.goto(f"{base}/go/{ITEM}/{network}/" + (f"?p={person}" if person else ""))
        tab.wait_for_url(f"{OUTSIDE}**")
        query = parse_qs(urlsplit(tab.url).query)
        assert query == {"utm_source": [network], "utm_campaign": ["numerique-responsable-decembre"]}

    # The programme lead counts the log and builds again.
    out, err = io.StringIO(), io.StringIO()
    assert stats.main(settings, [str(log)], out=out, err=err) == 0, err.getvalue()
    counted = clicks.load(stats.stats_path(settings)).clicks
    assert sum(counted.values()) == 4
    assert sorted(k[3] for k in counted) == ["", "", "claire-martin", "claire-martin"]
    build()
    tab.goto(f"{base}/dashboard/")
    rows = tab.locator("#table-clicks-by-network tbody tr")
    assert [r.inner_text().split("\t")[:2] for r in rows.all()] == [
        ["LinkedIn", "2"],
        ["Bluesky", "1"],
        ["X", "1"],
    ]
    campaign = tab.locator("#table-clicks-by-campaign tbody tr").first.inner_text()
    assert campaign.startswith("Décembre du numérique responsable\t4\t300\t1")
    shot(tab, artifacts, "dashboard", 1280)
    shot(tab, artifacts, "dashboard", 390)
    tab.goto(f"{base}/leaderboard/")
    shot(tab, artifacts, "leaderboard", 390)
    tab.goto(f"{base}/en/dashboard/")
    assert tab.locator("h1").inner_text() == "Programme dashboard"
    shot(tab, artifacts, "dashboard-en", 390)
