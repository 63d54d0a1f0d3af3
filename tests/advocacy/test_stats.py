"""Clicks on the kit's short links: access logs counted by ``invoke stats``, then shown by the build.

The fixture logs (tests/fixtures/advocacy/logs/) have known totals, the site's
clock being Paris time. Alice consents to her clicks being counted
(``share_stats: true``); Bruno does not; Denis does but is not published.

========================================  ======  ==============================================
log                                       clicks  the rest
========================================  ======  ==============================================
nginx, morning (rotated mid-day, gzip)    6       2 bots (LinkedInBot, a Mastodon server), a HEAD,
                                                  a 301, a 404, a page that is not a short link,
                                                  a TLS handshake and a line cut by the rotation
nginx, afternoon (after the rotation)     4       3 bots (Cardyb, no agent, curl); one click at
                                                  23:30 UTC counts for 2 December in Paris
CloudFront (gzip)                         2       1 bot (facebookexternalhit)
Cloudflare Logpush                        2       1 bot (Twitterbot)
========================================  ======  ==============================================

Alice's own links: 1 + 1 (nginx), 1 (CloudFront), 1 (Cloudflare).
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from ambassade.build import main as build_main
from plugins.advocacy import clicks, stats
from tests.support import FIXTURES, PREVIEW_CONF, profile, settings_of, site_overrides, write_site

LOGS = FIXTURES / "advocacy" / "logs"
SHARES = FIXTURES / "advocacy" / "shares"
TODAY = "2026-12-04"
SITE = {
    "experts/alice-dupont.yml": profile("Alice Dupont", leaderboard="true", share_stats="true"),
    "experts/bruno-petit.yml": profile("Bruno Petit", leaderboard="true"),
    "experts/denis-masque.yml": profile("Denis Masqué", published=False, share_stats="true"),
    "content/shares/campaigns.yml": (SHARES / "campaigns.yml").read_text(encoding="utf-8"),
    "content/shares/rapport-public.md": (SHARES / "rapport-public.md").read_text(encoding="utf-8"),
}


@pytest.fixture
def site(tmp_path) -> tuple[Path, dict]:
    base = write_site(tmp_path / "site", SITE)
    settings = settings_of(
        PREVIEW_CONF,
        **site_overrides(base, tmp_path / "out"),
        ADVOCACY={"today": TODAY, "stats_file": str(tmp_path / "data" / "stats.json")},
    )
    return base, settings


def gzipped(source: Path, target: Path) -> Path:
    target.write_bytes(gzip.compress(source.read_bytes(), mtime=0))
    return target


def rotated(tmp: Path) -> list[Path]:
    """The nginx logs as logrotate leaves them with delaycompress: yesterday's gzipped, today's not."""
    folder = tmp / "nginx"
    folder.mkdir()
    morning = gzipped(LOGS / "nginx-morning-before-rotation.log", folder / "access.log.1.gz")
    afternoon = folder / "access.log"
    shutil.copyfile(LOGS / "nginx-afternoon-after-rotation.log", afternoon)
    return [morning, afternoon]


def run(settings: dict, paths: list[Path]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = stats.main(settings, [str(p) for p in paths], out=out, err=err)
    return status, out.getvalue(), err.getvalue()


def counted(settings: dict) -> dict[tuple[str, str, str, str], int]:
    return clicks.load(stats.stats_path(settings)).clicks


NGINX = {
    ("2026-12-01", "rapport-public", "linkedin", ""): 3,
    ("2026-12-01", "rapport-public", "linkedin", "alice-dupont"): 1,
    ("2026-12-01", "rapport-public", "x", ""): 2,
    ("2026-12-01", "rapport-public", "mastodon", "alice-dupont"): 1,
    ("2026-12-01", "rapport-public", "bluesky", ""): 1,
    ("2026-12-02", "rapport-public", "linkedin", ""): 1,
    ("2026-12-02", "rapport-public", "email", ""): 1,
}


def test_nginx_logs_rotated_mid_day_give_known_counts(site, tmp_path):
    _, settings = site
    status, out, err = run(settings, rotated(tmp_path))
    assert status == 0, err
    assert counted(settings) == NGINX
    assert sum(NGINX.values()) == 10
    assert out.splitlines()[:3] == [
        "2 logs read: 21 new lines.",
        "10 clicks counted (Bluesky 1, E-mail 1, LinkedIn 5, Mastodon 1, X 2), 2 of them for colleagues "
        "who chose to be counted.",
        "5 requests of programs left out.",
    ]
    assert "2 lines are not requests and were skipped (first: " in out


def test_the_same_logs_given_again_count_nothing_twice(site, tmp_path):
    _, settings = site
    morning, afternoon = rotated(tmp_path)
    assert run(settings, [morning, afternoon])[0] == 0
    # The next week: today's log was rotated and compressed, a new one started; all are given again.
    morning = morning.rename(morning.with_name("access.log.2.gz"))
    gzipped(afternoon, afternoon.with_name("access.log.1.gz"))
    afternoon.write_text(
        '203.0.113.40 - - [03/Dec/2026:10:00:00 +0100] "GET /go/rapport-public/x/ HTTP/2.0" 200 806 "-" '
        '"Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"\n',
        encoding="utf-8",
    )
    logs = stats.expand(f"{afternoon.parent}/access.log*")
    assert [Path(p).name for p in logs] == ["access.log.2.gz", "access.log.1.gz", "access.log"]
    status, out, err = run(settings, [Path(p) for p in logs])
    assert status == 0, err
    assert counted(settings) == {**NGINX, ("2026-12-03", "rapport-public", "x", ""): 1}
    assert out.startswith("3 logs read: 1 new line, 21 lines counted before.")
    # The log grows: only its new lines count.
    with afternoon.open("a", encoding="utf-8") as fh:
        fh.write(afternoon.read_text(encoding="utf-8").replace("10:00:00", "11:00:00"))
    assert run(settings, [afternoon])[0] == 0
    assert counted(settings)[("2026-12-03", "rapport-public", "x", "")] == 2


def test_cdn_logs_cloudfront_gzipped_and_cloudflare(site, tmp_path):
    _, settings = site
    cloudfront = gzipped(
        LOGS / "cloudfront-standard-log.txt", tmp_path / "E2EXAMPLE.2026-12-03-07.a1b2c3d4.gz"
    )
    status, out, err = run(settings, [cloudfront, LOGS / "cloudflare-logpush.jsonl"])
    assert status == 0, err
    assert counted(settings) == {
        ("2026-12-03", "rapport-public", "linkedin", "alice-dupont"): 1,
        ("2026-12-03", "rapport-public", "bluesky", ""): 1,
        ("2026-12-03", "rapport-public", "x", "alice-dupont"): 1,
        ("2026-12-03", "rapport-public", "x", ""): 1,
    }
    assert "2 requests of programs left out." in out


def test_the_stats_file_keeps_counts_only(site, tmp_path):
    _, settings = site
    run(settings, rotated(tmp_path))
    text = stats.stats_path(settings).read_text(encoding="utf-8")
    for kept_nowhere in ("203.0.113", "198.51.100", "Mozilla", "linkedin.com", "09:12", "bruno", "denis"):
        assert kept_nowhere not in text
    data = json.loads(text)
    assert set(data) == {"format", "clicks", "sources"}
    assert data["clicks"]["2026-12-01"]["rapport-public"]["linkedin"] == {"": 3, "alice-dupont": 1}


def test_a_file_that_is_not_a_log_writes_nothing(site, tmp_path):
    _, settings = site
    run(settings, rotated(tmp_path))
    before = stats.stats_path(settings).read_bytes()
    status, out, err = run(
        settings,
        [
            tmp_path / "nginx" / "access.log",
            FIXTURES / "advocacy" / "not-a-snapshot.json",
            tmp_path / "nope.log",
        ],
    )
    assert status == 1 and out == ""
    assert "not-a-snapshot.json:1:1: stats-log: error: none of the first lines is a request" in err
    assert "nope.log:1:1: stats-log: error: the log does not exist" in err
    assert "Nothing was written" in err
    assert stats.stats_path(settings).read_bytes() == before


def test_a_colleague_who_withdraws_consent_is_counted_for_nobody(site, tmp_path):
    base, settings = site
    run(settings, rotated(tmp_path))
    (base / "experts" / "alice-dupont.yml").write_text(
        profile("Alice Dupont", leaderboard="true"), encoding="utf-8"
    )
    status, _out, err = run(settings, [LOGS / "cloudflare-logpush.jsonl"])
    assert status == 0, err
    found = counted(settings)
    assert all(person == "" for _d, _c, _n, person in found)
    assert sum(found.values()) == 12, "her clicks are still counted, for nobody"
    assert "alice" not in stats.stats_path(settings).read_text(encoding="utf-8")


# --- what the build shows -------------------------------------------------------------------


def built(base: Path, settings: dict, tmp_path: Path) -> Path:
    out = tmp_path / "out"
    overrides = {
        **site_overrides(base, out),
        "ADVOCACY": {"today": TODAY, "stats_file": str(stats.stats_path(settings))},
        "DISCOVERY": {"search": False},
    }
    err = io.StringIO()
    assert build_main(str(PREVIEW_CONF), overrides=overrides, stream=err) == 0, err.getvalue()
    return out


def table(page: BeautifulSoup, id: str) -> list[list[str]]:
    return [
        [
            cell.get_text(" ", strip=True)
            for cell in tr.find_all(["th", "td"])
            if "bar-cell" not in cell.get("class", [])
        ]
        for tr in page.find(id=f"table-{id}").tbody.find_all("tr")
    ]


def test_dashboard_shows_clicks_per_item_network_and_campaign(site, tmp_path):
    base, settings = site
    run(settings, [*rotated(tmp_path), LOGS / "cloudflare-logpush.jsonl"])
    out = built(base, settings, tmp_path)
    page = BeautifulSoup((out / "dashboard" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert table(page, "clicks-by-item") == [["Un rapport public à partager", "12", "0", "3"]]
    assert table(page, "clicks-by-network") == [
        ["LinkedIn", "5", "42\xa0%"],
        ["X", "4", "33\xa0%"],
        ["Bluesky", "1", "8\xa0%"],
        ["E-mail", "1", "8\xa0%"],
        ["Mastodon", "1", "8\xa0%"],
    ]
    assert table(page, "clicks-by-campaign") == [["Semaine de test", "12", "40", "30\xa0%", "3"]]
    english = BeautifulSoup(
        (out / "en" / "dashboard" / "index.html").read_text(encoding="utf-8"), "html.parser"
    )
    assert table(english, "clicks-by-campaign") == [["Test week", "12", "40", "30%", "3"]]
    data = json.loads((out / "dashboard.json").read_text(encoding="utf-8"))
    assert data["clicks"]["by_network"] == {"bluesky": 1, "email": 1, "linkedin": 5, "mastodon": 1, "x": 4}
    # A spreadsheet of each language reads its CSV: semicolons and decimal commas in French.
    rows = list(
        csv.reader(
            io.StringIO((out / "dashboard" / "clicks-by-network.csv").read_text("utf-8-sig")), delimiter=";"
        )
    )
    assert rows[0] == ["Réseau", "Clics", "Part des clics (%)"] and rows[1] == ["LinkedIn", "5", "41,7"]
    rows = list(
        csv.reader(io.StringIO((out / "en" / "dashboard" / "clicks-by-network.csv").read_text("utf-8-sig")))
    )
    assert rows[1] == ["LinkedIn", "5", "41.7"]


def test_alice_shared_by_her_own_link_and_nobody_else_is_named(site, tmp_path):
    base, settings = site
    run(settings, rotated(tmp_path))
    out = built(base, settings, tmp_path)
    board = BeautifulSoup((out / "leaderboard" / "index.html").read_text(encoding="utf-8"), "html.parser")
    row = board.find(attrs={"aria-labelledby": "period-all"}).tbody.tr
    # Her links were clicked on LinkedIn and on Mastodon: two shares, 3 points each.
    assert row.th.get_text(strip=True) == "Alice Dupont"
    assert [td.get_text(strip=True) for td in row.find_all("td")[:3]] == ["1", "6", "0"]
    assert [b.get_text() for b in row.find_all(class_="badge")] == [
        "Premier partage",
        "Meilleur score du mois",
    ]
    # Bruno's and Denis's links count for nobody: they appear in no page or export of the programme.
    for path in [
        *out.glob("share-kit/*"),
        *out.glob("dashboard/*"),
        *out.glob("en/dashboard/*"),
        out / "dashboard.json",
    ]:
        text = path.read_text(encoding="utf-8")
        assert "bruno" not in text and "denis" not in text and "Denis" not in text, path
    # Only Alice may pick her name in the kit.
    kit = BeautifulSoup((out / "share-kit" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert [o["value"] for o in kit.select("[data-kit-person] option")] == ["", "alice-dupont"]


def test_without_stats_the_dashboard_says_so(site, tmp_path):
    base, settings = site
    out = built(base, settings, tmp_path)
    page = BeautifulSoup((out / "dashboard" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert page.find(attrs={"data-no-stats": True}).get_text().startswith("Aucun clic n'a encore été compté.")
    assert not page.find(id="table-clicks-by-item")
    assert json.loads((out / "dashboard.json").read_text(encoding="utf-8"))["clicks"] is None
