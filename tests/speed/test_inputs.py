"""Declared inputs (ambassade.inputs): what the quick rebuild looks at, and what keeps it honest.

* A plugin that declares what it reads has its files looked at: an edit to one
  is a full rebuild, an edit to an article's text alone is a quick one.
* A plugin that declares nothing turns quick rebuilds off: every rebuild reads
  the whole site again, as nothing tells what that plugin depends on.
* With ``SPEED_CHECK_INPUTS=1``, every file the build reads and no plugin
  declared is named in a warning: building the small site with every plugin
  of the project and every setting of the matrix names none, and a plugin
  reading a file it did not declare is named.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from pelican.settings import get_settings_from_file

from tests.speed import site
from tests.support import PREVIEW_CONF, ROOT

PLUGINS = [*get_settings_from_file(str(PREVIEW_CONF))["PLUGINS"], "tests.speed.a_plugin"]


def _quick(overrides) -> dict:
    from plugins.speed import quick

    site.build(overrides)
    return quick.stats()


def _sequence(tmp_path, declare: bool) -> list[dict]:
    base = site.make(tmp_path / "site")
    extra = base / "data" / "extra.txt"
    extra.write_text("un\n", encoding="utf-8")
    settings = {"PLUGINS": PLUGINS, "A_PLUGIN": {"file": str(extra), "declare": declare}}
    overrides = site.overrides(base, tmp_path / "output", tmp_path / "cache", settings, workers=2)
    article = base / "content" / "articles" / "article-03.md"
    stats = [_quick(overrides)]
    article.write_text(article.read_text(encoding="utf-8") + "\nUne phrase de plus.\n", encoding="utf-8")
    stats.append(_quick(overrides))
    extra.write_text("deux\n", encoding="utf-8")
    stats.append(_quick(overrides))
    return stats


def test_a_plugin_that_declares_what_it_reads_keeps_quick_rebuilds(tmp_path):
    # built, text edited (quick), the plugin's file edited (full)
    assert _sequence(tmp_path, declare=True) == [{}, {"quick": 1, "changed": 1}, {}]


def test_a_plugin_that_declares_nothing_turns_quick_rebuilds_off(tmp_path):
    assert _sequence(tmp_path, declare=False) == [{}, {}, {}]


CHECK = """
import io, json, sys
from pelican import signals
from ambassade.build import main
overrides, conf, extra = json.loads(sys.argv[1]), sys.argv[2], sys.argv[3]
assert main(conf, overrides=overrides, stream=sys.stdout) == 0
print("-- a plugin reading a file it did not declare --", flush=True)
def read(generator):
    open(extra, encoding="utf-8").read()
signals.article_generator_finalized.connect(read)
overrides["OUTPUT_PATH"] += "-2"
assert main(conf, overrides=overrides, stream=sys.stdout) == 0
"""


def test_every_file_the_build_reads_is_declared(tmp_path):
    base = site.make(tmp_path / "site")
    extra = base / "notes.txt"
    extra.write_text("Pas une entrée.\n", encoding="utf-8")
    settings = {**site.TAXONOMIES, **site.PAGINATION, **site.FEEDS, "REVIEW": {"report": True}}
    overrides = site.overrides(base, tmp_path / "output", tmp_path / "cache", settings, workers=2)
    done = subprocess.run(
        [sys.executable, "-c", CHECK, json.dumps(overrides), str(PREVIEW_CONF), str(extra)],
        cwd=ROOT,
        env={**os.environ, "SPEED_CHECK_INPUTS": "1", "COLUMNS": "400"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,  # Pelican's log goes to either, as its console decides
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:]
    first, second = done.stdout.split("-- a plugin reading a file it did not declare --")
    assert "declared by no plugin" not in first, first
    assert f"{extra} was read by the build but declared by no plugin" in second, second
