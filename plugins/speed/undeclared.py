"""``SPEED_CHECK_INPUTS=1``: a warning for every file a build reads that no plugin declared.

Quick rebuilds look only at the inputs plugins declare (ambassade.inputs): a
file read but not declared goes unseen when it changes. To find such reads,
the main process's opens and folder listings are watched through Python's
audit hook (events ``open``, ``os.listdir``, ``os.scandir``) while a full build
reads the site; at its end, each path that no declaration covers is logged.
Off by default: an audit hook is called for every audited event of the
process (``id()`` included) and cannot be removed, so it is added the first
time a build asks and stays idle when none watches.
"""

from __future__ import annotations

import logging
import os
import sys

from ambassade.inputs import Input, covers

log = logging.getLogger(__name__)

ENVIRONMENT = "SPEED_CHECK_INPUTS"
# The system's and Python's own files: read by libraries, never the site's inputs.
_SYSTEM = ("/dev/", "/proc/", "/sys/", "/etc/", "/usr/")

_seen: list | None = None
_pid = 0
_hooked = False


def wanted() -> bool:
    return bool(os.environ.get(ENVIRONMENT))


def _hook(event: str, args: tuple) -> None:
    seen = _seen
    if seen is None or event not in ("open", "os.listdir", "os.scandir") or os.getpid() != _pid:
        return
    path = args[0] if args else None
    if event == "open":
        mode, flags = args[1], args[2]
        if (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
            mode is None and isinstance(flags, int) and flags & (os.O_WRONLY | os.O_RDWR)
        ):
            return
    if isinstance(path, (str, bytes, os.PathLike)):
        seen.append((event, path))


def watch() -> None:
    """Note what this process reads from now on."""
    global _seen, _pid, _hooked
    if not _hooked:
        sys.addaudithook(_hook)
        _hooked = True
    _seen, _pid = [], os.getpid()


def stop() -> None:
    global _seen
    _seen = None


def report(declarations: list[Input], skip: tuple[str, ...]) -> list[str]:
    """Stop watching; log and return the paths read that no declaration covers (nor ``skip``)."""
    global _seen
    seen, _seen = _seen or [], None
    python = tuple(os.path.join(p, "") for p in {sys.prefix, sys.base_prefix, sys.exec_prefix})
    # Folders Python's import system lists to find modules and distributions.
    imports = {os.path.abspath(p or ".") for p in sys.path}
    found = set()
    for event, raw in seen:
        path = os.path.abspath(os.fsdecode(raw))
        prefix = os.path.join(path, "")
        if (
            prefix.startswith((*skip, *python, *_SYSTEM))
            # The output's parents are listed to find the folders being built: not inputs.
            or (event != "open" and (path in imports or any(p.startswith(prefix) for p in skip)))
            or not os.path.exists(path)  # gone already: a temporary file
            or any(covers(item, path) for item in declarations)
        ):
            continue
        found.add(path)
    for path in sorted(found):
        log.warning(
            "speed: %s was read by the build but declared by no plugin (ambassade.inputs): "
            "a quick rebuild would not see it change",
            path,
        )
    return sorted(found)
