"""``invoke edit``: the editor on a contributor's machine, saving into the working tree.

It starts the CMS's local backend (decap-server, in its file-system mode, on
127.0.0.1 only) and the live preview with the editor at ``/admin/``: what the
person saves in the editor is written into ``experts/`` and ``content/``, the
preview builds it again, and ``git`` sees the files a git user would have
written. The pull request is theirs to open, or the forge's editor opens it.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from ambassade.editor.install import NotInstalled, install
from ambassade.i18n import _

BACKEND_PORT = 8081


def backend_url(port: int) -> str:
    return f"http://127.0.0.1:{port}/api/v1"


@contextmanager
def local_backend(root: Path, port: int = BACKEND_PORT) -> Iterator[subprocess.Popen]:
    """decap-server writing into ``root``, listening on 127.0.0.1:``port`` while the block runs."""
    modules = install()
    node = shutil.which("node")
    if not node:
        raise NotInstalled(
            _("Node.js not found (it runs the editor's local backend): apt-get install nodejs")
        )
    env = {
        **os.environ,
        "PORT": str(port),
        "BIND_HOST": "127.0.0.1",  # never the network: it writes into the working tree
        "MODE": "fs",
        "GIT_REPO_DIRECTORY": str(root),
        "LOG_LEVEL": os.environ.get("AMBASSADE_EDITOR_LOG", "warn"),
    }
    # Its folder as the working directory: decap-server reads a .env file from there, not the project's.
    process = subprocess.Popen(
        [node, str(modules / "decap-server" / "dist" / "index.js")], cwd=modules.parent, env=env
    )
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()


def overrides(port: int) -> dict:
    """The settings of a build with the editor saving through the local backend on ``port``."""
    return {"EDITOR": {"enabled": True, "local_backend": backend_url(port)}}


def main(
    settings_file: Path,
    output: Path,
    watched: Iterable[Path],
    *,
    root: Path,
    host: str,
    port: int,
    backend_port: int = BACKEND_PORT,
    lang: str | None = None,
) -> int:
    """Run the local backend and the live preview with the editor, until Ctrl-C."""
    from . import main as live_main

    # Stopped by a signal rather than Ctrl-C, it still stops its backend (the `finally` below).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        with local_backend(root, backend_port):
            return live_main(
                settings_file,
                output,
                watched,
                host=host,
                port=port,
                lang=lang,
                overrides=overrides(backend_port),
                opened="admin/",
            )
    except NotInstalled as exc:
        print(str(exc), file=sys.stderr)
        return 1
