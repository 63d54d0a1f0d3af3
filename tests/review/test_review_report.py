"""The review report (/review/): a real git repository, a branch, a preview build."""

from __future__ import annotations

import io
from pathlib import Path
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup

from ambassade.build import main
from ambassade.git import changed_files
from plugins.review.report import ReviewGenerator, generators
from tests.support import (
    PREVIEW_CONF,
    PUBLISH_CONF,
    article,
    broken_references,
    git,
    profile,
    resolve,
    site_overrides,
    write_site,
)

SVG = "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 10 10'><rect width='10' height='10'/></svg>"
BASE_SITE = {
    "experts/alice-dupont.yml": profile("Alice Dupont"),
    "experts/bruno-petit.yml": profile("Bruno Petit"),
    "experts/dora-ba.yml": profile("Dora Ba"),
    "content/articles/premier.md": article("Premier article", "alice-dupont"),
    "content/articles/stable.md": article("Un article inchangé", "bruno-petit"),
    "content/images/schema.svg": SVG,
    "content/pages/a-propos.md": "Title: À propos\nSlug: a-propos\n\nNous.\n",
}
WORDS = " ".join(["mot"] * 460)


def repository(base: Path, files: dict[str, str]) -> Path:
    """A site committed on ``main``, then a branch ``proposal`` checked out."""
    site = write_site(base, files)
    (site / ".gitignore").write_text("output/\n")
    git(site, "init", "-q", "-b", "main")
    git(site, "add", "-A")
    git(site, "commit", "-q", "-m", "base")
    git(site, "checkout", "-q", "-b", "proposal")
    return site


def preview(site: Path, out: Path, conf: Path = PREVIEW_CONF, **overrides) -> Path:
    err = io.StringIO()
    settings = {**site_overrides(site, out), "REVIEW": {"report": True, "base": "main"}, **overrides}
    assert main(str(conf), overrides=settings, stream=err) == 0, err.getvalue()
    return out


def soup_of(out: Path) -> BeautifulSoup:
    return BeautifulSoup((out / "review" / "index.html").read_text(encoding="utf-8"), "html.parser")


def entries(out: Path) -> dict[str, BeautifulSoup]:
    """Each listed file's section, by its path. Tests read data-* attributes, not the translated words."""
    return {section["data-path"]: section for section in soup_of(out).select("section.review-entry")}


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("review")
    site = repository(tmp / "site", BASE_SITE)
    (site / "content/articles/premier.md").write_text(
        article(
            "Premier article",
            "alice-dupont",
            body=(
                f"{WORDS}\n\nVoir [le guide](https://example.org/guide) et "
                "[l'autre]({filename}/articles/stable.md).\n\n![Un schéma]({static}/images/schema.svg)\n"
            ),
            share="Lisez notre premier article 👩‍💻",
            **{"share-x": "Court pour X"},
        )
        # A repeated key: Pelican makes a list of it, the report shows each text.
        .replace("Lang: fr\n", "Lang: fr\nShare: Un second texte\n"),
        encoding="utf-8",
    )
    git(site, "commit", "-q", "-am", "premier: longer")
    (site / "content/articles/nouveau.md").write_text(
        article("Un nouvel article", "carla-roy", status="draft", body="TODO: write the article here."),
        encoding="utf-8",
    )
    git(site, "add", "content/articles/nouveau.md")
    git(site, "commit", "-q", "-m", "nouveau")
    # Left untracked on purpose: a contributor previews before `git add`.
    (site / "experts/carla-roy.yml").write_text(profile("Carla Roy"), encoding="utf-8")
    return preview(site, tmp / "out")


def test_report_lists_exactly_the_changed_files(report):
    listed = {
        path: (s["data-kind"], s["data-status"], s.get("data-state")) for path, s in entries(report).items()
    }
    assert listed == {
        "content/articles/nouveau.md": ("article", "added", "draft"),
        "content/articles/premier.md": ("article", "modified", None),
        "experts/carla-roy.yml": ("profile", "added", None),
    }


def test_report_links_to_each_built_page(report):
    page = report / "review" / "index.html"
    targets = {}
    for path, section in entries(report).items():
        href = section.find("h2").find("a")["href"]
        target, _ = resolve(report, page, href)
        assert target.is_file(), (path, href)
        targets[path] = target.relative_to(report).as_posix()
    assert targets == {
        "content/articles/nouveau.md": "brouillons/un-nouvel-article/index.html",
        "content/articles/premier.md": "articles/premier-article/index.html",
        "experts/carla-roy.yml": "experts/carla-roy/index.html",
    }
    assert broken_references(report) == []


def test_report_counts_changes_and_findings(report):
    soup = soup_of(report)
    counts = {
        row["data-kind"]: {td["data-status"]: td.get_text() for td in row.find_all("td")}
        for row in soup.select(".review-counts tbody tr")
    }
    assert counts == {
        "article": {"added": "1", "modified": "1", "deleted": "0"},
        "page": {"added": "0", "modified": "0", "deleted": "0"},
        "profile": {"added": "1", "modified": "0", "deleted": "0"},
        "topic": {"added": "0", "modified": "0", "deleted": "0"},
    }
    # Errors stop the build before the report exists: a built report only ever counts warnings.
    assert [b["data-count"] for b in soup.select(".review-totals .badge")] == ["0", "1"]


def test_report_shows_authors_length_links_images_and_share_texts(report):
    premier = entries(report)["content/articles/premier.md"]
    assert "Alice Dupont" in premier.select_one(".review-facts").get_text()
    length = premier.select_one("[data-words]")
    # 460 words and the link's sentence; the alt text is not read as text. 230 words a minute.
    assert (length["data-words"], length["data-minutes"]) == ("465", "3")
    assert [a["href"] for a in premier.select(".review-links a")] == ["https://example.org/guide"]
    assert [li.get_text(" ", strip=True) for li in premier.select(".review-images li")] == [
        "{static}/images/schema.svg — Un schéma"
    ]
    shares = [
        (
            row["data-network"],
            row.find_all("td")[1].get_text(),
            {li["data-network"]: (int(li["data-length"]), int(li["data-limit"])) for li in row.select("li")},
        )
        for row in premier.select(".review-shares tbody tr")
    ]
    # The article's public link (SITE's origin, even in the preview) is appended:
    # X and Mastodon count it 23 + a space, Bluesky and LinkedIn as written.
    url = "https://clairvoie.example/articles/premier-article/"
    assert shares == [
        (
            "",
            "Un second texte",
            {
                "Bluesky": (15 + 1 + len(url), 300),
                "Mastodon": (15 + 24, 500),
                "LinkedIn": (15 + 1 + len(url), 3000),
            },
        ),
        (
            "",
            "Lisez notre premier article 👩‍💻",
            {
                "Bluesky": (29 + 1 + len(url), 300),
                "Mastodon": (29 + 24, 500),
                "LinkedIn": (31 + 1 + len(url), 3000),
            },
        ),
        ("X", "Court pour X", {"X": (12 + 24, 280)}),
    ]


def test_report_lists_each_file_findings(report):
    listed = entries(report)
    findings = [
        (li["data-rule"], li.select_one(".finding__text").get_text())
        for li in listed["content/articles/nouveau.md"].select(".finding")
    ]
    assert findings == [
        (
            "article-placeholder",
            # The report is a page of the site: in its language, whatever the tools speak.
            "le corps contient encore le texte à remplacer du modèle"
            " — rédigez l'article à la place de la ligne « TODO: write the article here. »",
        )
    ]
    assert listed["content/articles/premier.md"].select(".finding") == []


def test_deleted_files_and_unpublished_profile_are_listed_as_such(tmp_path):
    site = repository(tmp_path / "site", BASE_SITE)
    git(site, "rm", "-q", "content/articles/stable.md", "experts/dora-ba.yml")
    (site / "experts/bruno-petit.yml").write_text(profile("Bruno Petit", published=False), encoding="utf-8")
    out = preview(site, tmp_path / "out")
    listed = entries(out)
    assert {path: (s["data-kind"], s["data-status"], s.get("data-state")) for path, s in listed.items()} == {
        "content/articles/stable.md": ("article", "deleted", None),
        "experts/bruno-petit.yml": ("profile", "modified", "unpublished"),
        "experts/dora-ba.yml": ("profile", "deleted", None),
    }
    # Titles of deleted files come from the base; nothing is built, so nothing is linked.
    for path, title in (
        ("content/articles/stable.md", "Un article inchangé"),
        ("experts/bruno-petit.yml", "Bruno Petit"),
        ("experts/dora-ba.yml", "Dora Ba"),
    ):
        heading = listed[path].find("h2")
        assert heading.get_text(strip=True) == title and heading.find("a") is None, path
    assert not (out / "experts" / "bruno-petit").exists()


NEW_TOPIC = """
gestion-de-crise:
  name: {fr: Gestion de crise, en: Crisis management}
  description:
    fr: Se préparer aux crises et les traverser, de l'exercice au retour d'expérience.
    en: Preparing for crises and getting through them, from the exercise to the lessons learned.
  synonyms: [crise, crisis, PCA, PRA]
  parent: cybersecurite
"""


def test_a_topic_added_to_the_vocabulary_is_flagged_with_its_line(tmp_path):
    site = repository(tmp_path / "site", BASE_SITE)
    vocabulary = site / "content" / "topics.yml"
    lines_before = vocabulary.read_text(encoding="utf-8").count("\n")
    with vocabulary.open("a", encoding="utf-8") as fh:
        fh.write(NEW_TOPIC)
    (site / "content/articles/crise.md").write_text(
        article("Un exercice de crise", "alice-dupont").replace("Tags: Cloud", "Tags: Gestion de crise"),
        encoding="utf-8",
    )
    out = preview(site, tmp_path / "out")
    listed = entries(out)
    topic = listed[f"content/topics.yml:{lines_before + 2}"]
    assert (topic["data-kind"], topic["data-status"]) == ("topic", "added")
    assert topic.find("h2").get_text(strip=True) == "Gestion de crise / Crisis management"
    target, _ = resolve(out, out / "review" / "index.html", topic.find("h2").find("a")["href"])
    assert target == out / "expertise" / "gestion-de-crise" / "index.html"
    counts = {
        row["data-kind"]: row.select_one('[data-status="added"]').get_text()
        for row in soup_of(out).select(".review-counts tbody tr")
    }
    assert counts["topic"] == "1" and counts["article"] == "1"


def test_report_says_when_the_site_is_not_in_git(tmp_path):
    site = write_site(tmp_path / "site", BASE_SITE)
    out = preview(site, tmp_path / "out")
    assert soup_of(out).select_one("[data-problem]")["data-problem"] == "not-a-repository"
    assert entries(out) == {}


def test_changes_against_a_base_that_does_not_exist(tmp_path):
    site = repository(tmp_path / "site", BASE_SITE)
    changes = changed_files(site, "trunk")
    assert (changes.problem, changes.files) == ("unknown-base", [])


def test_changes_against_origin_when_there_is_no_local_base(tmp_path):
    """A pull request's checkout in CI: origin/main, and no local main."""
    site = repository(tmp_path / "site", BASE_SITE)
    git(site, "update-ref", "refs/remotes/origin/main", "main")
    git(site, "branch", "-q", "-D", "main")
    (site / "content/articles/stable.md").unlink()
    changes = changed_files(site, "main")
    assert (changes.ref, changes.problem) == ("origin/main", None)
    assert [(c.status, c.path.relative_to(site).as_posix()) for c in changes.files] == [
        ("deleted", "content/articles/stable.md")
    ]


def test_production_build_has_no_review_report(tmp_path):
    site = repository(tmp_path / "site", BASE_SITE)
    out = preview(site, tmp_path / "out", PUBLISH_CONF)
    assert not (out / "review").exists()
    assert (out / "articles" / "premier-article" / "index.html").is_file()


@pytest.mark.parametrize(
    "settings, written",
    [
        ({"REVIEW": {"report": True}, "PREVIEW": True}, True),
        ({"REVIEW": {"report": False}, "PREVIEW": True}, False),
        ({"PREVIEW": True}, False),
        (
            {"REVIEW": {"report": True}, "PREVIEW": False},
            False,
        ),  # the report lists drafts: never in production
    ],
)
def test_the_report_is_written_only_when_asked_in_a_preview(settings, written):
    assert (generators(SimpleNamespace(settings=settings)) is ReviewGenerator) is written
