"""The programs the browser tests drive, found on the machine or fetched once into .cache/.

- Chromium: Debian's package (``apt-get install chromium``), never a browser
  downloaded by Playwright; ``AMBASSADE_CHROMIUM`` names another executable.
- Java (``apt-get install default-jre-headless``) runs the Nu HTML Checker.
- axe-core and the Nu HTML Checker (vnu.jar) come from npm, at the versions
  pinned in ``npm/package-lock.json`` (checked against its integrity hashes),
  installed into ``.cache/browser-tests/`` by ``npm ci`` on first use and
  reused afterwards; deleting that folder is always safe. Their install
  scripts are not run: vnu-jar's would download a Java runtime.

Stdlib only: ``.ci/run`` runs ``python3 tests/browser/browser_tools.py`` to
fetch the npm tools before the virtual environment exists.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
NPM_SPEC = HERE / "npm"
CACHE = ROOT / ".cache" / "browser-tests"
SKIP_VARIABLE = "AMBASSADE_SKIP_BROWSER"
CHROMIUM = os.environ.get("AMBASSADE_CHROMIUM", "/usr/bin/chromium")


class Missing(Exception):
    """A program the tests need is not installed; the message says how to install it."""


def skipping_allowed() -> bool:
    return os.environ.get(SKIP_VARIABLE) == "1"


def need(what):
    """``what()``'s result; when a program is missing, the test fails saying what to install.

    With ``AMBASSADE_SKIP_BROWSER=1`` it is skipped instead, saying the same.
    """
    import pytest

    try:
        return what()
    except Missing as exc:
        missing = str(exc)
    if skipping_allowed():
        pytest.skip(f"{missing} ({SKIP_VARIABLE}=1 allows skipping)")
    pytest.fail(f"{missing}\n(or set {SKIP_VARIABLE}=1 to skip the browser tests)", pytrace=False)


def chromium() -> str:
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        raise Missing(f"Chromium not found at {CHROMIUM}: install it with `apt-get install chromium`")
    return CHROMIUM


def java() -> str:
    found = shutil.which("java")
    if not found:
        raise Missing("Java not found: install it with `apt-get install default-jre-headless`")
    return found


def _lock_digest() -> str:
    digest = hashlib.sha256()
    for name in ("package.json", "package-lock.json"):
        digest.update((NPM_SPEC / name).read_bytes())
    return digest.hexdigest()


def npm_tools() -> Path:
    """The ``node_modules`` folder holding the pinned axe-core and vnu-jar, installed if needed.

    Each version of the lock file gets its own folder, named after its digest,
    installed aside and renamed into place whole: runs at the same time never
    see half an install.
    """
    home = CACHE / _lock_digest()[:16]
    if home.is_dir():
        return home / "node_modules"
    npm = shutil.which("npm")
    if not npm:
        raise Missing(
            "npm not found (needed once, to fetch axe-core and vnu-jar into .cache/): "
            "install it with `apt-get install npm`"
        )
    staging = CACHE / f".installing-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    for name in ("package.json", "package-lock.json"):
        shutil.copyfile(NPM_SPEC / name, staging / name)
    result = subprocess.run(
        [npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=staging,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        raise Missing(
            f"`npm ci` could not fetch axe-core and vnu-jar into {CACHE}:\n"
            f"{result.stderr.strip() or result.stdout.strip()}"
        )
    try:
        staging.rename(home)
    except OSError:  # another run got there first: its copy is the same
        shutil.rmtree(staging, ignore_errors=True)
    for old in CACHE.iterdir():  # the tools of earlier lock files
        if old.is_dir() and old != home and not old.name.startswith("."):
            shutil.rmtree(old, ignore_errors=True)
    return home / "node_modules"


def axe_source() -> str:
    return (npm_tools() / "axe-core" / "axe.min.js").read_text(encoding="utf-8")


def vnu_jar() -> Path:
    return npm_tools() / "vnu-jar" / "build" / "dist" / "vnu.jar"


if __name__ == "__main__":
    try:
        print(f"axe-core and vnu-jar in {npm_tools()}")
    except Missing as exc:
        sys.exit(str(exc))
