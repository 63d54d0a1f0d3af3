"""The gh-pages target against a local bare repository: one commit per publish, holding exactly the site,
its release's record in the commit's trailers."""

from __future__ import annotations

import subprocess

import pytest

from ambassade.publish.manifest import files
from tests.ambassade.publish.publish_helpers import SITE_V1, SITE_V2, SITE_V3, Publisher


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
    return Publisher(tmp_path, {"target": "gh-pages", "gh_pages": options})


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
    name = f"20261128-101600-{pub.commit[:7]}"
    assert git(repo, "log", "-1", "--format=%B", "gh-pages").splitlines() == [
        f"Publish release {name}",
        "",
        f"Release: {name}",
        "Published-At: 2026-11-28T10:16:00+00:00",
        f"Source-Commit: {pub.commit}",
        "Source-Branch: main",
        "Published-By: Test",
    ]
    assert (outcome.changes.added, outcome.changes.changed, outcome.changes.removed) == (
        ("articles/nouveau/index.html",),
        ("index.html",),
        ("feeds/all.atom.xml",),
    )
    assert outcome.changes.total == 9  # the 7 files, .nojekyll and CNAME


def test_nothing_changed_makes_no_commit(pub, repo):
    v1 = pub.site("v1", SITE_V1)
    pub.publish(v1)
    assert pub.publish(v1).release is None
    assert git(repo, "rev-list", "--count", "gh-pages") == "1"


def test_dry_run_commits_nothing(pub, repo):
    pub.publish(pub.site("v1", SITE_V1))
    outcome = pub.publish(pub.site("v2", SITE_V2), dry_run=True)
    assert outcome.changes.summary() == "9 files: 1 added, 1 changed, 1 removed"
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
    one = pub.publish(v1).release.name
    first_tree = git(repo, "rev-parse", "gh-pages^{tree}")
    pub.publish(pub.site("v2", SITE_V2))
    assert pub.rollback() == one
    assert git(repo, "rev-list", "--count", "gh-pages") == "3"
    assert git(repo, "rev-parse", "gh-pages^{tree}") == first_tree
    assert git(repo, "log", "-1", "--format=%s", "gh-pages") == f"Roll back to release {one}"


def test_the_branch_history_lists_the_releases_and_rolls_forward(pub, repo):
    trees = {}
    names = []
    for label, content in (("v1", SITE_V1), ("v2", SITE_V2), ("v3", SITE_V3)):
        names.append(pub.publish(pub.site(label, content)).release.name)
        trees[names[-1]] = git(repo, "rev-parse", "gh-pages^{tree}")
    one, two, three = names
    assert pub.rollback(to=one) == one
    assert git(repo, "rev-parse", "gh-pages^{tree}") == trees[one]
    # A plain rollback now skips the release rolled back from, and goes before the live one: none.
    listed = {r.name: (r.live, r.withdrawn, r.commit) for r in pub.releases()}
    assert listed == {
        one: (True, False, pub.commit),
        two: (False, False, pub.commit),
        three: (False, True, pub.commit),
    }
    assert pub.rollback(to=three) == three
    assert git(repo, "rev-parse", "gh-pages^{tree}") == trees[three]
    assert pub.rollback() == two
