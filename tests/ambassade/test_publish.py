"""`invoke publish` end to end: a real Pelican build of a site in git, verified, deployed to a folder,
or stopped and said why; only the pushed head of the publishing branch goes live unless forced.

The targets' own behaviour (interruptions, rollback, rsync, gh-pages, S3) is
tested in tests/ambassade/publish/ on small pre-built sites.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import pytest

from ambassade.publish import main
from ambassade.publish.manifest import tree_hash
from tests.support import PUBLISH_CONF, ROOT, article, git, profile, pushed, site_overrides, write_site

SITE = {
    "experts/alice-dupont.yml": profile("Alice Dupont", expertise="[Cloud]"),
    "content/articles/premier.md": article("Premier article", "alice-dupont"),
    "content/articles/secret.md": article("Un brouillon", "alice-dupont", status="draft"),
    "content/articles/futur.md": article(
        "Article programmé", "alice-dupont", date="2099-01-15T09:00:00+01:00"
    ),
    "content/pages/a-propos.md": "Title: À propos\nSlug: a-propos\n\nNous.\n",
}


def releases_of(dest):
    return [name for name in os.listdir(dest / "releases") if not name.endswith(".meta")]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return pushed(write_site(tmp_path_factory.mktemp("publish") / "site", SITE))


def run_publish(site, dest, dry_run=False, force=False, **settings):
    out = io.StringIO()
    target = {"target": "folder", "folder": {"path": str(dest)}}
    overrides = {**site_overrides(site), "PUBLISH": target, **settings}
    status = main(str(PUBLISH_CONF), dry_run=dry_run, force=force, overrides=overrides, out=out, err=out)
    return status, out.getvalue()


@pytest.fixture(scope="module")
def published(site, tmp_path_factory):
    dest = tmp_path_factory.mktemp("srv") / "site"
    status, said = run_publish(site, dest)
    assert status == 0, said
    return dest, said


def test_publish_builds_verifies_and_deploys(published):
    dest, said = published
    lines = said.splitlines()
    assert lines[0] == "building the production site with publishconf.py…"
    assert lines[-3].startswith("verified ") and lines[-3].endswith("every internal link resolves")
    assert lines[-1].startswith("published release ") and f" to {dest} (" in lines[-1]
    live = dest / "current"
    assert (live / "articles" / "premier-article" / "index.html").is_file()
    assert not (live / "brouillons").exists()
    assert not (live / "articles" / "article-programme").exists()


def test_a_build_that_leaks_drafts_deploys_nothing(site, published):
    dest, _ = published
    before = tree_hash(dest / "current")
    # A production settings file that forgot to turn drafts off.
    status, said = run_publish(site, dest, DRAFT_SAVE_AS="brouillons/{slug}/index.html")
    assert status == 1
    assert (
        "brouillons/un-brouillon/index.html:1:1: publish-draft: error: a draft is in the production build — "
        "drafts stay out of production"
    ) in said
    assert said.rstrip().endswith("in the site; nothing was deployed.")
    assert "Traceback" not in said
    assert tree_hash(dest / "current") == before
    assert len(releases_of(dest)) == 1


def test_a_build_that_leaks_a_scheduled_article_deploys_nothing(site, published):
    dest, _ = published
    status, said = run_publish(site, dest, WITH_FUTURE_DATES=True)
    assert status == 1
    assert (
        "articles/article-programme/index.html:1:1: publish-scheduled: error: an article dated "
        "2099-01-15T09:00:00+01:00 is not published yet"
    ) in said
    assert len(releases_of(dest)) == 1


def test_dry_run_against_the_live_release(site, published):
    dest, _ = published
    status, said = run_publish(site, dest, dry_run=True)
    assert status == 0, said
    assert said.splitlines()[-1].endswith("nothing was deployed")
    assert len(releases_of(dest)) == 1


def test_wrong_settings_are_all_reported_before_building(site, tmp_path):
    out = io.StringIO()
    overrides = {**site_overrides(site), "PUBLISH": {"target": "ftp", "kep": 3, "keep": "many"}}
    assert main(str(PUBLISH_CONF), overrides=overrides, out=out, err=out) == 1
    # Each at the line of PUBLISH in the settings file (the override replaces what it says).
    assert out.getvalue() == (
        "publishconf.py:73:1: settings: error: PUBLISH['keep'] is 'many' — a whole number\n"
        "publishconf.py:73:1: settings: error: PUBLISH['kep'] is not a setting — did you mean 'keep'?\n"
        "publishconf.py:74:5: settings: error: PUBLISH['target'] is 'ftp' — "
        "one of 'folder', 'rsync', 'gh-pages', 's3'\n"
        "\npublish stopped: 3 problems in the settings; nothing was deployed.\n"
    )


def test_the_chosen_targets_required_option_is_checked_at_its_line(site, tmp_path):
    out = io.StringIO()
    overrides = {**site_overrides(site), "PUBLISH": {"target": "rsync"}}
    assert main(str(PUBLISH_CONF), overrides=overrides, out=out, err=out) == 1
    assert out.getvalue().splitlines()[0] == (
        "publishconf.py:81:9: settings: error: PUBLISH['rsync']['path'] is empty — "
        "the folder on the server, e.g. /srv/site"
    )


@pytest.fixture
def branch_site(tmp_path):
    """The site with a feature branch checked out, committed and pushed."""
    site = pushed(write_site(tmp_path / "site", SITE))
    git(site, "switch", "-q", "-c", "nouvel-article")
    (site / "content/articles/premier.md").write_text(
        article("Premier article", "alice-dupont", body="Neuf.")
    )
    git(site, "commit", "-qam", "Un nouvel article")
    git(site, "push", "-q", "origin", "nouvel-article")
    return site


def test_publishing_from_a_feature_branch_is_refused(branch_site, tmp_path):
    dest = tmp_path / "srv"
    status, said = run_publish(branch_site, dest)
    assert status == 1
    assert (
        "publishconf.py:75:5: publish-branch: error: the branch checked out is 'nouvel-article', not 'main', "
        "the branch that publishes — merge it through a reviewed pull request, then publish from main "
        "(git switch main && git pull); --force publishes anyway"
    ) in said
    assert "publish-unpushed" in said  # its commit is not on origin/main either
    assert said.rstrip().endswith("in the commit to publish; nothing was deployed.")
    assert "building" not in said  # refused before anything is built
    assert not dest.exists()


def test_uncommitted_and_unpushed_changes_are_refused(site, tmp_path):
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(site.with_name("site-origin.git")), str(clone))
    git(clone, "config", "user.name", "Test")
    (clone / "content/articles/premier.md").write_text(
        article("Premier article", "alice-dupont", body="Local.")
    )
    status, said = run_publish(clone, tmp_path / "srv")
    assert status == 1
    assert "content/articles/premier.md:1:1: publish-dirty: error: changed and not committed" in said
    git(clone, "commit", "-qam", "Pas encore poussé")
    status, said = run_publish(clone, tmp_path / "srv")
    commit = git(clone, "rev-parse", "--short=7", "HEAD").strip()
    assert f"publish-unpushed: error: commit {commit} is not on origin/main — push it" in said
    assert "publish-dirty" not in said


def test_force_publishes_anyway_and_the_release_says_so(branch_site, tmp_path):
    dest = tmp_path / "srv"
    status, said = run_publish(branch_site, dest, force=True)
    assert status == 0, said
    assert "publish-branch: warning:" in said
    [record] = [json.loads(p.read_text()) for p in (dest / "releases").glob("*.meta/release.json")]
    assert record["branch"] == "nouvel-article"
    assert record["commit"] == git(branch_site, "rev-parse", "HEAD").strip()
    assert [reason.split(",")[0] for reason in record["forced"]] == [
        "the branch checked out is 'nouvel-article'",
        "commit " + record["commit"][:7] + " is not on origin/main",
    ]


def test_a_dry_run_from_a_feature_branch_says_a_publish_would_stop(branch_site, tmp_path):
    status, said = run_publish(branch_site, tmp_path / "srv", dry_run=True)
    assert status == 0, said
    assert "publish-branch: warning:" in said
    assert "a publish would stop here (--force goes through)" in said
    assert said.splitlines()[-1].endswith("nothing was deployed")


def test_the_tasks_offer_publish_dry_run_and_rollback():
    def invoke(*args):
        argv = [sys.executable, "-m", "invoke", *args]
        return subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, check=True).stdout

    assert "--dry-run" in invoke("--help", "publish")
    assert "rollback" in invoke("--list")
