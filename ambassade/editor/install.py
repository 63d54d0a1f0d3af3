"""The editor's programs, fetched once from the npm registry into ``.cache/editor/``.

Decap CMS (the editor served at ``/admin/``), js-yaml (which reads profiles in
the browser) and decap-server (the local backend of ``invoke edit``) come at
the versions pinned in ``npm/package-lock.json``, checked against its
integrity hashes by ``npm ci``, without their install scripts. Each version of
the lock file gets its own folder, named after its digest, installed aside and
renamed into place whole: two runs at the same time never see half an install,
and deleting ``.cache/editor/`` is always safe.

Nothing here is served from another origin: the build copies the CMS's files
into the preview's ``/admin/``. The build itself never runs npm (it never uses
the network): ``invoke edit``, ``invoke build --internal`` and ``.ci/run``
install first (``python3 ambassade/editor/install.py``).

Stdlib only, and importable without the package: ``.ci/run`` runs this file
before the virtual environment exists (its messages are then in English).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

try:
    from ambassade.i18n import _
except ImportError:  # run as a script, before the virtual environment exists

    def _(message: str, /, **values: str) -> str:
        return message % values if values else message


NPM_SPEC = Path(__file__).resolve().parent / "npm"
ROOT = Path(__file__).resolve().parents[2]
CACHE = Path(os.environ.get("AMBASSADE_EDITOR_CACHE") or ROOT / ".cache" / "editor")


class NotInstalled(Exception):
    """The editor's programs are missing and could not be fetched; the message says what to do."""


def _lock_digest(spec: Path) -> str:
    digest = hashlib.sha256()
    for name in ("package.json", "package-lock.json"):
        digest.update((spec / name).read_bytes())
    return digest.hexdigest()[:16]


def installed(spec: Path = NPM_SPEC, cache: Path = CACHE) -> Path | None:
    """The ``node_modules`` folder of the versions ``spec`` pins, or None when they are not installed."""
    home = cache / _lock_digest(spec) / "node_modules"
    return home if home.is_dir() else None


def install(spec: Path = NPM_SPEC, cache: Path = CACHE, what: str = "") -> Path:
    """The ``node_modules`` folder of the versions ``spec`` (a folder with ``package.json`` and
    ``package-lock.json``) pins, installed into ``cache`` with ``npm ci`` if needed.

    The browser tests fetch their own tools (axe-core, vnu-jar) through it too.
    """
    found = installed(spec, cache)
    if found:
        return found
    what = what or _("the editor")
    npm = shutil.which("npm")
    if not npm:
        raise NotInstalled(
            _("npm not found (needed once, to fetch %(what)s into .cache/): apt-get install npm", what=what)
        )
    home = cache / _lock_digest(spec)
    staging = cache / f".installing-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    for name in ("package.json", "package-lock.json"):
        shutil.copyfile(spec / name, staging / name)
    result = subprocess.run(
        [npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=staging,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        said = (result.stderr or result.stdout).strip()
        raise NotInstalled(
            _(
                "`npm ci` could not fetch %(what)s into %(cache)s:\n%(said)s",
                what=what,
                cache=str(cache),
                said=said,
            )
        )
    try:
        staging.rename(home)
    except OSError:  # another run got there first: its copy is the same
        shutil.rmtree(staging, ignore_errors=True)
    for old in cache.iterdir():  # the programs of earlier lock files
        if old.is_dir() and old != home and not old.name.startswith("."):
            shutil.rmtree(old, ignore_errors=True)
    return home / "node_modules"


if __name__ == "__main__":
    try:
        print(_("Decap CMS, js-yaml and decap-server are in %(folder)s", folder=str(install())))
    except NotInstalled as exc:
        sys.exit(str(exc))
