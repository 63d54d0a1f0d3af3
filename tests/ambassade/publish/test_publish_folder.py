"""The folder target: releases and their records, one atomic switch, interruptions at every step,
rollback and roll-forward, the web server's files beside what is served."""

from __future__ import annotations

import io
import json
import os

import pytest

from ambassade.publish import PublishError, releases_main, rollback_main
from ambassade.publish.manifest import tree_hash
from tests.ambassade.publish.publish_helpers import (
    HOST_V1,
    SITE_V1,
    SITE_V2,
    SITE_V3,
    Publisher,
    hashes,
    live_hash,
)
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
    """The releases' folders, without their records."""
    return sorted(n for n in os.listdir(dest / "releases") if not n.endswith(".meta"))


def test_first_publish_makes_a_release_named_by_time_and_commit(pub, dest):
    site = pub.site("v1", SITE_V1, host=HOST_V1)
    outcome = pub.publish(site)
    name = f"20261128-101500-{pub.commit[:7]}"
    assert outcome.release.name == name
    assert os.readlink(dest / "current") == f"releases/{name}"
    assert live_hash(dest) == tree_hash(site)
    assert pub.lines[-1] == f"published release {name} to {dest} (7 files: 7 added, 0 changed, 0 removed)"


def test_a_release_records_its_commit_date_and_publisher_beside_what_is_served(pub, dest):
    pub.publish(pub.site("v1", SITE_V1, host=HOST_V1))
    name = f"20261128-101500-{pub.commit[:7]}"
    record = json.loads((dest / "releases" / f"{name}.meta" / "release.json").read_text())
    assert record == {
        "name": name,
        "date": "2026-11-28T10:15:00+00:00",
        "commit": pub.commit,
        "branch": "main",
        "published_by": "Test",
        "forced": [],
        "withdrawn": False,
    }
    # The web server's files are beside the release, linked as <path>/host: never under current/.
    assert os.readlink(dest / "host") == f"releases/{name}.meta"
    assert (dest / "host" / "nginx-headers.conf").read_text() == HOST_V1["nginx-headers.conf"]
    assert sorted(os.listdir(dest / "current")) == [
        "a-propos",
        "feeds",
        "images",
        "index.html",
        "pagefind",
        "theme",
    ]


def test_next_publish_counts_changes_and_hard_links_what_did_not_change(pub, dest):
    pub.publish(pub.site("v1", SITE_V1))
    outcome = pub.publish(pub.site("v2", SITE_V2))
    assert (outcome.changes.added, outcome.changes.changed, outcome.changes.removed) == (
        ("articles/nouveau/index.html",),
        ("index.html",),
        ("feeds/all.atom.xml",),
    )
    assert pub.lines[-1].endswith("(7 files: 1 added, 1 changed, 1 removed)")
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
    # Nothing half-written is left: every release is one of the two sites, whole, with its record.
    for name in releases(dest):
        assert not name.startswith("."), name
        assert tree_hash(dest / "releases" / name) in hashes(v1, v2)
        assert (dest / "releases" / f"{name}.meta" / "release.json").is_file()
    assert not [n for n in os.listdir(dest) if n.endswith(".next")]
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
    one, two = (pub.publish(v).release.name for v in (v1, v2))
    assert pub.rollback() == one
    assert live_hash(dest) == tree_hash(v1)
    assert pub.lines[-1] == f"rolled back {dest}: release {one} is live again (was {two})"
    # The next publish's previous release is the one that was live, not the rolled-back one.
    pub.publish(v3)
    pub.rollback()
    assert live_hash(dest) == tree_hash(v1)


def test_rollback_to_a_chosen_release_and_forward_again(pub, dest):
    v1, v2, v3 = pub.site("v1", SITE_V1), pub.site("v2", SITE_V2), pub.site("v3", SITE_V3)
    one, two, three = (pub.publish(v).release.name for v in (v1, v2, v3))
    assert pub.rollback(to=one) == one
    assert live_hash(dest) == tree_hash(v1)
    # The release left is kept, marked: a roll-forward brings it back, by name or its first characters.
    assert pub.rollback(to=three[:15]) == three
    assert pub.lines[-1] == f"rolled forward {dest}: release {three} is live again (was {one})"
    assert live_hash(dest) == tree_hash(v3)
    assert os.readlink(dest / "host") == f"releases/{three}.meta"
    listed = {r.name: (r.live, r.withdrawn) for r in pub.releases()}
    # Going back marks the release left as rolled back; going forward leaves its record alone.
    assert listed == {one: (False, False), two: (False, False), three: (True, False)}
    assert pub.rollback() == two


def test_releases_lists_what_is_kept_and_what_is_live(pub, dest):
    one, two = (pub.publish(pub.site(n, f)).release.name for n, f in (("v1", SITE_V1), ("v2", SITE_V2)))
    out = io.StringIO()
    assert releases_main(str(PUBLISH_CONF), overrides=pub.overrides, out=out, err=out) == 0
    commit = pub.commit[:12]
    assert out.getvalue().splitlines() == [
        f"2 releases kept at {dest}:",
        f"  {one}  Nov 28, 2026 10:15 UTC  commit {commit} (main)  by Test",
        f"* {two}  Nov 28, 2026 10:16 UTC  commit {commit} (main)  by Test  live",
        "`invoke rollback --to RELEASE` makes one of them live again.",
    ]


def test_rollback_to_a_release_that_is_not_kept_names_those_that_are(pub, dest):
    one = pub.publish(pub.site("v1", SITE_V1)).release.name
    two = pub.publish(pub.site("v2", SITE_V2)).release.name
    err = io.StringIO()
    status = rollback_main(str(PUBLISH_CONF), to="2025", overrides=pub.overrides, out=io.StringIO(), err=err)
    assert status == 1
    assert err.getvalue().startswith(
        f"{dest}: no release is called 2025 — one of the releases kept: {one}, {two}\n"
    )
    assert live_hash(dest) == tree_hash(pub.sites["v2"])


def test_rollback_without_an_earlier_release_says_so(pub, dest):
    one = pub.publish(pub.site("v1", SITE_V1)).release.name
    err = io.StringIO()
    status = rollback_main(str(PUBLISH_CONF), overrides=pub.overrides, out=io.StringIO(), err=err)
    assert status == 1
    assert err.getvalue() == (
        f"{dest}: release {one} is the oldest one kept — there is no earlier release\n"
        "\nrollback stopped; nothing was changed.\n"
    )
    assert live_hash(dest) == tree_hash(pub.sites["v1"])


def test_only_the_last_releases_are_kept(pub, dest):
    for name, files in (("v1", SITE_V1), ("v2", SITE_V2), ("v3", SITE_V3), ("v1b", SITE_V1)):
        pub.publish(pub.site(name, files))
    sha = pub.commit[:7]
    kept = [f"20261128-101600-{sha}", f"20261128-101700-{sha}", f"20261128-101800-{sha}"]
    assert releases(dest) == kept
    # Records go with their releases.
    assert sorted(n for n in os.listdir(dest / "releases") if n.endswith(".meta")) == [
        f"{n}.meta" for n in kept
    ]
    assert os.readlink(dest / "current") == f"releases/20261128-101800-{sha}"


def test_dry_run_says_which_pages_change_and_counts_the_other_files(pub, dest):
    pub.publish(pub.site("v1", SITE_V1))
    pub.lines.clear()
    v2 = {
        **SITE_V2,
        "pagefind/fragment/fr_1a2b3c.pf_fragment": b"\x1f\x8b\x08\x00changed",
        "pagefind/fragment/fr_4d5e6f.pf_fragment": b"\x1f\x8b\x08\x00new",
    }
    outcome = pub.publish(pub.site("v2", v2), dry_run=True)
    assert outcome.release is None
    assert pub.lines[1:] == [
        f"dry run: release 20261128-101600-{pub.commit[:7]} to {dest} (folder) would change:",
        "  1 page added:",
        "    + /articles/nouveau/  Nouveau",
        "  1 page changed:",
        "    ~ /  Clairvoie",
        "  search index: 1 added, 1 changed, 0 removed",
        "  other files (theme, images, feeds): 0 added, 0 changed, 1 removed",
        "would publish 8 files: 2 added, 2 changed, 1 removed; nothing was deployed",
    ]
    assert releases(dest) == [f"20261128-101500-{pub.commit[:7]}"]


def test_dry_run_names_a_removed_page_by_its_live_title(pub, dest):
    pub.publish(pub.site("v2", SITE_V2))
    pub.lines.clear()
    pub.publish(pub.site("v1", SITE_V1), dry_run=True)
    assert "  1 page removed:" in pub.lines
    assert "    - /articles/nouveau/  Nouveau" in pub.lines


def test_publishing_the_live_site_again_changes_nothing(pub, dest):
    pub.publish(pub.site("v1", SITE_V1))
    assert pub.publish(pub.sites["v1"]).release is None
    assert pub.lines[-1] == f"nothing to publish: {dest} already serves these 7 files"
    assert releases(dest) == [f"20261128-101500-{pub.commit[:7]}"]


def test_a_current_folder_that_is_not_a_link_is_refused(pub, dest):
    (dest / "current").mkdir(parents=True)
    with pytest.raises(PublishError, match="is a folder, not a link — move it away once"):
        pub.publish(pub.site("v1", SITE_V1))
