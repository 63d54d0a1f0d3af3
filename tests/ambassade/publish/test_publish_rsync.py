"""The rsync target, to a local path (no SSH needed there), and the SSH commands it builds for a host."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from ambassade.publish.manifest import tree_hash
from ambassade.publish.settings import RsyncOptions
from ambassade.publish.targets.rsync import RsyncTarget, parse_itemized
from tests.ambassade.publish.publish_helpers import (
    HOST_V1,
    SITE_V1,
    SITE_V2,
    SITE_V3,
    Publisher,
    live_hash,
    under_ci,
)

if not shutil.which("rsync"):
    message = "rsync is not installed — apt-get install rsync (.ci/run does)"
    if under_ci():
        pytest.fail(message, pytrace=False)
    pytest.skip(message, allow_module_level=True)


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
    assert first.changes.summary() == "7 files: 7 added, 0 changed, 0 removed"
    second = pub.publish(v2)
    assert (second.changes.added, second.changes.changed, second.changes.removed) == (
        ("articles/nouveau/index.html",),
        ("index.html",),
        ("feeds/all.atom.xml",),
    )
    one, two = first.release.name, second.release.name
    assert os.readlink(dest / "current") == f"releases/{two}"
    assert live_hash(dest) == tree_hash(v2)
    old, new = dest / "releases" / one, dest / "releases" / two
    # --link-dest: the unchanged stylesheet is the same file on disk in both releases.
    assert (old / "theme/css/site.css").stat().st_ino == (new / "theme/css/site.css").stat().st_ino
    assert pub.lines[-1] == f"published release {two} to {dest} (7 files: 1 added, 1 changed, 1 removed)"


def test_the_record_and_the_web_servers_files_go_beside_the_release(pub, dest):
    name = pub.publish(pub.site("v1", SITE_V1, host=HOST_V1)).release.name
    assert os.readlink(dest / "host") == f"releases/{name}.meta"
    assert (dest / "host" / "nginx-headers.conf").read_text() == HOST_V1["nginx-headers.conf"]
    [listed] = pub.releases()
    assert (listed.name, listed.commit, listed.branch, listed.published_by, listed.live) == (
        name,
        pub.commit,
        "main",
        "Test",
        True,
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
    name = f"20261128-101500-{pub.commit[:7]}"
    assert sorted(os.listdir(dest / "releases")) == [name, f"{name}.meta"]


def test_rollback_switches_back_in_one_step_and_forward_again(pub, dest):
    v1, v3 = pub.site("v1", SITE_V1), pub.site("v3", SITE_V3)
    one = pub.publish(v1).release.name
    pub.publish(pub.site("v2", SITE_V2))
    three = pub.publish(v3).release.name
    assert pub.rollback(to=one) == one
    assert live_hash(dest) == tree_hash(v1)
    assert [r.name for r in pub.releases() if r.withdrawn] == [three]
    assert pub.rollback(to=three) == three
    assert live_hash(dest) == tree_hash(v3)
    assert [r.name for r in pub.releases() if r.withdrawn] == []


def test_dry_run_compares_with_the_live_release(pub, dest):
    pub.publish(pub.site("v1", SITE_V1))
    outcome = pub.publish(pub.site("v2", SITE_V2), dry_run=True)
    assert outcome.changes.summary() == "7 files: 1 added, 1 changed, 1 removed"
    assert len(pub.releases()) == 1


def test_commands_for_a_remote_host():
    target = RsyncTarget(
        RsyncOptions(
            host="web.example",
            user="deploy",
            port=2222,
            path="/srv/site/",
            ssh_options=["-i", "/keys/deploy"],
            rsync_options=["--chmod=Fa+r"],
        ),
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
