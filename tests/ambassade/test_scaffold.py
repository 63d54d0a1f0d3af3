"""`invoke new-article` and `invoke new-expert`: named by slug, explained, never overwriting."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from invoke import Context
from pelican.readers import MarkdownReader

import tasks
from ambassade import dates, i18n
from ambassade.configure import load
from ambassade.profiles import SCHEMA_COMMENT, load_profiles
from ambassade.rules.check import check_site
from ambassade.scaffold import (
    PULL_REQUEST_TEMPLATE,
    ScaffoldError,
    new_article,
    new_expert,
    pull_request_template,
    render,
)
from tests.support import PREVIEW_CONF, ROOT, profile, site_overrides, write_site

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def site(tmp_path) -> tuple[dict, Path]:
    base = write_site(tmp_path / "site", {"experts/alice-dupont.yml": profile("Alice Dupont")})
    return load(PREVIEW_CONF, site_overrides(base)), base


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    """tasks.py pointed at a site in a temp dir, through a settings file like the project's."""
    base = write_site(tmp_path / "site", {"experts/alice-dupont.yml": profile("Alice Dupont")})
    conf = base / "siteconf.py"
    conf.write_text(
        "from pelican.settings import get_settings_from_file\n"
        f"globals().update(get_settings_from_file({str(ROOT / 'pelicanconf.py')!r}))\n"
        f"PATH = {str(base / 'content')!r}\nSITE['experts_path'] = {str(base / 'experts')!r}\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(tasks, "PREVIEW_CONF", conf)
    monkeypatch.setattr(tasks, "ROOT", base)
    return base


def test_article_file_is_named_by_the_slug_pelican_gives_the_title(site):
    settings, base = site
    path = new_article(settings, "Écrire à l'ère de l'IA : œuvre & façon", author="alice-dupont", root=base)
    assert path == base / "content/articles/ecrire-a-lere-de-lia-oeuvre-facon.md"
    _, metadata = MarkdownReader(settings).read(str(path))
    assert metadata["slug"] == "ecrire-a-lere-de-lia-oeuvre-facon"
    assert metadata["title"] == "Écrire à l'ère de l'IA : œuvre & façon"


def test_article_header_is_valid_pelican_metadata(site):
    settings, base = site
    now = dt.datetime(2026, 7, 14, 9, 30, 12, 345, tzinfo=PARIS)
    path = new_article(settings, "Un titre", lang="en", author="alice-dupont", root=base, now=now)
    assert path.name == "un-titre.en.md"
    text = path.read_text(encoding="utf-8")
    # The date as people write it; the site's zone is understood, by check and by the build alike.
    assert text.startswith("Title: Un titre\nDate: 2026-07-14 09:30\nAuthors: alice-dupont\n")
    content, metadata = MarkdownReader(settings).read(str(path))
    assert (metadata["lang"], metadata["status"]) == ("en", "draft")
    assert dates.settled(metadata["date"], settings) == now.replace(second=0, microsecond=0)
    assert [a.name for a in metadata["authors"]] == ["alice-dupont"]
    body = text.split("\n\n", 1)[1]
    assert body.lstrip().startswith("<!-- ambassade:guide"), "the guide: a comment at the top of the body"
    assert "ambassade:guide" not in content, "a comment is never published (ambassade/html_policy.py)"
    for key in ("Title", "Date", "Authors", "Tags", "Summary", "Lang", "Slug", "Status", "Share"):
        assert re.search(rf"^{key} +\S", body, re.MULTILINE), f"the guide explains {key}"


def test_date_is_now_in_the_site_time_zone(site):
    settings, base = site
    before = dt.datetime.now(PARIS).replace(microsecond=0)
    path = new_article(settings, "Maintenant", author="alice-dupont", root=base)
    date = re.search(r"^Date: (.*)$", path.read_text(encoding="utf-8"), re.MULTILINE)[1]
    parsed = dates.parse(date, settings)
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", date), date
    assert parsed.utcoffset() == dt.datetime.now(PARIS).utcoffset()
    assert before.replace(second=0) <= parsed <= dt.datetime.now(PARIS)


def test_check_right_after_new_article_says_what_to_fill_in(site):
    settings, base = site
    new_article(settings, "Brouillon tout neuf", author="alice-dupont", root=base)
    findings = check_site(settings, base).findings
    assert [(f.line, f.rule, f.severity.value, f.message) for f in findings] == [
        (4, "article-placeholder", "warning", "'Tags' still holds the template's placeholder"),
        (5, "article-placeholder", "warning", "'Summary' still holds the template's placeholder"),
        (
            10,
            "article-placeholder",
            "warning",
            "the template's writing guide is still at the top of the body",
        ),
        (58, "article-placeholder", "warning", "the body still holds the template's placeholder"),
    ]


def test_article_without_author_asks_for_the_slug(site):
    settings, base = site
    path = new_article(settings, "Sans auteur", root=base)
    errors = [f.text() for f in check_site(settings, base).findings if f.is_error]
    assert errors == [
        f"content/articles/{path.name}:3:10: article-author: error: the author is still the template's "
        "placeholder 'TODO: your-slug' — your slug: the name of your file in experts/ without .yml"
    ]


def test_new_article_refuses_to_overwrite(site):
    settings, base = site
    path = new_article(settings, "Un titre", author="alice-dupont", root=base)
    path.write_text("Title: Un titre\n\nMon texte.\n", encoding="utf-8")
    with pytest.raises(ScaffoldError) as refused:
        new_article(settings, "Un  titre !", author="alice-dupont", root=base)
    assert str(refused.value) == (
        "content/articles/un-titre.md already exists: edit it, or choose another name (nothing was written)"
    )
    assert path.read_text(encoding="utf-8") == "Title: Un titre\n\nMon texte.\n"


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"title": "Un titre", "lang": "de"}, "unknown language 'de': expected one of fr, en"),
        (
            {"title": "Un titre", "author": "alice-dupond"},
            "no expert has the slug 'alice-dupond' (no experts/alice-dupond.yml): did you mean 'alice-dupont'?",
        ),
        ({"title": "???"}, "'???' gives no usable slug (''): use letters or digits in the title"),
    ],
)
def test_new_article_refuses_what_would_not_build(site, kwargs, message):
    settings, base = site
    with pytest.raises(ScaffoldError, match=re.escape(message)):
        new_article(settings, root=base, **kwargs)
    assert list((base / "content/articles").iterdir()) == []


def test_expert_profile_passes_the_schema_and_is_not_published(site):
    settings, base = site
    path = new_expert(settings, "Hélène N'Diaye-Çelik", root=base)
    assert path == base / "experts/helene-ndiaye-celik.yml"
    text = path.read_text(encoding="utf-8")
    assert text.split("\n", 1)[0] == SCHEMA_COMMENT
    experts, findings = load_profiles(base / "experts", root=base)
    assert [f for f in findings if f.is_error] == []
    expert = experts["helene-ndiaye-celik"]
    assert (expert.name, expert.published, expert.social_feed, expert.leaderboard) == (
        "Hélène N'Diaye-Çelik",
        False,
        False,
        False,
    )
    assert [f.text() for f in check_site(settings, base).findings] == [
        "experts/helene-ndiaye-celik.yml:11:7: profile-placeholder: warning: 'role' still holds the "
        "template's "
        "placeholder — your own text in place of the one starting with 'TODO:'"
    ]


def test_expert_template_explains_every_field_of_the_schema():
    schema = json.loads((ROOT / "experts/schema.json").read_text(encoding="utf-8"))
    lines = render("expert.yml", name="Alice", name_yaml="Alice", slug="alice").split("\n")
    for field in schema["properties"]:
        at = [n for n, line in enumerate(lines) if re.match(rf"(?:# )?{field}:", line)]
        assert at, f"the template has no {field}"
        above = lines[at[0] - 1]
        commented_field = any(above.startswith(f"# {f}:") for f in schema["properties"])
        explained = above.startswith("# ") and not commented_field
        assert explained, f"no comment explains {field}"


def test_name_with_quotes_stays_valid_yaml(site):
    settings, base = site
    new_expert(settings, 'Jean "Jo" Dupont: le retour', root=base)
    experts, findings = load_profiles(base / "experts", root=base)
    assert experts["jean-jo-dupont-le-retour"].name == 'Jean "Jo" Dupont: le retour'


def test_new_expert_refuses_to_overwrite(site):
    settings, base = site
    with pytest.raises(ScaffoldError, match=r"^experts/alice-dupont.yml already exists"):
        new_expert(settings, "Alice Dupont", root=base)
    assert (base / "experts/alice-dupont.yml").read_text(encoding="utf-8") == profile("Alice Dupont")
    (base / "experts/bruno-petit.yaml").write_text(profile("Bruno Petit"), encoding="utf-8")
    with pytest.raises(ScaffoldError, match=r"^experts/bruno-petit.yaml already exists"):
        new_expert(settings, "Bruno Petit", root=base)
    assert not (base / "experts/bruno-petit.yml").exists()


def test_tasks_create_then_refuse_with_exit_status_1(project, capsys):
    tasks.new_article(Context(), "Écrit à deux", lang="en", author="alice-dupont")
    assert (project / "content/articles/ecrit-a-deux.en.md").is_file()
    assert capsys.readouterr().out == (
        "Created content/articles/ecrit-a-deux.en.md: write it, see it with `make livereload`, "
        "then run `make check`.\n"
    )
    with pytest.raises(SystemExit) as exit_:
        tasks.new_article(Context(), "Écrit à deux", lang="en", author="alice-dupont")
    assert exit_.value.code == 1
    assert capsys.readouterr().err == (
        "new-article: content/articles/ecrit-a-deux.en.md already exists: edit it, "
        "or choose another name (nothing was written)\n"
    )
    tasks.new_expert(Context(), "Bruno Petit")
    assert (project / "experts/bruno-petit.yml").is_file()
    with pytest.raises(SystemExit) as exit_:
        tasks.new_expert(Context(), "Bruno Petit")
    assert exit_.value.code == 1
    assert "new-expert: experts/bruno-petit.yml already exists" in capsys.readouterr().err


def test_the_pull_request_template_is_made_from_the_catalog_in_the_sites_language():
    """GitHub reads a file: `invoke translations` writes it from scaffold/ in the site's language."""
    settings = load(PREVIEW_CONF)
    committed = (ROOT / PULL_REQUEST_TEMPLATE).read_text(encoding="utf-8")
    assert committed == pull_request_template(settings), "run `invoke translations` to write it again"
    assert "## Liste de vérification" in committed and "`make check` passe" in committed


def test_a_new_article_is_explained_in_its_language(site):
    settings, base = site
    french = new_article(settings, "En français", author="alice-dupont", root=base).read_text(
        encoding="utf-8"
    )
    english = new_article(settings, "In English", lang="en", author="alice-dupont", root=base)
    assert "Supprimez ce commentaire avant de publier" in french
    assert "Delete this comment before you publish" in english.read_text(encoding="utf-8")
    assert i18n.language() == "en", "the tools speak as before once the file is written"
