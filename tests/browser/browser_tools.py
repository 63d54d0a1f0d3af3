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

import importlib.util
import os
import shutil
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


def _npm_installer():
    """``ambassade/editor/install.py``, loaded from its file: this script runs before the package
    is installed (stdlib only, like that module)."""
    spec = importlib.util.spec_from_file_location(
        "ambassade_npm_install", ROOT / "ambassade/editor/install.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def npm_tools() -> Path:
    """The ``node_modules`` folder holding the pinned axe-core and vnu-jar, installed if needed.

    Each version of the lock file gets its own folder, named after its digest,
    installed aside and renamed into place whole: runs at the same time never
    see half an install (the editor's installer, which does the same for the CMS).
    """
    npm = _npm_installer()
    try:
        return npm.install(NPM_SPEC, CACHE, what="axe-core and vnu-jar")
    except npm.NotInstalled as exc:
        raise Missing(str(exc)) from None


def axe_source() -> str:
    return (npm_tools() / "axe-core" / "axe.min.js").read_text(encoding="utf-8")


def vnu_jar() -> Path:
    return npm_tools() / "vnu-jar" / "build" / "dist" / "vnu.jar"


if __name__ == "__main__":
    try:
        print(f"axe-core and vnu-jar in {npm_tools()}")
    except Missing as exc:
        sys.exit(str(exc))
