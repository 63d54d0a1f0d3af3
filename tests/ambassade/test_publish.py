"""`invoke publish` end to end: a real Pelican build, verified, deployed to a folder, or stopped and said why.

The targets' own behaviour (interruptions, rollback, rsync, gh-pages, S3) is
tested in tests/publish/ on small pre-built sites.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys

import pytest

from ambassade.publish import main
from ambassade.publish.manifest import tree_hash
from tests.support import PUBLISH_CONF, ROOT, article, profile, site_overrides, write_site

SITE = {
    "experts/alice-dupont.yml": profile("Alice Dupont", expertise="[Cloud]"),
    "content/articles/premier.md": article("Premier article", "alice-dupont"),
    "content/articles/secret.md": article("Un brouillon", "alice-dupont", status="draft"),
    "content/articles/futur.md": article(
        "Article programmé", "alice-dupont", date="2099-01-15T09:00:00+01:00"
    ),
    "content/pages/a-propos.md": "Title: À propos\nSlug: a-propos\n\nNous.\n",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return write_site(tmp_path_factory.mktemp("publish") / "site", SITE)


def run_publish(site, dest, dry_run=False, **settings):
    out = io.StringIO()
    target = {"target": "folder", "folder": {"path": str(dest)}}
    overrides = {**site_overrides(site), "PUBLISH": target, **settings}
    status = main(str(PUBLISH_CONF), dry_run=dry_run, overrides=overrides, out=out, err=out)
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
        "brouillons/un-brouillon/index.html: a draft is in the production build — "
        "drafts stay out of production"
    ) in said
    assert said.rstrip().endswith("in the site; nothing was deployed.")
    assert "Traceback" not in said
    assert tree_hash(dest / "current") == before
    assert len(os.listdir(dest / "releases")) == 1


def test_a_build_that_leaks_a_scheduled_article_deploys_nothing(site, published):
    dest, _ = published
    status, said = run_publish(site, dest, WITH_FUTURE_DATES=True)
    assert status == 1
    assert (
        "articles/article-programme/index.html: an article dated 2099-01-15T09:00:00+01:00 "
        "is not published yet"
    ) in said
    assert len(os.listdir(dest / "releases")) == 1


def test_dry_run_against_the_live_release(site, published):
    dest, _ = published
    status, said = run_publish(site, dest, dry_run=True)
    assert status == 0, said
    assert said.splitlines()[-1].endswith("nothing was deployed")
    assert len(os.listdir(dest / "releases")) == 1


def test_wrong_settings_are_all_reported_before_building(site, tmp_path):
    out = io.StringIO()
    overrides = {**site_overrides(site), "PUBLISH": {"target": "ftp", "kep": 3, "keep": "many"}}
    assert main(str(PUBLISH_CONF), overrides=overrides, out=out, err=out) == 1
    assert out.getvalue() == (
        "publishconf.py: PUBLISH[\"keep\"] is 'many' — a whole number\n"
        'publishconf.py: PUBLISH["kep"] is not a setting — one of allow_internal, folder, gh-pages, '
        "internal_paths, keep, rsync, s3, target\n"
        "publishconf.py: PUBLISH[\"target\"] is 'ftp' — one of folder, rsync, gh-pages, s3\n"
        "\npublish stopped: 3 problems in the settings; nothing was deployed.\n"
    )


def test_the_tasks_offer_publish_dry_run_and_rollback():
    def invoke(*args):
        argv = [sys.executable, "-m", "invoke", *args]
        return subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, check=True).stdout

    assert "--dry-run" in invoke("--help", "publish")
    assert "rollback" in invoke("--list")
