"""The demo site, built as `make html` and `make publish` build it."""

from __future__ import annotations

import datetime as dt

import pytest

from ambassade import dates
from ambassade.profiles import load_profiles
from ambassade.rules import frontmatter
from tests.support import ROOT, broken_references, visible_text

NOW = dt.datetime.now(dt.UTC)


def demo_articles():
    for path in sorted((ROOT / "content" / "articles").glob("*.md")):
        doc = frontmatter.read(path)
        lang = doc.value("lang", "fr")
        prefix = "" if lang == "fr" else f"{lang}/"
        draft = doc.value("status") == "draft"
        yield {
            "title": doc.value("title"),
            "draft": draft,
            "scheduled": dates.parse(doc.value("date"), {"TIMEZONE": "Europe/Paris"}) > NOW,
            "path": f"{prefix}{'brouillons' if draft else 'articles'}/{doc.value('slug')}/index.html",
        }


ARTICLES = list(demo_articles())
EXPERTS, _ = load_profiles(ROOT / "experts")


@pytest.fixture
def preview(demo_preview):
    return demo_preview


@pytest.fixture
def production(demo_production):
    return demo_production


def test_demo_has_the_promised_content():
    published = [e for e in EXPERTS.values() if e.published]
    assert len(published) >= 12
    assert len({t for e in published for t in e.expertise}) >= 6
    assert len(ARTICLES) >= 30
    assert sum(a["draft"] for a in ARTICLES) == 1
    assert sum(a["scheduled"] for a in ARTICLES) == 1
    assert any(not e.published for e in EXPERTS.values())


def test_every_published_expert_has_a_page_and_no_other(preview):
    built = {p.parent.name for p in (preview / "experts").glob("*/index.html")}
    assert built == {slug for slug, e in EXPERTS.items() if e.published}


def test_unpublished_expert_is_nowhere(preview, production):
    hidden = [e for e in EXPERTS.values() if not e.published]
    for out in (preview, production):
        for path in out.rglob("*"):
            if path.suffix in {".html", ".xml", ".json", ".txt"}:
                text = path.read_text(encoding="utf-8")
                for e in hidden:
                    assert e.name not in text and e.slug not in text, (path, e.slug)


def test_every_article_is_built_drafts_and_scheduled_marked(preview):
    for a in ARTICLES:
        page = preview / a["path"]
        assert page.is_file(), a
        text = visible_text(page)
        assert ("Brouillon —" in text) == a["draft"], a
        assert ("Programmé — sera publié le" in text) == a["scheduled"], a


def test_production_has_no_draft_nor_scheduled_article(production):
    for a in ARTICLES:
        assert (production / a["path"]).is_file() == (not a["draft"] and not a["scheduled"]), a
    assert not (production / "brouillons").exists()


@pytest.mark.parametrize("which, site_url", [("preview", ""), ("production", "https://clairvoie.example")])
def test_every_internal_link_and_image_resolves(which, site_url, request):
    # Production links are absolute: links to the site's own address are internal too.
    out = request.getfixturevalue(which)
    assert broken_references(out, site_url) == []
