"""Valid HTML on every page, feeds that parse, text for every image.

The Nu HTML Checker (vnu.jar, pinned in npm/package-lock.json) checks every
page of both demo builds in one run, since Java is slow to start; conftest
starts it in the background before the browser tests.
"""

from __future__ import annotations

from pathlib import Path

import feedparser
import pytest
from bs4 import BeautifulSoup

from tests.support import pages

# The preview as comms get it (review report included), and the production build.
BUILDS = ["preview_site", "demo_production"]


def output_of(request, build: str) -> Path:
    site = request.getfixturevalue(build)
    return getattr(site, "output", site)


def test_every_page_is_valid_html(html_check, preview_site, demo_production):
    roots = {f"file:{preview_site.output}": "preview", f"file:{demo_production}": "production"}

    def where(m: dict) -> str:
        url = m.get("url", "?")
        for root, name in roots.items():
            url = url.replace(root, name)
        return f"{url}:{m.get('lastLine', '?')}:{m.get('firstColumn', m.get('lastColumn', '?'))}"

    errors = [f"{where(m)}: {m['type']}: {m['message']}" for m in html_check.messages()]
    assert not errors, f"{len(errors)} HTML error(s):\n" + "\n".join(errors[:50])


def feeds(output: Path) -> list[Path]:
    patterns = ["feeds/*.xml", "experts/*/atom.xml", "expertise/*/atom.xml", "*/feeds/*.xml"]
    return sorted({path for pattern in patterns for path in output.glob(pattern)})


@pytest.mark.parametrize("build", BUILDS)
def test_every_feed_parses(request, build):
    output = output_of(request, build)
    found = feeds(output)
    assert (output / "feeds" / "all.atom.xml") in found
    assert any(p.parts[-3] == "experts" for p in found) and any(p.parts[-3] == "expertise" for p in found)
    broken = []
    for path in found:
        feed = feedparser.parse(path.read_bytes())
        if feed.bozo:
            broken.append(f"{path.relative_to(output)}: {feed.bozo_exception}")
        elif feed.version != "atom10" or not feed.entries:
            what = feed.version or "not a feed"
            broken.append(f"{path.relative_to(output)}: {what}, {len(feed.entries)} entries")
    assert not broken, "\n".join(broken)


@pytest.mark.parametrize("build", BUILDS)
def test_every_image_has_a_text_alternative(request, build):
    """Every <img> has alt; photos of people and article figures say what they show."""
    output = output_of(request, build)
    missing = []
    for path in pages(output):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for img in soup.find_all("img"):
            where = f"{path.relative_to(output)}: {img.get('src')}"
            if img.get("alt") is None:
                missing.append(f"{where} has no alt")
            elif not img["alt"].strip() and (
                img.find_parent(class_="prose") or "avatar--large" in img.get("class", [])
            ):
                missing.append(f"{where} has an empty alt but is content")
    assert not missing, "\n".join(missing)
