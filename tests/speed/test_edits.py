"""The livereload loop: one process builds, then builds again after each edit, and every
output is the one a clean build of the same sources makes in a fresh process.

The edits are the ones a contributor, a translator or the fetch step makes: an
article's text (the quick rebuild), a person's role (quick too: pages show it,
and its link-preview card is drawn again), their team, place and languages (the
directory has a page per team, city and language), biography, name, expertise,
links and consent to show posts (read as the site is read: full rebuilds), an article's
title, authors and topics, an article deleted and one added, an expert who
withdraws consent, a file added beside the profiles and a photo given in one,
a template, a theme string, a social snapshot. The site is the
small one of tests/speed/site.py with tag, category and author pages,
pagination, absolute URLs and every feed on, and its own copy of the theme. Each clean build runs beside the warm one
(they read the same sources), in a new Python process, sequentially
(``SPEED = {"enabled": False}``).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

from tests.speed import site
from tests.speed.test_speed import _differences
from tests.support import PREVIEW_CONF, ROOT, article, photo, write_files

CLEAN = """
import io, json, sys
from ambassade.build import main
err = io.StringIO()
status = main(sys.argv[2], overrides=json.loads(sys.argv[1]), stream=err)
sys.exit(f"clean build failed: {err.getvalue()}" if status else 0)
"""


def _edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _steps(base, theme):
    articles = base / "content" / "articles"
    experts = base / "experts"
    yield "nothing changed", lambda: None, {"quick": 1, "changed": 0}
    yield (
        "an article's text",
        lambda: _edit(articles / "article-05.md", "du *relief*", "du *neuf*"),
        {
            "quick": 1,
            "changed": 1,
        },
    )
    yield (
        "a text shown in listings",
        lambda: _edit(articles / "article-14.md", "Le texte", "Tout le texte"),
        {
            "quick": 1,
            "changed": 1,
        },
    )
    yield (
        "a role",
        lambda: _edit(experts / "ana-roy.yml", "role: Consultante", "role: Architecte cloud"),
        {"quick": 1, "changed": 1},
    )
    yield (
        "a team, a place and languages",
        lambda: _edit(
            experts / "bea-sol.yml",
            "published: true",
            "published: true\nteam: Data\nlocation: Lyon\nlanguages: [fr, en]",
        ),
        {},
    )
    yield (
        "a talk given (the agenda and the calendars)",
        lambda: _edit(
            experts / "chloe-dupont.yml",
            "role: Consultante",
            "role: Consultante\ntalks:\n  - title: Les données sans douleur\n"
            "    event: Meetup Data Lyon\n    place: Lyon\n    date: 2027-03-02T18:30",
        ),
        {},
    )
    yield (
        "a role and an article's text at once",
        lambda: (
            _edit(experts / "chloe-dupont.yml", "role: Consultante", "role: Directrice"),
            _edit(articles / "article-08.md", "du *relief*", "du *fond*"),
        ),
        {"quick": 1, "changed": 2},
    )
    yield "a biography", lambda: _edit(experts / "ana-roy.yml", "le **cloud**", "les **données**"), {}
    yield (
        "a name",
        lambda: _edit(experts / "chloe-dupont.yml", "name: Chloé Dupont", "name: Chloé Dupont-Roy"),
        {},
    )
    yield (
        "an expertise",
        lambda: _edit(experts / "david-lee.yml", "[Cybersécurité]", "[Cybersécurité, Cloud]"),
        {},
    )
    yield (
        "links",
        lambda: _edit(experts / "bea-sol.yml", "team: Data", "team: Data\nlinks:\n  github: beasol"),
        {},
    )
    yield (
        "posts no longer shown",
        lambda: _edit(experts / "ana-roy.yml", "social_feed: true", "social_feed: false"),
        {},
    )
    yield "a title", lambda: _edit(articles / "article-05.md", "Article numéro 5", "Article cinq"), {}
    yield (
        "an author",
        lambda: _edit(articles / "article-06.md", "Authors: chloe-dupont", "Authors: ana-roy"),
        {},
    )
    yield "a topic", lambda: _edit(articles / "article-07.md", "Tags: Data & IA", "Tags: Cybersécurité"), {}
    yield "an article deleted", lambda: (articles / "article-09.md").unlink(), {}
    yield (
        "an article added",
        lambda: (articles / "article-nouveau.md").write_text(
            article("Un article tout neuf", "bea-sol", date="2026-03-20T10:00:00+01:00", category="retours"),
            encoding="utf-8",
        ),
        {},
    )
    yield (
        "an expert unpublished",
        lambda: _edit(base / "experts" / "david-lee.yml", "published: true", "published: false"),
        {},
    )
    yield (
        "the role of an expert who has not opted in",
        lambda: _edit(experts / "david-lee.yml", "role: Consultante", "role: Expert sécurité"),
        {"quick": 1, "changed": 1},
    )
    yield (
        "a photo added beside the profiles",
        lambda: write_files(base, {"experts/photos/ana.jpg": photo()}),
        {},
    )
    yield (
        "a photo given in a profile",
        lambda: _edit(experts / "ana-roy.yml", "published: true", "published: true\nphoto: photos/ana.jpg"),
        {},
    )
    yield (
        "a template",
        lambda: _edit(theme / "templates" / "partials" / "article_card.html", "</h3>", "</h3>\n<hr>"),
        {},
    )
    yield (
        "a theme string",
        lambda: _edit(
            theme / "translations" / "fr" / "LC_MESSAGES" / "messages.po",
            'msgstr "Derniers articles"',
            'msgstr "Articles récents"',
        ),
        {},
    )
    yield (
        "a social snapshot",
        lambda: _edit(base / "data" / "social" / "ana-roy.json", "message public numéro 2", "message édité"),
        {},
    )
    yield (
        "an article's text again",
        lambda: _edit(articles / "article-05.md", "du *neuf*", "du *vieux*"),
        {
            "quick": 1,
            "changed": 1,
        },
    )


def _clean_build(overrides: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", CLEAN, json.dumps(overrides), str(PREVIEW_CONF)],
        cwd=ROOT,
        env={**os.environ, "PYTHONHASHSEED": "random"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_every_rebuild_of_an_edit_sequence_is_a_clean_build_of_its_sources(tmp_path):
    from plugins.speed import quick

    base = site.make(tmp_path / "site")
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    settings = {**site.TAXONOMIES, **site.PAGINATION, **site.ABSOLUTE, **site.FEEDS, "THEME": str(theme)}
    warm = site.overrides(base, tmp_path / "warm", tmp_path / "cache", settings, workers=2)
    site.build(warm)
    for n, (step, edit, expected) in enumerate(_steps(base, theme)):
        edit()
        out = tmp_path / f"clean-{n}"
        clean = _clean_build(site.overrides(base, out, tmp_path / f"cache-{n}", settings, enabled=False))
        try:
            site.build(warm)
        finally:
            _, err = clean.communicate(timeout=300)
        assert clean.returncode == 0, err[-3000:]
        assert (step, quick.stats()) == (step, expected)
        assert (step, _differences(out, tmp_path / "warm")) == (step, [])
        shutil.rmtree(out)
