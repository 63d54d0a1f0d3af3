"""Verification of a built site: each thing that must never go live, caught and named."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest

from ambassade.publication import url_pattern
from ambassade.publish import ProblemsFound, run
from ambassade.publish.verify import verify
from tests.ambassade.publish.publish_helpers import SITE_V1, Publisher, page
from tests.support import PUBLISH_CONF, write_files

NOW = datetime(2026, 11, 28, 10, 15, tzinfo=UTC)
FUTURE_LD = (
    '<script type="application/ld+json">{"@context": "https://schema.org", "@type": "BlogPosting", '
    '"headline": "Demain", "datePublished": "2099-01-15T09:00:00+01:00"}</script>'
)


@pytest.fixture(scope="module")
def conf():
    return run.load(PUBLISH_CONF)


def problems_of(tmp_path, conf, extra: dict[str, str], **changes) -> list[str]:
    site = write_files(tmp_path / "site", {**SITE_V1, **extra})
    conf = dataclasses.replace(conf, publish=dataclasses.replace(conf.publish, **changes))
    return [p.text() for p in verify(site, conf, NOW)]


def test_a_clean_production_site_passes(tmp_path, conf):
    assert problems_of(tmp_path, conf, {}) == []


def test_the_demo_production_build_passes(demo_production, conf):
    assert verify(demo_production, conf, datetime.now(UTC)) == []


@pytest.mark.parametrize("rel", ["brouillons/x/index.html", "en/brouillons/x/index.html"])
def test_a_draft_is_refused(tmp_path, conf, rel):
    assert problems_of(tmp_path, conf, {rel: page("<p>brouillon</p>")}) == [
        f"{rel}:1:1: publish-draft: error: a draft is in the production build — drafts stay out of production "
        f'(DRAFT_SAVE_AS = "" in publishconf.py)'
    ]


def test_a_scheduled_article_is_refused_by_its_structured_data(tmp_path, conf):
    assert problems_of(tmp_path, conf, {"articles/demain/index.html": page(FUTURE_LD)}) == [
        "articles/demain/index.html:1:1: publish-scheduled: error: an article dated 2099-01-15T09:00:00+01:00 "
        "is not published yet — "
        "a scheduled article appears only from its date (WITH_FUTURE_DATES = False)"
    ]


def test_a_scheduled_article_is_refused_by_its_time_element(tmp_path, conf):
    future = page('<article><time datetime="2026-12-01T09:00:00+01:00">1 déc.</time></article>')
    past = page('<article><time datetime="2026-11-01T09:00:00+01:00">1 nov.</time></article>')
    pages = {"en/articles/soon/index.html": future, "articles/hier/index.html": past}
    found = problems_of(tmp_path, conf, pages)
    assert [p.split(":")[0] for p in found] == ["en/articles/soon/index.html"]


@pytest.mark.parametrize("rel", ["review/index.html", "en/review/index.html"])
def test_the_review_report_is_refused(tmp_path, conf, rel):
    assert problems_of(tmp_path, conf, {rel: page("<p>rapport</p>")}) == [
        f"{rel}:1:1: publish-review: error: the review report is in the production build — "
        "it belongs to preview builds only"
    ]


def test_internal_pages_are_refused_unless_allowed(tmp_path, conf):
    internal = {
        "share-kit/index.html": page(""),
        "en/leaderboard/index.html": page(""),
        "dashboard.json": "{}",
        "dashboard/index.html": page(""),
    }
    found = problems_of(tmp_path, conf, internal)
    assert [p.split(":")[0] for p in found] == sorted(internal)
    assert found[0].startswith(
        "dashboard.json:1:1: publish-internal: error: an internal page is in the public build — keep it out"
    )
    assert problems_of(tmp_path, conf, internal, allow_internal=True) == []


def test_broken_internal_references_are_refused_absolute_ones_included(tmp_path, conf):
    broken = page(
        '<a href="/nulle-part/">x</a> <a href="https://clairvoie.example/a-propos/#absent">y</a>'
        ' <img src="https://clairvoie.example/images/absente.png" alt="">'
    )
    assert problems_of(tmp_path, conf, {"index.html": broken}) == [
        "index.html:6:23: publish-link: error: a href='/nulle-part/' points to nothing — a file of the site",
        "index.html:6:52: publish-anchor: error: a href='https://clairvoie.example/a-propos/#absent' "
        'names a missing anchor — an element with id="absent" in a-propos/index.html',
        "index.html:6:111: publish-link: error: img src='https://clairvoie.example/images/absente.png' "
        "points to nothing — a file of the site",
    ]


ACTIVE_FIX = "nothing that runs, redirects or posts elsewhere: the theme's own scripts only"


def test_anything_loaded_from_another_origin_is_refused(tmp_path, conf):
    foreign = page(
        '<script src="https://cdn.example/lib.js"></script>'
        '<link rel="stylesheet" href="//fonts.example/css">'
        '<img src="/images/logo.svg" srcset="/images/logo.svg 1x, https://img.example/l.png 2x" alt="">'
        '<style>body { background: url("https://img.example/bg.png") }</style>'
        '<a href="https://www.linkedin.com/in/alice">LinkedIn</a>'
        '<link rel="me" href="https://piaille.example/@alice">'
    )
    found = problems_of(
        tmp_path,
        conf,
        {
            "contact/index.html": foreign,
            "theme/css/extra.css": "@import 'https://fonts.example/f.css';\n",
        },
    )

    def loads(where, what, origin):
        fix = "only the site's own files: a visit must not reach a third party"
        return f"{where}: publish-third-party: error: {what} loads from {origin} — {fix}"

    # The script and the style element are active content too (publish/active.py): said apart.
    assert [f for f in found if " loads from " not in f] == [
        "contact/index.html:1:1: publish-active: error: the page has an inline <style> element — "
        + ACTIVE_FIX,
        "contact/index.html:1:1: publish-active: error: the script https://cdn.example/lib.js is not one "
        "of the theme's — " + ACTIVE_FIX,
    ]
    # Each at the element's line and column in the page, as the parser read it.
    assert [f for f in found if " loads from " in f] == [
        loads("contact/index.html:6:23", "script src='https://cdn.example/lib.js'", "https://cdn.example"),
        loads("contact/index.html:6:73", "link href='//fonts.example/css'", "https://fonts.example"),
        loads("contact/index.html:6:123", "img srcset='https://img.example/l.png'", "https://img.example"),
        loads("contact/index.html:6:217", "url('https://img.example/bg.png')", "https://img.example"),
        loads("theme/css/extra.css:1:1", "@import 'https://fonts.example/f.css'", "https://fonts.example"),
    ]


def test_a_preview_build_is_refused(tmp_path, conf):
    preview = page('<p class="preview-bar">Préversion</p>')
    assert problems_of(tmp_path, conf, {"index.html": preview}) == [
        'index.html:6:23: publish-preview: error: the page carries the preview marker "preview-bar" — '
        "a production build (publishconf.py: PREVIEW = False), not a preview build"
    ]


def test_a_rejected_site_deploys_nothing(tmp_path):
    pub = Publisher(tmp_path, {"target": "folder", "folder": {"path": str(tmp_path / "srv")}})
    site = pub.site("leaky", {**SITE_V1, "brouillons/x/index.html": page("")})
    with pytest.raises(ProblemsFound) as caught:
        pub.publish(site)
    assert [(p.path, p.rule) for p in caught.value.findings] == [("brouillons/x/index.html", "publish-draft")]
    assert not (tmp_path / "srv").exists()


def test_url_settings_become_path_patterns():
    assert url_pattern("{lang}/brouillons/{slug}/").match("en/brouillons/x/index.html")
    assert not url_pattern("brouillons/{slug}/").match("articles/brouillons/index.html")
    assert url_pattern("drafts/pages/{slug}.html").match("drafts/pages/a.html")


def test_the_editor_is_refused_once_for_its_whole_folder(tmp_path, conf):
    files = {"admin/index.html": page("<p>éditeur</p>"), "admin/config.yml": "backend: {name: github}\n"}
    assert problems_of(tmp_path, conf, files) == [
        "admin/:1:1: publish-editor: error: the editor (/admin/) is in the production build — it "
        "belongs to the preview and "
        'the intranet copy only (EDITOR = {"enabled": False})'
    ]
