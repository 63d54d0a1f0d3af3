"""What comms decides from in /review/: word-level diffs, what is flagged first, who committed, the
pull request, and a report that is built even when the branch has errors.

A real repository: a base on ``main``, a branch with the changes a contributor
makes (a figure in an article, a job title, a new colleague, a renamed
article…), commits by two people, a preview build of the branch.
"""

from __future__ import annotations

import io
import json

import pytest
from bs4 import BeautifulSoup

from ambassade.build import main
from tests.review.test_review_report import entries, soup_of
from tests.support import (
    PREVIEW_CONF,
    article,
    broken_references,
    git,
    profile,
    resolve,
    site_overrides,
    write_site,
)

FIGURES = (
    "Nous avons migré l'infrastructure en quatre mois, sans interruption de service.\n\n"
    "Les équipes ont gardé la main sur les coûts."
)
BASE = {
    "experts/claire-martin.yml": profile("Claire Martin", social_feed="false", expertise="[Cloud]"),
    "experts/joel-bernard.yml": profile("Joël Bernard"),
    "content/articles/migration.md": article("Migrer sans rupture", "claire-martin", body=FIGURES),
    "content/articles/ancien.md": article("Un ancien titre", "joel-bernard"),
    "content/articles/obsolete.md": article("Un article obsolète", "joel-bernard"),
    "content/articles/renomme.md": article("Avant le renommage", "joel-bernard"),
}


def as_author(name: str, email: str) -> list[str]:
    return ["-c", f"user.name={name}", "-c", f"user.email={email}"]


def commit(site, who: tuple[str, str], message: str) -> None:
    git(site, "add", "-A")
    git(site, *as_author(*who), "commit", "-q", "--author", f"{who[0]} <{who[1]}>", "-m", message)


def build_preview(site, out) -> tuple[int, str]:
    """What `invoke preview` builds: with errors, the report too, and a failure."""
    err = io.StringIO()
    overrides = {**site_overrides(site, out), "REVIEW": {"report": True, "base": "main"}}
    status = main(str(PREVIEW_CONF), overrides=overrides, keep_going=True, base="main", stream=err)
    return status, err.getvalue()


def repository(base) -> object:
    site = write_site(base, BASE)
    (site / ".gitignore").write_text("output/\noutput-host/\n")
    git(site, "init", "-q", "-b", "main")
    commit(site, ("Base", "base@example.org"), "base")
    git(site, "switch", "-q", "-c", "proposition")
    return site


CLAIRE = ("Claire Martin", "claire@clairvoie.example")
JOEL = ("Joël Bernard", "joel@clairvoie.example")


@pytest.fixture(scope="module")
def branch(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("decisions")
    site = repository(tmp / "site")
    changed = FIGURES.replace("quatre mois", "six mois") + "\n\n40 % des incidents évités."
    (site / "content/articles/migration.md").write_text(
        article("Migrer sans rupture", "claire-martin", body=changed).replace(
            "Tags: Cloud", "Tags: Cloud, Gestion de crise"
        )
    )
    # A topic of its own, added to the vocabulary in the same pull request.
    with (site / "content/topics.yml").open("a", encoding="utf-8") as vocabulary:
        vocabulary.write(
            "\ngestion-de-crise:\n  name: {fr: Gestion de crise, en: Crisis management}\n"
            "  description:\n    fr: Se préparer aux crises et les traverser.\n"
            "    en: Preparing for crises and going through them.\n"
        )
    (site / "experts/claire-martin.yml").write_text(
        profile("Claire Martin", social_feed="true", expertise="[Cloud]").replace(
            "role: Consultante", "role: Architecte cloud"
        )
    )
    commit(site, CLAIRE, "Six mois, et un chiffre")
    (site / "experts/dora-ba.yml").write_text(profile("Dora Ba", leaderboard="true"))
    # The title changes its address: one says where it came from, the other forgets.
    (site / "content/articles/ancien.md").write_text(
        article("Un nouveau titre", "joel-bernard", **{"redirect-from": "/articles/un-ancien-titre/"})
    )
    (site / "content/articles/renomme.md").write_text(article("Après le renommage", "joel-bernard"))
    (site / "content/articles/obsolete.md").unlink()
    commit(site, JOEL, "Nouveaux titres, une suppression")
    return site


@pytest.fixture(scope="module")
def report(branch, tmp_path_factory):
    out = tmp_path_factory.mktemp("decisions-out") / "out"
    status, said = build_preview(branch, out)
    # The renamed article without a redirect is an error: the preview is built, and fails.
    assert status == 1, said
    assert (
        "content/articles/renomme.md:1:8: redirect-missing: error: the published address "
        "/articles/avant-le-renommage/ becomes /articles/apres-le-renommage/"
    ) in said
    # Only a file's own errors leave it out: the renamed article is built.
    assert (out / "articles" / "apres-le-renommage" / "index.html").is_file()
    return out


def flagged(out, selector: str) -> list[BeautifulSoup]:
    return soup_of(out).select(f".review-first {selector} li")


def words(element, tag: str) -> list[str]:
    """The words of each ``tag`` of ``element``, without the label screen readers hear first."""
    out = []
    for e in element.find_all(tag):
        e = BeautifulSoup(str(e), "html.parser")
        for label in e.select(".visually-hidden"):
            label.decompose()
        out.append(e.get_text(" ", strip=True))
    return out


def test_a_changed_figure_shows_as_words_struck_out_and_added(report):
    entry = entries(report)["content/articles/migration.md"]
    text = entry.select_one('[data-diff="text"]')
    # Each change is labelled for screen readers ("removed:", "added:") before its words.
    assert words(text, "del") == ["quatre"]
    assert words(text, "ins") == ["six", "40 % des incidents évités."]
    assert "en six mois" not in text.get_text() or "quatre" in text.get_text()
    fields = {row["data-field"]: row for row in entry.select(".review-fields tr[data-field]")}
    assert list(fields) == ["tags"]
    assert words(fields["tags"], "ins") == [", Gestion de crise"]


def test_a_changed_job_title_shows_as_a_field_diff(report):
    entry = entries(report)["experts/claire-martin.yml"]
    fields = {row["data-field"]: row for row in entry.select(".review-fields tr[data-field]")}
    assert sorted(fields) == ["role", "social_feed"]
    assert (words(fields["role"], "del"), words(fields["role"], "ins")) == (
        ["Consultante"],
        ["Architecte cloud"],
    )


def test_consent_changes_and_new_people_are_flagged_first(report):
    [consent] = flagged(report, ".review-consent")
    assert (consent["data-field"], consent["data-path"]) == ("social_feed", "experts/claire-martin.yml")
    # The report is a page of the site: in its language, French for the demo.
    assert (consent.find("del").get_text(" ", strip=True), consent.find("ins").get_text(" ", strip=True)) == (
        "avant : false",
        "désormais : true",
    )
    [person] = flagged(report, ".review-people")
    assert person["data-path"] == "experts/dora-ba.yml"
    assert {c["data-consent"]: c.get_text() for c in person.select("code")} == {
        "published": "published: true",
        "social_feed": "social_feed: false",
        "leaderboard": "leaderboard: true",
    }
    # The flag leads to the file's own section.
    assert soup_of(report).find(id=person.a["href"][1:])["data-path"] == "experts/dora-ba.yml"


def test_new_topics_are_flagged(report):
    assert [li["data-topic"] for li in flagged(report, ".review-topics")] == [
        "Gestion de crise / Crisis management"
    ]


def test_moved_and_deleted_addresses_are_flagged_with_the_redirect_the_build_writes(report):
    rows = {
        li["data-old"]: (li["data-new"], li["data-redirected"]) for li in flagged(report, ".review-addresses")
    }
    assert rows == {
        "/articles/un-ancien-titre/": ("/articles/un-nouveau-titre/", "true"),
        "/articles/avant-le-renommage/": ("/articles/apres-le-renommage/", "false"),
        "/articles/un-article-obsolete/": ("", "false"),
    }
    # The redirect is written: the old address leads to the new page.
    old = report / "articles" / "un-ancien-titre" / "index.html"
    page = BeautifulSoup(old.read_text(encoding="utf-8"), "html.parser")
    assert (
        page.find("meta", attrs={"http-equiv": "refresh"})["content"]
        == "0; url=../../articles/un-nouveau-titre/"
    )
    assert (
        page.find("link", rel="canonical")["href"] == "https://clairvoie.example/articles/un-nouveau-titre/"
    )
    # The moved one without a redirect is an error of its file, at its title.
    renamed = entries(report)["content/articles/renomme.md"]
    assert [(li["data-rule"], li.code.get_text()) for li in renamed.select(".review-findings li")] == [
        ("redirect-missing", "1:8 redirect-missing")
    ]


def test_commits_and_their_authors_are_listed(report):
    soup = soup_of(report)
    assert [s["data-author"] for s in soup.select(".review-authors [data-author]")] == [
        "Claire Martin",
        "Joël Bernard",
    ]
    assert [li.get_text(" ", strip=True).split(" ", 1)[1] for li in soup.select(".review-commits li")] == [
        "Six mois, et un chiffre — Claire Martin",
        "Nouveaux titres, une suppression — Joël Bernard",
    ]


def test_the_base_version_is_rendered_beside_the_new_one(report):
    entry = entries(report)["content/articles/migration.md"]
    page = report / "review" / "index.html"
    before, _ = resolve(report, page, entry.select_one("a.review-before")["href"])
    after, _ = resolve(report, page, entry.select_one("a.review-after")["href"])
    assert "quatre mois" in before.read_text(encoding="utf-8")
    assert "six mois" in after.read_text(encoding="utf-8")
    assert broken_references(report) == []


def test_the_summary_for_the_pull_request_comment(report):
    text = (report / "review" / "summary.md").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0] == "<!-- ambassade:review-summary -->"
    assert "❌ 1 error" in text
    assert "- Consent: Claire Martin, `social_feed` `false` → **true**" in lines
    assert "- New person: Dora Ba (`published: true`, `social_feed: false`, `leaderboard: true`)" in lines
    # At its line in the vocabulary, which the branch adds it to.
    new_topic = "- New topic: **Gestion de crise / Crisis management** (content/topics.yml:"
    assert [line for line in lines if line.startswith(new_topic)], lines
    migration = next(line for line in lines if "`content/articles/migration.md`" in line)
    assert "~~quatre~~ → **six**" in migration
    assert "Claire Martin (1), Joël Bernard (1)" in lines


def test_the_pull_request_is_named_in_ci(branch, tmp_path, monkeypatch):
    event = tmp_path / "event.json"
    event.write_text(
        json.dumps(
            {
                "pull_request": {
                    "number": 42,
                    "title": "Six mois, pas quatre",
                    "html_url": "https://github.com/clairvoie/site/pull/42",
                    "user": {"login": "cmartin"},
                    "head": {"ref": "proposition"},
                    "base": {"ref": "main"},
                }
            }
        )
    )
    monkeypatch.setenv("GITHUB_EVENT_NAME", "pull_request")
    monkeypatch.setenv("GITHUB_EVENT_PATH", str(event))
    monkeypatch.setenv("GITHUB_SERVER_URL", "https://github.com")
    monkeypatch.setenv("GITHUB_REPOSITORY", "clairvoie/site")
    out = tmp_path / "out"
    build_preview(branch, out)
    soup = soup_of(out)
    pr = soup.select_one("[data-pull-request]")
    assert pr["data-pull-request"] == "42"
    assert pr.a["href"] == "https://github.com/clairvoie/site/pull/42"
    assert "cmartin" in pr.get_text()
    sha = git(branch, "rev-parse", "HEAD").strip()
    assert soup.select(".review-commits a")[-1]["href"] == f"https://github.com/clairvoie/site/commit/{sha}"


def test_with_errors_the_report_is_built_errors_on_top_and_the_build_fails(tmp_path):
    site = repository(tmp_path / "site")
    (site / "content/articles/migration.md").write_text(
        article("Migrer sans rupture", "claire-martin", body=FIGURES + "\n\nCONFIDENTIEL : ne pas diffuser.")
    )
    (site / "content/articles/nouveau.md").write_text(article("Un nouvel article", "joel-bernard"))
    (site / "experts/claire-martin.yml").write_text(profile("Claire Martin", links="{linkedin: nope}"))
    out = tmp_path / "out"
    status, said = build_preview(site, out)
    assert status == 1
    assert "built with errors" in said
    soup = soup_of(out)
    errors = [(li["data-path"], li["data-rule"]) for li in soup.select(".review-errors li")]
    assert ("content/articles/migration.md", "charter-confidential") in errors
    assert any(path == "experts/claire-martin.yml" for path, _ in errors)
    # The errors come before anything else of the report.
    first = soup.select_one(".review-first")
    assert first.find("h3")["id"] == "review-errors"
    # Pages that could be built are linked; those with an error are not built.
    listed = entries(out)
    assert listed["content/articles/nouveau.md"].find("h2").a is not None
    assert listed["content/articles/migration.md"].get("data-state") == "not-built"
    assert (out / "articles" / "un-nouvel-article" / "index.html").is_file()
    assert not (out / "articles" / "migrer-sans-rupture").exists()
