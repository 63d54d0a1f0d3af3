"""What the speed plugin keeps under ``CACHE_PATH/speed/`` can only cost time, never show what is not so.

* A source saved again and again while a cold build converts it (an editor's
  autosave, a ``git checkout`` under a running preview) never leaves the other
  version's text on its page: conversions are kept under the digest of the very
  bytes that were converted, so the next build shows what the file holds, in
  the same process (livereload) and in a new one (the cache on disk).
* A cache file cut short, garbled, or replaced by something else is dropped
  and made again: the build is the one a clean cache gives.
"""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
import time

import pytest

from tests.speed import site
from tests.speed.test_speed import _differences
from tests.support import PREVIEW_CONF, ROOT

# Rewrites a file with one version, then the other, every few milliseconds, each
# save whole (written beside, then renamed over it, as editors save).
FLIP = """
import os, sys, time
path, versions = sys.argv[1], sys.argv[2:]
print("flipping", flush=True)
n = 0
while True:
    with open(path + ".tmp", "w", encoding="utf-8") as fh:
        fh.write(versions[n % 2])
    os.replace(path + ".tmp", path)
    n += 1
    time.sleep(0.002)
"""

# Builds the overrides given on each line of its input, in one process (the livereload loop).
BUILDS = """
import io, json, sys
from ambassade.build import main
for line in sys.stdin:
    err = io.StringIO()
    if main(sys.argv[1], overrides=json.loads(line), stream=err):
        print("failed:", err.getvalue().replace("\\n", " "), flush=True)
    else:
        print("built", flush=True)
"""


class Builds:
    """A process of its own that builds what it is asked to: each site's first build is a cold one."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", BUILDS, str(PREVIEW_CONF)],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def build(self, overrides: dict) -> None:
        self.process.stdin.write(json.dumps(overrides) + "\n")
        self.process.stdin.flush()
        for line in self.process.stdout:  # Pelican says what it did on the same output
            if line.startswith(("built", "failed:")):
                break
        assert line == "built\n"

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=60)


@pytest.fixture(scope="module")
def processes():
    """The livereload loop's process, and one standing for `make html` run after it (each
    trial's site and cache are its own: neither has converted its files before)."""
    loop, fresh = Builds(), Builds()
    yield loop, fresh
    loop.close()
    fresh.close()


# The search index is left out: it has no part in what is tested, and takes the most time.
NO_SEARCH = {"DISCOVERY": {"search": False}}


def _version(text: str, word: str) -> str:
    return text.replace("du *relief*", f"du *{word}*", 1)


def _shown(output, words) -> list[str]:
    html = (output / "articles" / "article-05" / "index.html").read_text(encoding="utf-8")
    return [w for w in words if f"<em>{w}</em>" in html]


@pytest.mark.parametrize("trial", range(12))
def test_a_source_saved_during_a_cold_build_shows_its_last_text_after_the_next_build(
    trial, processes, tmp_path
):
    loop, fresh = processes
    base = site.make(tmp_path / "site")
    source = base / "content" / "articles" / "article-05.md"
    words = ("avant", "après")
    versions = [_version(source.read_text(encoding="utf-8"), w) for w in words]
    cache = tmp_path / "cache"
    warm = site.overrides(base, tmp_path / "output", cache, NO_SEARCH, workers=2)
    flip = subprocess.Popen(
        [sys.executable, "-c", FLIP, str(source), *versions], stdout=subprocess.PIPE, text=True
    )
    try:
        assert flip.stdout.readline() == "flipping\n"
        time.sleep(0.01 * (trial % 4))  # the saves fall on other moments of the build
        loop.build(warm)
    finally:
        flip.kill()
        flip.wait()
    final = trial % 2
    source.write_text(versions[final], encoding="utf-8")
    loop.build(warm)
    assert _shown(tmp_path / "output", words) == [words[final]]
    fresh.build(site.overrides(base, tmp_path / "fresh", cache, NO_SEARCH, workers=2))
    assert _shown(tmp_path / "fresh", words) == [words[final]]


@pytest.mark.parametrize("damage", ["cut short", "garbled", "another pickle"])
def test_a_damaged_cache_file_is_dropped_and_made_again(damage, tmp_path):
    from plugins.speed import store

    base = site.make(tmp_path / "site")
    cache = tmp_path / "cache"
    first = Builds()
    try:
        first.build(site.overrides(base, tmp_path / "output", cache, NO_SEARCH, workers=2))
    finally:
        first.close()
    files = sorted((cache / "speed").glob("*.pickle"))
    assert {f.name.split("-")[0] for f in files} == {"markdown.pickle", "pages", "renders.pickle"}
    for path in files:
        data = path.read_bytes()
        if damage == "cut short":
            path.write_bytes(data[: len(data) // 2])
        elif damage == "garbled":  # still a pickle, with other words in it
            path.write_bytes(data.replace(b"relief", b"belief"))
        else:  # reads well, but is not what the plugin wrote
            path.write_bytes(pickle.dumps({"not": "a cache"}))
    clean = tmp_path / "clean"
    site.build(site.overrides(base, clean, tmp_path / "clean-cache", NO_SEARCH, enabled=False))
    again = Builds()
    try:
        again.build(site.overrides(base, tmp_path / "output", cache, NO_SEARCH, workers=2))
    finally:
        again.close()
    assert _differences(clean, tmp_path / "output") == []
    for path in files:  # made again, whole
        assert store.load(path) is not None, path.name
