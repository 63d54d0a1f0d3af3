"""Moved and deleted pages: `Redirect-From:` and `redirect_from:` give redirect pages and the host's 301s;
`invoke check --base` flags a published address that a branch takes away without one."""

from __future__ import annotations

import io

import pytest
from bs4 import BeautifulSoup

from ambassade.build import main as build
from ambassade.output import host_folder
from ambassade.rules import check
from tests.support import (
    PREVIEW_CONF,
    PUBLISH_CONF,
    article,
    broken_references,
    git,
    profile,
    settings_of,
    site_overrides,
    write_site,
)

SITE = {
    "experts/claire-martin.yml": profile("Claire Martin", redirect_from="[/experts/claire-dupont/]"),
    "content/articles/nouveau-titre.md": article(
        "Le nouveau titre",
        "claire-martin",
        **{"redirect-from": "/articles/l-ancien-titre/, /2024/ancien.html"},
    ),
    "content/pages/equipe.md": "Title: L'équipe\nSlug: equipe\nRedirect-From: /qui-sommes-nous/\n\nNous.\n",
}


def built(tmp_path, conf=PREVIEW_CONF, files=SITE, **overrides):
    site = write_site(tmp_path / "site", files)
    out = tmp_path / "out"
    err = io.StringIO()
    status = build(str(conf), overrides={**site_overrides(site, out), **overrides}, stream=err)
    return status, out, err.getvalue()


def meta_refresh(page) -> tuple[str, str]:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    return soup.find("meta", attrs={"http-equiv": "refresh"})["content"], soup.find("link", rel="canonical")[
        "href"
    ]


def test_each_old_address_gets_a_redirect_page(tmp_path):
    status, out, said = built(tmp_path)
    assert status == 0, said
    assert meta_refresh(out / "articles/l-ancien-titre/index.html") == (
        "0; url=../../articles/le-nouveau-titre/",
        "https://clairvoie.example/articles/le-nouveau-titre/",
    )
    assert meta_refresh(out / "2024/ancien.html") == (
        "0; url=../articles/le-nouveau-titre/",
        "https://clairvoie.example/articles/le-nouveau-titre/",
    )
    assert meta_refresh(out / "qui-sommes-nous/index.html")[1] == "https://clairvoie.example/equipe/"
    assert (
        meta_refresh(out / "experts/claire-dupont/index.html")[1]
        == "https://clairvoie.example/experts/claire-martin/"
    )
    assert broken_references(out) == []


def test_the_host_gets_301s_beside_the_site(tmp_path):
    status, out, said = built(tmp_path, PUBLISH_CONF)
    assert status == 0, said
    host = host_folder(out)
    assert (host / "_redirects").read_text().splitlines()[1:] == [
        "/2024/ancien.html /articles/le-nouveau-titre/ 301",
        "/articles/l-ancien-titre/ /articles/le-nouveau-titre/ 301",
        "/articles/l-ancien-titre /articles/le-nouveau-titre/ 301",
        "/experts/claire-dupont/ /experts/claire-martin/ 301",
        "/experts/claire-dupont /experts/claire-martin/ 301",
        "/qui-sommes-nous/ /equipe/ 301",
        "/qui-sommes-nous /equipe/ 301",
    ]
    nginx = (host / "nginx-redirects.conf").read_text().splitlines()
    assert "location = /qui-sommes-nous/ { return 301 /equipe/; }" in nginx
    assert not (out / "_redirects").exists() and not (out / "_headers").exists()


def test_a_redirect_onto_a_page_of_the_site_is_refused(tmp_path):
    files = {
        **SITE,
        "content/pages/equipe.md": SITE["content/pages/equipe.md"].replace(
            "/qui-sommes-nous/", "/articles/le-nouveau-titre/"
        ),
    }
    status, out, said = built(tmp_path, files=files)
    assert status == 1
    assert "the old address /articles/le-nouveau-titre/ is a page of the site: no redirect written" in said


@pytest.mark.parametrize(
    ("value", "col", "message"),
    [
        ("articles/sans-barre/", 16, "'articles/sans-barre/' is not an address of this site"),
        ("https://ailleurs.example/x/", 16, "'https://ailleurs.example/x/' is not an address of this site"),
        ("/articles/x/, /../etc/", 30, "'/../etc/' is not an address of this site"),
        ("/articles/le-nouveau-titre/", 16, "'/articles/le-nouveau-titre/' is this page's own address"),
    ],
    ids=["relative", "another-site", "leaving-the-site", "its-own-address"],
)
def test_a_wrong_redirect_from_is_an_error_at_its_place(tmp_path, value, col, message):
    site = write_site(
        tmp_path / "site",
        {
            **SITE,
            "content/articles/nouveau-titre.md": article(
                "Le nouveau titre", "claire-martin", **{"redirect-from": value}
            ),
        },
    )
    found = [f for f in check.run(settings_of(**site_overrides(site))) if f.rule == "redirect-from"]
    assert [(f.line, f.col, f.message) for f in found] == [(7, col, message)]


# -- against the base: a branch that takes published addresses away -----------------------------------


@pytest.fixture
def repository(tmp_path):
    files = {
        "experts/claire-martin.yml": profile("Claire Martin"),
        "experts/joel-bernard.yml": profile("Joël Bernard"),
        "content/articles/un.md": article("Premier titre", "claire-martin"),
        "content/articles/deux.md": article("Deuxième article", "claire-martin"),
        "content/articles/brouillon.md": article("Un brouillon", "claire-martin", status="draft"),
    }
    site = write_site(tmp_path / "site", files)
    (site / ".gitignore").write_text("output/\noutput-host/\n")
    git(site, "init", "-q", "-b", "main")
    git(site, "add", "-A")
    git(site, "commit", "-q", "-m", "base")
    git(site, "switch", "-q", "-c", "branche")
    return site


def check_base(site) -> tuple[int, list[str]]:
    out = io.StringIO()
    status = check.main(
        settings_of(**site_overrides(site)), root=site, base="main", out=out, err=io.StringIO()
    )
    return status, out.getvalue().splitlines()


def test_a_renamed_article_without_a_redirect_is_an_error_at_its_title(repository):
    (repository / "content/articles/un.md").write_text(article("Un titre corrigé", "claire-martin"))
    assert check_base(repository) == (
        1,
        [
            "content/articles/un.md:1:8: redirect-missing: error: the published address /articles/premier-titre/ "
            "becomes /articles/un-titre-corrige/: links to the old one would break — add "
            "'Redirect-From: /articles/premier-titre/' to its header, so that the old address leads here"
        ],
    )
    (repository / "content/articles/un.md").write_text(
        article("Un titre corrigé", "claire-martin", **{"redirect-from": "/articles/premier-titre/"})
    )
    assert check_base(repository) == (0, [])


def test_a_deleted_article_is_a_warning_unless_another_page_takes_its_address(repository):
    (repository / "content/articles/deux.md").unlink()
    status, lines = check_base(repository)
    assert status == 0
    assert lines == [
        "content/articles/deux.md:1:1: redirect-missing: warning: the published address "
        "/articles/deuxieme-article/ would answer 'page not found' — add "
        "'Redirect-From: /articles/deuxieme-article/' to the page that replaces it, or keep this file"
    ]
    (repository / "content/articles/un.md").write_text(
        article("Premier titre", "claire-martin", **{"redirect-from": "/articles/deuxieme-article/"})
    )
    assert check_base(repository) == (0, [])


def test_drafts_and_withdrawn_profiles_ask_for_no_redirect(repository):
    (repository / "content/articles/brouillon.md").unlink()  # never published
    (repository / "experts/joel-bernard.yml").write_text(profile("Joël Bernard", published=False))  # consent
    assert check_base(repository) == (0, [])


def test_a_renamed_profile_needs_its_redirect(repository):
    git(repository, "mv", "experts/claire-martin.yml", "experts/claire-martin-roy.yml")
    for name in ("un", "deux", "brouillon"):
        path = repository / "content/articles" / f"{name}.md"
        path.write_text(path.read_text().replace("claire-martin", "claire-martin-roy"))
    status, lines = check_base(repository)
    assert status == 1
    assert lines == [
        "experts/claire-martin-roy.yml:1:1: redirect-missing: error: the published address /experts/claire-martin/ "
        "becomes /experts/claire-martin-roy/: links to the old one would break — add "
        "'redirect_from: [/experts/claire-martin/]' to its header, so that the old address leads here"
    ]
    (repository / "experts/claire-martin-roy.yml").write_text(
        profile("Claire Martin", redirect_from="[/experts/claire-martin/]")
    )
    assert check_base(repository) == (0, [])


def test_outside_git_the_base_is_not_compared(tmp_path):
    site = write_site(tmp_path / "site", SITE)
    assert check_base(site) == (0, [])
