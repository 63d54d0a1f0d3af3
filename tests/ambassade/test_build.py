"""Integration: build small real sites into temp dirs and look at what a visitor gets."""

from __future__ import annotations

import io
import re
import shutil

import feedparser
import pytest
from bs4 import BeautifulSoup

from ambassade.build import main
from tests.support import (
    PREVIEW_CONF,
    PUBLISH_CONF,
    article,
    broken_references,
    photo,
    profile,
    site_overrides,
    visible_text,
    write_site,
)

SVG = "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 10 10'><rect width='10' height='10'/></svg>"

SITE = {
    "experts/alice-dupont.yml": profile(
        "Alice Dupont",
        expertise="[Cloud, Data & IA]",
        photo="photos/alice.jpg",
        bio="Alice aime les **plateformes** sobres.",
        links="{mastodon: '@alice@piaille.example', github: alice-d}",
    ),
    "experts/photos/alice.jpg": photo(),
    "experts/bruno-petit.yml": profile(
        "Bruno Petit", expertise="[Data & IA]", bio="{en: Bruno works on data.}"
    ),
    "experts/camille-roy.yml": profile("Camille Roy", published=False, expertise="[Cloud]"),
    "content/articles/premier.md": article("Premier article", "alice-dupont"),
    "content/articles/ensemble.md": article(
        "Écrit ensemble",
        "alice-dupont, bruno-petit, camille-roy",
        date="2026-04-01T10:00:00+02:00",
        body="Voir [le premier]({filename}/articles/premier.md).\n\n![Un schéma]({static}/images/schema.svg)",
    ),
    "content/articles/secret.md": article("Un brouillon", "bruno-petit", status="draft"),
    "content/articles/futur.md": article(
        "Article programmé", "alice-dupont", date="2099-01-15T09:00:00+01:00"
    ),
    "content/images/schema.svg": SVG,
    "content/pages/a-propos.md": "Title: À propos\nSlug: a-propos\n\nNous.\n",
}


def build(tmp_path, conf=PREVIEW_CONF, files=SITE):
    base = write_site(tmp_path / "site", files)
    out = tmp_path / "out"
    err = io.StringIO()
    status = main(str(conf), overrides=site_overrides(base, out), stream=err)
    return status, out, err.getvalue()


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    status, out, err = build(tmp_path_factory.mktemp("preview"))
    assert status == 0, err
    return out


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    status, out, err = build(tmp_path_factory.mktemp("production"), PUBLISH_CONF)
    assert status == 0, err
    return out


def test_every_published_expert_has_a_page(preview):
    page = preview / "experts" / "alice-dupont" / "index.html"
    text = visible_text(page)
    assert "Alice Dupont" in text and "Consultante" in text
    assert "plateformes" in page.read_text()
    assert (preview / "experts" / "alice-dupont" / "photo-320.jpg").is_file()
    assert (preview / "experts" / "bruno-petit" / "index.html").is_file()


def test_expert_links_to_networks_with_rel_me(preview):
    html = (preview / "experts" / "alice-dupont" / "index.html").read_text()
    assert '<a href="https://piaille.example/@alice" rel="me noopener"' in html
    assert '<a href="https://github.com/alice-d" rel="me noopener"' in html


def test_bio_falls_back_to_the_other_language(preview):
    html = (preview / "experts" / "bruno-petit" / "index.html").read_text()
    assert 'lang="en"' in html and "Bruno works on data." in html


def test_unpublished_expert_appears_nowhere(preview):
    assert not (preview / "experts" / "camille-roy").exists()
    for path in preview.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".xml", ".json"}:
            text = path.read_text(encoding="utf-8")
            assert "Camille" not in text and "camille-roy" not in text, path


def test_coauthors_are_shown_and_linked_to_their_expert_page(preview):
    page = preview / "articles" / "ecrit-ensemble" / "index.html"
    html = page.read_text()
    assert (
        'href="../../experts/alice-dupont/">Alice Dupont</a> et <a href="../../experts/bruno-petit/">'
        "Bruno Petit</a>" in html
    )
    assert "Les co-auteurs" in visible_text(page)
    assert visible_text(page).count("co-auteur") >= 2


def section_text(page, section_id):
    soup = BeautifulSoup(page.read_text(), "html.parser")
    return soup.find(attrs={"aria-labelledby": section_id}).get_text(" ", strip=True)


def test_topic_page_lists_experts_and_articles(preview):
    cloud = preview / "expertise" / "cloud" / "index.html"
    assert "Alice Dupont" in section_text(cloud, "topic-experts")
    assert "Bruno Petit" not in section_text(cloud, "topic-experts")
    assert "Premier article" in section_text(cloud, "topic-articles")
    data = section_text(preview / "expertise" / "data-ia" / "index.html", "topic-experts")
    assert "Alice Dupont" in data and "Bruno Petit" in data


def test_directory_lists_published_experts_and_filters(preview):
    page = preview / "experts" / "index.html"
    text = visible_text(page)
    assert text.index("Alice Dupont") < text.index("Bruno Petit")
    assert 'href="../experts/expertise/data-ia/"' in page.read_text()
    data = visible_text(preview / "experts" / "expertise" / "data-ia" / "index.html")
    assert "Alice Dupont" in data and "Bruno Petit" in data


def test_feeds_site_expert_and_topic(preview):
    for rel in ("feeds/all.atom.xml", "experts/alice-dupont/atom.xml", "expertise/cloud/atom.xml"):
        feed = feedparser.parse((preview / rel).read_bytes())
        assert not feed.bozo, (rel, feed.bozo_exception)
        assert feed.entries, rel
    alice = feedparser.parse((preview / "experts/alice-dupont/atom.xml").read_bytes())
    assert {e.title for e in alice.entries} >= {"Premier article", "Écrit ensemble"}
    assert not (preview / "experts" / "camille-roy" / "atom.xml").exists()


def test_draft_and_scheduled_are_marked_in_preview(preview):
    draft = preview / "brouillons" / "un-brouillon" / "index.html"
    assert "Brouillon" in visible_text(draft)
    assert 'content="noindex' in draft.read_text()
    scheduled = preview / "articles" / "article-programme" / "index.html"
    assert "Programmé — sera publié le" in visible_text(scheduled)
    assert 'content="noindex' in scheduled.read_text()
    assert 'content="noindex' in (preview / "index.html").read_text(), "the whole preview is noindex"


def test_production_has_no_draft_nor_scheduled(production):
    assert not (production / "brouillons").exists()
    assert not (production / "articles" / "article-programme").exists()
    pages = [p for p in production.rglob("*.html") if p.name != "404.html"]
    every_text = " ".join(p.read_text() for p in pages)
    assert "Un brouillon" not in every_text and "Article programmé" not in every_text
    assert "noindex" not in every_text, "only the not-found pages are kept from search engines"
    assert (production / "articles" / "premier-article" / "index.html").is_file()


def test_internal_links_and_images_resolve(preview):
    assert broken_references(preview) == []


def test_theme_loads_nothing_from_another_origin(preview):
    for page in preview.rglob("*.html"):
        html = page.read_text()
        for marker in ('src="http', "src='http", "url(http", '<link rel="stylesheet" href="http'):
            assert marker not in html, page


def test_broken_site_reports_every_problem_and_keeps_output(tmp_path):
    files = dict(SITE)
    files["experts/bruno-petit.yml"] = "name: Bruno Petit\nrole: [Data]\npublished: true\n"
    files["experts/dora-ba.yml"] = "name: Dora\npublished: yes please\n  oops: 1\n"
    files["content/articles/premier.md"] = article("Premier article", "alice-dupond")
    files["content/articles/sans-titre.md"] = "Date: demain\nAuthors: alice-dupont\n\nTexte.\n"
    out = tmp_path / "out"
    out.mkdir()
    (out / "index.html").write_text("previous site")
    status, _, err = build(tmp_path, files=files)
    assert status == 1
    assert (out / "index.html").read_text() == "previous site"
    assert list(out.iterdir()) == [out / "index.html"]
    assert "Traceback" not in err
    for expected in (
        "experts/bruno-petit.yml:2:7: profile-type: error: 'role' is a list",
        "experts/dora-ba.yml:3:7: profile-yaml: error: YAML syntax error",
        "content/articles/premier.md:3:10: article-author: error: unknown author 'alice-dupond' — did you mean "
        "'alice-dupont'?",
        "content/articles/sans-titre.md:3:1: article-title: error: the title is missing",
        "content/articles/sans-titre.md:1:7: article-date: error: 'demain' is not a date",
    ):
        assert any(line.endswith(expected) or expected in line for line in err.splitlines()), (expected, err)
    assert "build stopped: 7 errors" in err  # sans-titre.md also lacks a summary and tags


@pytest.mark.parametrize("lost", ["experts", "experts/schema.json"])
def test_a_lost_experts_folder_or_schema_is_reported_not_a_crash(tmp_path, lost):
    base = write_site(tmp_path / "site", dict(SITE))
    target = base / lost
    if target.is_dir():
        shutil.rmtree(target)
    else:
        target.unlink()
    err = io.StringIO()
    assert main(str(PREVIEW_CONF), overrides=site_overrides(base, tmp_path / "out"), stream=err) == 1
    assert "Traceback" not in err.getvalue() and "crashed" not in err.getvalue()
    assert any(
        line.startswith(f"{lost}:1:1: profile-") and ": error: " in line
        for line in err.getvalue().splitlines()
    ), err.getvalue()


def _settle() -> None:
    """Wait for the thread that empties the replaced output (it runs after the swap)."""
    import threading

    for thread in threading.enumerate():
        if thread.name == "empty-previous-output":
            thread.join()


def _tree(root) -> list[tuple[str, bytes | None]]:
    """Every folder and file with its bytes; Pagefind's files vary from run to run (tests/speed/test_speed.py)."""
    return sorted(
        (p.relative_to(root).as_posix(), p.read_bytes() if p.is_file() else None)
        for p in root.rglob("*")
        if p.relative_to(root).parts[0] != "pagefind"
    )


def test_a_rebuild_starts_from_the_last_folders_and_leaves_no_trace_of_removed_pages(tmp_path):
    """The replaced output becomes the next staging folder (folders only); a page gone
    since leaves no empty folder, and the result is what a build from nothing gives."""
    base = write_site(tmp_path / "site", SITE)
    out = tmp_path / "out"
    assert main(str(PREVIEW_CONF), overrides=site_overrides(base, out), stream=io.StringIO()) == 0
    assert main(str(PREVIEW_CONF), overrides=site_overrides(base, out), stream=io.StringIO()) == 0
    _settle()
    spare = tmp_path / ".out.spare"
    assert spare.is_dir() and (spare / "articles" / "premier-article").is_dir()
    assert not [p for p in spare.rglob("*") if not p.is_dir()], "the spare folder keeps folders only"

    (base / "content" / "articles" / "premier.md").unlink()
    (base / "content" / "articles" / "ensemble.md").write_text(
        article("Écrit ensemble", "alice-dupont, bruno-petit"), encoding="utf-8"
    )
    assert main(str(PREVIEW_CONF), overrides=site_overrides(base, out), stream=io.StringIO()) == 0
    _settle()
    assert (out / "articles").is_dir() and not (out / "articles" / "premier-article").exists()

    fresh = tmp_path / "fresh"
    overrides = site_overrides(base, fresh) | {"CACHE_PATH": str(tmp_path / "fresh-cache")}
    assert main(str(PREVIEW_CONF), overrides=overrides, stream=io.StringIO()) == 0
    assert _tree(out) == _tree(fresh)


def test_the_spare_folders_are_not_made_where_the_output_went_away(tmp_path):
    """A build into a temporary folder (publish) may be cleaned up while its spare folders
    are being made: they are then dropped, not made again with the folders on the way."""
    from ambassade.output import _make_skeleton

    site = tmp_path / "site"
    (site / "articles" / "premier").mkdir(parents=True)
    gone = tmp_path / "gone" / ".site.spare"
    _make_skeleton(site, gone)
    assert not (tmp_path / "gone").exists()
    _make_skeleton(site, tmp_path / ".site.spare")
    assert (tmp_path / ".site.spare" / "articles" / "premier").is_dir()


def test_the_build_says_one_line_per_stage_then_one_summary(tmp_path, capsys):
    """Our lines only: what was checked, what was built, the summary; not Pelican's log nor its "Done"."""
    status, out, err = build(tmp_path)
    assert status == 0, err
    lines = err.splitlines()
    assert re.fullmatch(r"checked: 4 articles, 1 page, 3 profiles \([\d.]+ s\)", lines[0]), lines
    assert re.fullmatch(r"built: \d+ files \([\d.]+ s\)", lines[1]), lines
    assert re.fullmatch(rf"site built in {out}/ in [\d.]+ s: 0 errors, 0 warnings\.", lines[2]), lines
    assert len(lines) == 3
    assert "Done: Processed" not in capsys.readouterr().out


def test_verbose_adds_pelicans_own_log(tmp_path, capsys):
    base = write_site(tmp_path / "site", SITE)
    err = io.StringIO()
    assert (
        main(str(PREVIEW_CONF), overrides=site_overrides(base, tmp_path / "out"), stream=err, verbose=True)
        == 0
    )
    assert "Done: Processed" in capsys.readouterr().out
    assert err.getvalue().splitlines()[-1].startswith("site built in ")


def test_a_date_without_time_goes_live_at_the_sites_publish_time(tmp_path):
    files = dict(SITE)
    files["content/articles/premier.md"] = article("Premier article", "alice-dupont", date="2026-03-14")
    files["content/articles/ensemble.md"] = article("Écrit ensemble", "alice-dupont", date="2026-07-01 18:45")
    status, out, err = build(tmp_path, files=files)
    assert status == 0, err
    first = (out / "articles" / "premier-article" / "index.html").read_text()
    together = (out / "articles" / "ecrit-ensemble" / "index.html").read_text()
    # As check reads them (ambassade.dates): the site's zone, SITE["publish_time"] when no time is written.
    assert 'datetime="2026-03-14T09:00:00+01:00"' in first
    assert 'datetime="2026-07-01T18:45:00+02:00"' in together
