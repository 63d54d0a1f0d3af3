"""The folder target: releases, one atomic switch, interruptions at every step, rollback."""

from __future__ import annotations

import io
import os

import pytest

from ambassade.publish import PublishError, rollback_main
from ambassade.publish.manifest import tree_hash
from tests.ambassade.publish.publish_helpers import SITE_V1, SITE_V2, SITE_V3, Publisher, hashes, live_hash
from tests.support import PUBLISH_CONF

STEPS = ["built", "verified", "copying", "copied", "before-swap", "swapped"]


class Interrupted(Exception):
    """Stands for anything that stops a publish half-way: a crash, a full disk, Ctrl-C."""


@pytest.fixture
def dest(tmp_path):
    return tmp_path / "srv" / "site"


@pytest.fixture
def pub(tmp_path, dest):
    return Publisher(tmp_path, {"target": "folder", "keep": 3, "folder": {"path": str(dest)}})


def releases(dest):
    return sorted(os.listdir(dest / "releases"))


def test_first_publish_makes_a_release_and_points_current_at_it(pub, dest):
    site = pub.site("v1", SITE_V1)
    outcome = pub.publish(site)
    assert outcome.release == "20261128-101500"
    assert os.readlink(dest / "current") == "releases/20261128-101500"
    assert live_hash(dest) == tree_hash(site)
    assert pub.lines[-1] == (
        f"published release 20261128-101500 to {dest} (8 files: 8 added, 0 changed, 0 removed)"
    )


def test_next_publish_counts_changes_and_hard_links_what_did_not_change(pub, dest):
    pub.publish(pub.site("v1", SITE_V1))
    outcome = pub.publish(pub.site("v2", SITE_V2))
    assert (outcome.changes.added, outcome.changes.changed, outcome.changes.removed) == (
        ("articles/nouveau/index.html",),
        ("index.html",),
        ("feeds/all.atom.xml",),
    )
    assert pub.lines[-1].endswith("(8 files: 1 added, 1 changed, 1 removed)")
    old, new = (dest / "releases" / r for r in releases(dest))
    assert (old / "theme/css/site.css").stat().st_ino == (new / "theme/css/site.css").stat().st_ino
    assert (old / "index.html").stat().st_ino != (new / "index.html").stat().st_ino
    assert live_hash(dest) == tree_hash(pub.sites["v2"])


@pytest.mark.parametrize("step", STEPS)
def test_a_publish_interrupted_at_any_step_leaves_a_whole_release_live(pub, dest, step):
    v1, v2 = pub.site("v1", SITE_V1), pub.site("v2", SITE_V2)
    pub.publish(v1)
    calls = []

    def interrupt(name):
        calls.append(name)
        # "copying" is reported after each file: stop after the third, half-way through the copy.
        if name == step and (step != "copying" or calls.count("copying") == 3):
            raise Interrupted(step)

    with pytest.raises(Interrupted):
        pub.publish(v2, checkpoint=interrupt)

    expected = v2 if step == "swapped" else v1
    assert live_hash(dest) == tree_hash(expected)
    # Nothing half-written is left: every release is one of the two sites, whole.
    for name in releases(dest):
        assert not name.startswith("."), name
        assert tree_hash(dest / "releases" / name) in hashes(v1, v2)
    assert not (dest / "current.tmp").exists()
    # And the next publish goes through.
    pub.publish(v2)
    assert live_hash(dest) == tree_hash(v2)


def test_a_release_left_by_a_killed_publish_is_cleared_by_the_next(pub, dest):
    pub.publish(pub.site("v1", SITE_V1))
    (dest / "releases" / ".incoming-20261128-101501" / "half").mkdir(parents=True)
    pub.publish(pub.site("v2", SITE_V2))
    assert [r for r in releases(dest) if r.startswith(".")] == []


def test_rollback_restores_the_previous_release_exactly(pub, dest):
    v1, v2, v3 = pub.site("v1", SITE_V1), pub.site("v2", SITE_V2), pub.site("v3", SITE_V3)
    pub.publish(v1)
    pub.publish(v2)
    assert pub.rollback() == "20261128-101500"
    assert live_hash(dest) == tree_hash(v1)
    assert pub.lines[-1] == f"rolled back {dest}: release 20261128-101500 is live again (was 20261128-101600)"
    # The next publish's previous release is the one that was live, not the rolled-back one.
    pub.publish(v3)
    pub.rollback()
    assert live_hash(dest) == tree_hash(v1)


def test_rollback_without_an_earlier_release_says_so(pub, dest):
    pub.publish(pub.site("v1", SITE_V1))
    err = io.StringIO()
    status = rollback_main(str(PUBLISH_CONF), overrides=pub.overrides, out=io.StringIO(), err=err)
    assert status == 1
    assert err.getvalue() == (
        f"{dest}: release 20261128-101500 is the oldest one kept — there is no earlier release\n"
        "\nrollback stopped; nothing was changed.\n"
    )
    assert live_hash(dest) == tree_hash(pub.sites["v1"])


def test_only_the_last_releases_are_kept(pub, dest):
    for name, files in (("v1", SITE_V1), ("v2", SITE_V2), ("v3", SITE_V3), ("v1b", SITE_V1)):
        pub.publish(pub.site(name, files))
    assert releases(dest) == ["20261128-101600", "20261128-101700", "20261128-101800"]
    assert os.readlink(dest / "current") == "releases/20261128-101800"


def test_dry_run_lists_changes_and_deploys_nothing(pub, dest):
    pub.publish(pub.site("v1", SITE_V1))
    pub.lines.clear()
    outcome = pub.publish(pub.site("v2", SITE_V2), dry_run=True)
    assert outcome.release is None
    assert pub.lines[1:] == [
        f"dry run: release 20261128-101600 to {dest} (folder) would change:",
        "  added    articles/nouveau/index.html",
        "  changed  index.html",
        "  removed  feeds/all.atom.xml",
        "would publish 8 files: 1 added, 1 changed, 1 removed; nothing was deployed",
    ]
    assert releases(dest) == ["20261128-101500"]


def test_publishing_the_live_site_again_changes_nothing(pub, dest):
    pub.publish(pub.site("v1", SITE_V1))
    assert pub.publish(pub.sites["v1"]).release is None
    assert pub.lines[-1] == f"nothing to publish: {dest} already serves these 8 files"
    assert releases(dest) == ["20261128-101500"]


def test_a_current_folder_that_is_not_a_link_is_refused(pub, dest):
    (dest / "current").mkdir(parents=True)
    with pytest.raises(PublishError, match="is a folder, not a link — move it away once"):
        pub.publish(pub.site("v1", SITE_V1))
