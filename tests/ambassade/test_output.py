"""The output folder: replaced in one step, by one build at a time, and no debris of killed runs."""

from __future__ import annotations

import errno
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from ambassade import output as output_folder
from ambassade.build import main, settle
from tests.support import PREVIEW_CONF, ROOT, article, broken_references, profile, site_overrides, write_site

SITE = {
    "experts/alice-dupont.yml": profile("Alice Dupont", expertise="[Cloud]"),
    "content/articles/premier.md": article("Premier article", "alice-dupont"),
    "content/pages/a-propos.md": "Title: À propos\nSlug: a-propos\n\nNous.\n",
}
DEBRIS = ("building-", "previous-", "spare-claimed-")


def debris(out: Path) -> list[str]:
    """What a build left beside ``out`` that the next one must not find: only the spare folders and the lock stay."""
    return sorted(
        p.name
        for p in out.parent.iterdir()
        if p.name.startswith(f".{out.name}.") and any(d in p.name for d in DEBRIS)
    )


def whole(out: Path) -> bool:
    """A site a visitor can use: its home page, an article, and every internal link resolving."""
    return (out / "index.html").is_file() and (out / "articles").is_dir() and not broken_references(out)


def build_in_process(base: Path, out: Path) -> subprocess.Popen:
    """A build in a process of its own (a session of its own: its workers are killed with it)."""
    code = (
        "import json, sys; from ambassade.build import main; "
        f"sys.exit(main({str(PREVIEW_CONF)!r}, overrides=json.loads(sys.argv[1]), stream=sys.stderr))"
    )
    overrides = site_overrides(base, out) | {"CACHE_PATH": str(base / "cache")}
    return subprocess.Popen(
        [sys.executable, "-c", code, json.dumps(overrides)],
        cwd=ROOT,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def test_a_build_killed_at_any_moment_leaves_a_whole_site_and_the_next_run_no_debris(tmp_path):
    base = write_site(tmp_path / "site", SITE)
    out = tmp_path / "out"
    overrides = site_overrides(base, out) | {"CACHE_PATH": str(base / "cache")}
    assert main(str(PREVIEW_CONF), overrides=overrides, stream=io.StringIO()) == 0
    settle()
    edited = base / "content" / "articles" / "premier.md"
    for n, delay in enumerate((0.3, 0.8, 1.3, 1.8, 2.4, 3.2)):
        edited.write_text(article("Premier article", "alice-dupont", body=f"Version {n}."), encoding="utf-8")
        process = build_in_process(base, out)
        time.sleep(delay)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        assert whole(out), f"killed after {delay} s: the output is not a whole site"
    err = io.StringIO()
    assert main(str(PREVIEW_CONF), overrides=overrides, stream=err) == 0, err.getvalue()
    settle()
    assert whole(out)
    assert "Version 5." in (out / "articles" / "premier-article" / "index.html").read_text(encoding="utf-8")
    assert debris(out) == [], "the next build removes what killed ones left"


def test_a_swap_killed_between_its_two_steps_is_undone_by_the_next_run(tmp_path):
    """Where the system cannot swap two folders in one call, the output is renamed away first:
    killed then, the next run finds no output and puts the replaced one back."""
    out = tmp_path / "out"
    previous = tmp_path / f".out.previous-{dead_pid()}-0"
    (previous / "articles").mkdir(parents=True)
    (previous / "index.html").write_text("<p>le site</p>", encoding="utf-8")
    staging = tmp_path / f".out.building-{dead_pid()}"
    staging.mkdir()
    with output_folder.building(out) as mine:
        assert (out / "index.html").read_text(encoding="utf-8") == "<p>le site</p>"
        assert not previous.exists() and not staging.exists()
        assert mine == tmp_path / f".out.building-{os.getpid()}"


def dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_the_swap_is_one_step_where_the_system_has_one(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "new").write_text("new", encoding="utf-8")
    (b / "old").write_text("old", encoding="utf-8")
    if not output_folder.exchange(a, b):
        pytest.skip("this system or file system cannot exchange two paths in one call")
    assert (b / "new").is_file() and (a / "old").is_file()


def test_two_builds_of_one_output_wait_for_each_other(tmp_path):
    base = write_site(tmp_path / "site", SITE)
    out = tmp_path / "out"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from ambassade.output import building\n"
            "with building(Path(sys.argv[1])):\n    print('held', flush=True); time.sleep(2)",
            str(out),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "held"
    started = time.monotonic()
    err = io.StringIO()
    assert main(str(PREVIEW_CONF), overrides=site_overrides(base, out), stream=err) == 0, err.getvalue()
    assert time.monotonic() - started > 1.0, "the second build waited for the first"
    assert "another build of this output folder is running" in err.getvalue()
    assert holder.wait() == 0
    settle()
    assert whole(out)


def test_an_output_that_is_a_mount_point_is_built_inside_it_and_swapped_entry_by_entry(tmp_path, monkeypatch):
    """A mount point cannot be renamed: the build writes inside it and swaps each entry in one step."""
    base = write_site(tmp_path / "site", SITE)
    out = tmp_path / "out"
    out.mkdir()
    (out / "left-over.txt").write_text("from before", encoding="utf-8")
    real_inside = output_folder._inside
    monkeypatch.setattr(output_folder, "_inside", lambda target: target == out or real_inside(target))
    renamed = []
    real_rename = os.rename

    def rename(a, b):
        if Path(a) == out or Path(b) == out:
            renamed.append((a, b))
            raise OSError(errno.EBUSY, os.strerror(errno.EBUSY), str(out))
        real_rename(a, b)

    monkeypatch.setattr(os, "rename", rename)
    inode = out.stat().st_ino
    for _ in range(2):
        err = io.StringIO()
        assert main(str(PREVIEW_CONF), overrides=site_overrides(base, out), stream=err) == 0, err.getvalue()
        settle()
    assert renamed == [] and out.stat().st_ino == inode, "the mount point itself was never renamed"
    assert whole(out) and not (out / "left-over.txt").exists()
    assert [
        p.name for p in out.iterdir() if p.name.startswith(".out.") and any(d in p.name for d in DEBRIS)
    ] == []
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.building")]


def test_an_output_that_cannot_be_replaced_is_a_finding_and_the_old_site_stays(tmp_path, monkeypatch):
    base = write_site(tmp_path / "site", SITE)
    out = tmp_path / "out"
    assert main(str(PREVIEW_CONF), overrides=site_overrides(base, out), stream=io.StringIO()) == 0
    settle()
    before = (out / "index.html").read_bytes()

    def immutable(a, b):  # what chattr +i or a read-only file system answers
        raise PermissionError(errno.EPERM, os.strerror(errno.EPERM), str(b))

    monkeypatch.setattr(output_folder, "exchange", immutable)
    err = io.StringIO()
    assert main(str(PREVIEW_CONF), overrides=site_overrides(base, out), stream=err) == 1
    said = err.getvalue()
    assert "out:1:1: build-output: error: the output folder cannot be written or replaced" in said, said
    assert "Traceback" not in said
    assert (out / "index.html").read_bytes() == before


def test_a_publish_removes_the_temporary_folders_of_killed_ones():
    from ambassade.publish.run import TEMPORARY_PREFIX, _tidy_temporary

    base = Path(tempfile.gettempdir())
    killed = base / f"{TEMPORARY_PREFIX}{dead_pid()}-abc"
    running = base / f"{TEMPORARY_PREFIX}{os.getpid()}-def"
    for folder in (killed, running):
        (folder / "site").mkdir(parents=True)
    try:
        _tidy_temporary()
        assert not killed.exists() and running.exists()
    finally:
        for folder in (killed, running):
            if folder.exists():
                shutil.rmtree(folder)


def test_a_rebuild_links_the_files_it_would_write_again_and_never_writes_into_them(tmp_path):
    put = output_folder.put
    previous, output = tmp_path / "previous", tmp_path / "output"
    put(previous, "experts/claire/vcard.vcf", b"BEGIN:VCARD\r\nFN:Claire\r\n", None)
    put(previous, "experts/marc/vcard.vcf", b"BEGIN:VCARD\r\nFN:Marc\r\n", None)
    kept, changed = previous / "experts/claire/vcard.vcf", previous / "experts/marc/vcard.vcf"

    put(output, "experts/claire/vcard.vcf", b"BEGIN:VCARD\r\nFN:Claire\r\n", previous)
    put(output, "experts/marc/vcard.vcf", b"BEGIN:VCARD\r\nFN:Marc Dupont\r\n", previous)
    put(output, "agenda/talks.ics", b"BEGIN:VCALENDAR\r\n", previous)

    assert (output / "experts/claire/vcard.vcf").stat().st_ino == kept.stat().st_ino
    assert (output / "experts/marc/vcard.vcf").stat().st_ino != changed.stat().st_ino
    assert (output / "experts/marc/vcard.vcf").read_bytes() == b"BEGIN:VCARD\r\nFN:Marc Dupont\r\n"
    assert (output / "agenda/talks.ics").read_bytes() == b"BEGIN:VCALENDAR\r\n"
    # The same file written again with other bytes: a new file, the replaced output's stays as it was.
    put(output, "experts/claire/vcard.vcf", b"BEGIN:VCARD\r\nFN:Claire M.\r\n", previous)
    assert kept.read_bytes() == b"BEGIN:VCARD\r\nFN:Claire\r\n"
    assert (output / "experts/claire/vcard.vcf").read_bytes() == b"BEGIN:VCARD\r\nFN:Claire M.\r\n"
