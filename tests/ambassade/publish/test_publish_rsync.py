"""The rsync target, to a local path (no SSH needed there), and the SSH commands it builds for a host."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from ambassade.publish.manifest import tree_hash
from ambassade.publish.targets.rsync import RsyncTarget, parse_itemized
from tests.ambassade.publish.publish_helpers import SITE_V1, SITE_V2, Publisher, live_hash, under_ci

if not shutil.which("rsync"):
    message = "rsync is not installed — apt-get install rsync (.ci/run does)"
    if under_ci():
        pytest.fail(message, pytrace=False)
    pytest.skip(message, allow_module_level=True)

OPTIONS = {"host": "", "user": "", "port": 22, "path": "", "ssh_options": [], "rsync_options": []}


@pytest.fixture
def dest(tmp_path):
    return tmp_path / "srv" / "site"


@pytest.fixture
def pub(tmp_path, dest):
    return Publisher(tmp_path, {"target": "rsync", "rsync": {"path": str(dest)}})


def test_publish_to_release_folders_with_unchanged_files_linked(pub, dest):
    v1, v2 = pub.site("v1", SITE_V1), pub.site("v2", SITE_V2)
    # Two builds never write a file at the same instant: dates must not stop the linking.
    os.utime(v2 / "theme/css/site.css", (0, 0))
    first = pub.publish(v1)
    assert first.changes.summary() == "8 files: 8 added, 0 changed, 0 removed"
    second = pub.publish(v2)
    assert (second.changes.added, second.changes.changed, second.changes.removed) == (
        ("articles/nouveau/index.html",),
        ("index.html",),
        ("feeds/all.atom.xml",),
    )
    assert os.readlink(dest / "current") == "releases/20261128-101600"
    assert live_hash(dest) == tree_hash(v2)
    old, new = dest / "releases" / "20261128-101500", dest / "releases" / "20261128-101600"
    # --link-dest: the unchanged stylesheet is the same file on disk in both releases.
    assert (old / "theme/css/site.css").stat().st_ino == (new / "theme/css/site.css").stat().st_ino
    assert pub.lines[-1] == (
        f"published release 20261128-101600 to {dest} (8 files: 1 added, 1 changed, 1 removed)"
    )


def test_interrupted_before_the_switch_leaves_the_live_release(pub, dest):
    v1 = pub.site("v1", SITE_V1)
    pub.publish(v1)

    def stop(step):
        if step == "copied":
            raise KeyboardInterrupt

    with pytest.raises(Exception, match="interrupted\nthe live site at .* was left as it was"):
        pub.publish(pub.site("v2", SITE_V2), checkpoint=stop)
    assert live_hash(dest) == tree_hash(v1)
    assert sorted(os.listdir(dest / "releases")) == ["20261128-101500"]


def test_rollback_switches_back_in_one_step(pub, dest):
    v1 = pub.site("v1", SITE_V1)
    pub.publish(v1)
    pub.publish(pub.site("v2", SITE_V2))
    assert pub.rollback() == "20261128-101500"
    assert live_hash(dest) == tree_hash(v1)
    assert sorted(os.listdir(dest / "releases")) == [".rolled-back-20261128-101600", "20261128-101500"]


def test_dry_run_compares_with_the_live_release(pub, dest):
    pub.publish(pub.site("v1", SITE_V1))
    outcome = pub.publish(pub.site("v2", SITE_V2), dry_run=True)
    assert outcome.changes.summary() == "8 files: 1 added, 1 changed, 1 removed"
    assert sorted(os.listdir(dest / "releases")) == ["20261128-101500"]


def test_commands_for_a_remote_host():
    target = RsyncTarget(
        {
            **OPTIONS,
            "host": "web.example",
            "user": "deploy",
            "port": "2222",
            "path": "/srv/site/",
            "ssh_options": ["-i", "/keys/deploy"],
            "rsync_options": ["--chmod=Fa+r"],
        },
        keep=5,
    )
    ssh = ["ssh", "-p", "2222", "-o", "BatchMode=yes", "-i", "/keys/deploy"]
    assert target.describe() == "deploy@web.example:/srv/site"
    assert target.shell.argv("readlink current") == [*ssh, "deploy@web.example", "readlink current"]
    incoming = "/srv/site/releases/.incoming-x/"
    assert target.rsync(Path("/tmp/site"), incoming, "--link-dest=../20261128-101500") == [
        "rsync",
        "--recursive",
        "--links",
        "--perms",
        "--checksum",
        "--delete",
        "-e",
        "ssh -p 2222 -o BatchMode=yes -i /keys/deploy",
        "--chmod=Fa+r",
        "--link-dest=../20261128-101500",
        "/tmp/site/",
        f"deploy@web.example:{incoming}",
    ]


def test_itemized_output_is_read_as_changes():
    out = (
        "cd+++++++++ articles/nouveau/\n>f+++++++++ articles/nouveau/index.html\n>fcs....... index.html\n"
        ".f..t...... theme/css/site.css\n*deleting   feeds/all.atom.xml\n*deleting   feeds/\n"
    )
    changes = parse_itemized(out, total=8)
    assert (changes.added, changes.changed, changes.removed) == (
        ("articles/nouveau/index.html",),
        ("index.html",),
        ("feeds/all.atom.xml",),
    )
