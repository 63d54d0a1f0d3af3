"""The gh-pages target against a local bare repository: one commit per publish, holding exactly the site."""

from __future__ import annotations

import subprocess

import pytest

from ambassade.publish.manifest import files
from tests.ambassade.publish.publish_helpers import SITE_V1, SITE_V2, Publisher


def git(repo, *args) -> str:
    return subprocess.run(
        ["git", "--git-dir", str(repo), *args], capture_output=True, text=True, check=True
    ).stdout.strip()


@pytest.fixture
def repo(tmp_path):
    path = tmp_path / "site.git"
    subprocess.run(["git", "init", "--quiet", "--bare", str(path)], check=True)
    return path


@pytest.fixture
def pub(tmp_path, repo):
    options = {"repo": str(repo), "cname": "clairvoie.example"}
    return Publisher(tmp_path, {"target": "gh-pages", "gh-pages": options})


def tree_of(repo, rev="gh-pages") -> list[str]:
    return git(repo, "ls-tree", "-r", "--name-only", rev).splitlines()


def expected_tree(site) -> list[str]:
    return sorted([rel for rel, _ in files(site)] + [".nojekyll", "CNAME"])


def test_one_commit_per_publish_with_exactly_the_site(pub, repo):
    v1, v2 = pub.site("v1", SITE_V1), pub.site("v2", SITE_V2)
    pub.publish(v1)
    assert git(repo, "rev-list", "--count", "gh-pages") == "1"
    assert tree_of(repo) == expected_tree(v1)
    assert git(repo, "show", "gh-pages:CNAME") == "clairvoie.example"
    assert git(repo, "show", "gh-pages:index.html") == (v1 / "index.html").read_text().strip()

    outcome = pub.publish(v2)
    assert git(repo, "rev-list", "--count", "gh-pages") == "2"
    assert tree_of(repo) == expected_tree(v2)
    assert git(repo, "log", "-1", "--format=%s", "gh-pages") == "Publish release 20261128-101600"
    assert (outcome.changes.added, outcome.changes.changed, outcome.changes.removed) == (
        ("articles/nouveau/index.html",),
        ("index.html",),
        ("feeds/all.atom.xml",),
    )
    assert outcome.changes.total == 10  # the 8 files, .nojekyll and CNAME


def test_nothing_changed_makes_no_commit(pub, repo):
    v1 = pub.site("v1", SITE_V1)
    pub.publish(v1)
    assert pub.publish(v1).release is None
    assert git(repo, "rev-list", "--count", "gh-pages") == "1"


def test_dry_run_commits_nothing(pub, repo):
    pub.publish(pub.site("v1", SITE_V1))
    outcome = pub.publish(pub.site("v2", SITE_V2), dry_run=True)
    assert outcome.changes.summary() == "10 files: 1 added, 1 changed, 1 removed"
    assert git(repo, "rev-list", "--count", "gh-pages") == "1"


def test_interrupted_before_the_push_leaves_the_branch(pub, repo):
    pub.publish(pub.site("v1", SITE_V1))
    head = git(repo, "rev-parse", "gh-pages")

    def stop(step):
        if step == "before-push":
            raise KeyboardInterrupt

    with pytest.raises(Exception, match="was left as it was"):
        pub.publish(pub.site("v2", SITE_V2), checkpoint=stop)
    assert git(repo, "rev-parse", "gh-pages") == head


def test_rollback_commits_the_previous_tree(pub, repo):
    v1 = pub.site("v1", SITE_V1)
    pub.publish(v1)
    first_tree = git(repo, "rev-parse", "gh-pages^{tree}")
    pub.publish(pub.site("v2", SITE_V2))
    pub.rollback()
    assert git(repo, "rev-list", "--count", "gh-pages") == "3"
    assert git(repo, "rev-parse", "gh-pages^{tree}") == first_tree
    assert git(repo, "log", "-1", "--format=%s", "gh-pages").startswith("Roll back to ")
