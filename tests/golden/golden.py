"""The golden output: a small site built with the project's settings, kept in git.

``site/`` holds the sources (experts with and without consent, articles in French
and English with a translation, a draft, an article scheduled far in the future,
a page, one social snapshot, an article and a profile that moved); ``output/`` is
what ``pelicanconf.py`` makes of them, with only the paths and the leaderboard's
date pinned, and ``output-host/`` the web server's files written beside it.
test_golden.py builds it again and compares every file; ``invoke golden --update``
rewrites both after a change that is meant, to be reviewed in the diff.
"""

from __future__ import annotations

import io
import re
import shutil
import sys
import tempfile
from pathlib import Path

from ambassade.output import host_folder
from tests.sitediff import differences, unified_diffs
from tests.support import PREVIEW_CONF

HERE = Path(__file__).resolve().parent
SITE = HERE / "site"
OUTPUT = HERE / "output"
HOST = host_folder(OUTPUT)
# The date the leaderboard and dashboard count up to: anything built from "today" stays put.
TODAY = "2026-11-30"
# Pagefind's own scripts, styles and WebAssembly, copied as they are from the pinned wheel:
# not ours to watch, and most of the output's weight. Its index of our pages is kept.
PAGEFIND_RUNTIME = re.compile(r"^pagefind/(pagefind[^/]*\.(js|css)|wasm\.[^/]*\.pagefind)$")


def build(output: Path, cache: Path) -> None:
    """Build ``site/`` into ``output`` with the preview settings (paths and date pinned), less Pagefind's runtime."""
    from ambassade.build import main

    overrides = {
        "PATH": str(SITE / "content"),
        "OUTPUT_PATH": str(output),
        "CACHE_PATH": str(cache),
        "SITE": {"experts_path": str(SITE / "experts"), "social_path": str(SITE / "data" / "social")},
        # The clicks file of the golden site, which has none: not the one `invoke stats` may have left here.
        # From the settings file's folder, as a site gives it: the dashboard names it, the same in any clone.
        "ADVOCACY": {
            "today": TODAY,
            "stats_file": (SITE / "data" / "stats.json").relative_to(PREVIEW_CONF.parent).as_posix(),
        },
        # Link-preview cards are 50 kB pictures each, and tested on their own (tests/images): the
        # golden output keeps the pages that name them small and readable without them.
        "IMAGES": {"cards": False},
    }
    err = io.StringIO()
    if main(str(PREVIEW_CONF), overrides=overrides, stream=err):
        raise RuntimeError(f"the golden site did not build:\n{err.getvalue()}")
    for path in list(output.rglob("*")):
        if PAGEFIND_RUNTIME.match(path.relative_to(output).as_posix()):
            path.unlink()


def compare(built: Path) -> str:
    """Every difference between ``built`` (and its host files) and the golden output, with a diff of the
    first files; '' if none."""
    pairs = [(OUTPUT, built), (HOST, host_folder(built))]
    found = [(golden, new, problems) for golden, new in pairs if (problems := differences(golden, new))]
    if not found:
        return ""
    return "\n".join(
        [
            *(p for _golden, _new, problems in found for p in problems),
            "",
            *(unified_diffs(golden, new, problems) for golden, new, problems in found),
            "",
            "If the change is meant: `.venv/bin/invoke golden --update`, then review tests/golden/output/ in the diff.",
        ]
    )


def main(update: bool = False) -> int:
    """Build the golden site; with ``update``, replace output/ with it, else say what differs."""
    with tempfile.TemporaryDirectory() as scratch:
        built = Path(scratch) / "output"
        build(built, Path(scratch) / "cache")
        if update:
            for golden, new in ((OUTPUT, built), (HOST, host_folder(built))):
                shutil.rmtree(golden, ignore_errors=True)
                shutil.copytree(new, golden)
            print(f"{OUTPUT.relative_to(Path.cwd())}/ rewritten: review it with `git diff --stat`.")
            return 0
        report = compare(built)
    print(report or "The golden output is up to date.", file=sys.stderr if report else sys.stdout)
    return 1 if report else 0
