"""Build a site all-or-nothing: check the sources, build elsewhere, then swap.

A contributor's mistake must never leave a half-written site behind, so the
build checks every rule first (the same ones ``invoke check`` runs), then lets
Pelican write into a fresh sibling folder, and only when Pelican reported no
error does that folder replace the output folder.
"""

from __future__ import annotations

import itertools
import logging
import os
import shutil
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from .diagnostics import ContentError, Finding, errors, format_text, summary

log = logging.getLogger(__name__)


class BuildFailed(Exception):
    """The build stopped; the message says why, the output folder is untouched."""


class _ErrorCollector(logging.Handler):
    """Keeps every error Pelican logs: a skipped file is a failed build, not a warning."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@dataclass
class BuildResult:
    output: Path
    findings: list[Finding] = field(default_factory=list)


def load_settings(settings_file: Path | str, overrides: dict | None = None) -> dict:
    from pelican.settings import read_settings

    return read_settings(str(settings_file), override=overrides or {})


def build(settings_file: Path | str, *, overrides: dict | None = None, output: Path | str | None = None) -> BuildResult:
    """Check, build into a temporary folder next to the output, then swap it in.

    Raises :class:`ContentError` when the sources break a rule and
    :class:`BuildFailed` when Pelican itself failed; in both cases the output
    folder is exactly as it was.
    """
    from pelican import Pelican
    from review import check

    overrides = dict(overrides or {})
    settings = load_settings(settings_file, overrides)
    target = Path(output or settings["OUTPUT_PATH"]).resolve()
    # With the speed plugin the rules run in a forked process beside the build, from
    # the moment the sources are converted (plugins/speed/check.py); either way
    # nothing is swapped in before they pass.
    pending = _start_check(check, settings)
    if pending is None:
        findings = check.run(settings)
        if errors(findings):
            raise ContentError(findings)

    staging = target.with_name(f".{target.name}.building-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    adopt_spare(target, staging)
    settings["OUTPUT_PATH"] = str(staging)
    if pending is not None:
        settings["_SPEED_PREVIOUS_OUTPUT"] = str(target)  # unchanged pages are linked from it
    rebuild = _quick_rebuild(settings, target)
    collector = _ErrorCollector()
    logging.getLogger().addHandler(collector)
    try:
        if rebuild is not None:
            rebuild()
        else:
            Pelican(settings).run()
    except ContentError:
        _abandon(staging)
        _raise_if_errors(pending)
        raise
    except Exception as exc:  # Pelican or a plugin crashed: report it, keep the output
        _abandon(staging)
        _raise_if_errors(pending)
        raise BuildFailed(f"the build stopped: {type(exc).__name__}: {exc}") from exc
    finally:
        logging.getLogger().removeHandler(collector)
    if pending is not None:
        try:
            findings = _raise_if_errors(pending)
        except ContentError:
            _abandon(staging)
            raise
    if collector.records:
        _abandon(staging)
        raise BuildFailed("\n".join(r.getMessage() for r in collector.records))
    _prune_empty_folders(staging)
    _swap(staging, target)
    _keep_for_next()
    return BuildResult(target, findings)


def _quick():
    """The speed plugin's quick rebuilds (plugins/speed/quick.py), or None without the plugin."""
    try:
        from speed import quick
    except ImportError:
        return None
    return quick


def _quick_rebuild(settings: dict, target: Path):
    """The rebuild to run instead of Pelican's when only article text changed since
    the last build in this process; None otherwise."""
    quick = _quick()
    found = quick.plan(settings, str(target)) if quick is not None else None
    return None if found is None else (lambda: quick.run(found))


def _keep_for_next() -> None:
    """The build succeeded: the next one may start from what it read."""
    quick = _quick()
    if quick is not None:
        quick.commit()


def _abandon(staging: Path) -> None:
    """The build failed: remove what it wrote, and let the next build start afresh."""
    quick = _quick()
    if quick is not None:
        quick.forget()
    shutil.rmtree(staging, ignore_errors=True)


def _start_check(check, settings: dict):
    """The rules running beside the build when the speed plugin is on; None otherwise."""
    try:
        import speed
    except ImportError:
        return None
    if not speed.enabled(settings):
        return None
    from speed.check import start

    return start(check.run, settings, site=check.check_site, again=check.check_again)


def _raise_if_errors(pending) -> list[Finding]:
    """The findings of a check running beside the build; ContentError when one is an error."""
    if pending is None:
        return []
    try:
        findings = pending.result()
    except RuntimeError as exc:
        raise BuildFailed(str(exc)) from exc
    if errors(findings):
        raise ContentError(findings)
    return findings


_swaps = itertools.count()


def _swap(staging: Path, target: Path) -> None:
    """Replace ``target`` with ``staging``: two renames, the old tree emptied last.

    The old tree is emptied in the background, so that a livereload rebuild is
    served without waiting for it. Its folders are kept as the next build's
    staging folder (see :func:`adopt_spare`).
    """
    previous = target.with_name(f".{target.name}.previous-{os.getpid()}-{next(_swaps)}")
    if target.exists():
        os.rename(target, previous)
    os.rename(staging, target)
    if previous.exists():
        _in_background(_make_spare, previous, _spare(target))
    elif not _spare(target).exists():
        _in_background(_make_skeleton, target, _spare(target))


def _in_background(work, *args) -> None:
    """Run ``work(*args)`` in a forked process (a thread would hold the interpreter lock
    the next build needs), waited for by a thread, so that this process waits for it
    before exiting; in a thread where there is no fork."""
    if not hasattr(os, "fork"):
        thread = threading.Thread(target=work, args=args, name="empty-previous-output")
        thread.start()
        _background.append(thread)
        return
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        try:
            work(*args)
        finally:
            os._exit(0)
    waiter = threading.Thread(target=os.waitpid, args=(pid, 0), name="empty-previous-output")
    waiter.start()
    _background.append(waiter)


_background: list[threading.Thread] = []


def settle() -> None:
    """Wait for the work the last builds left running in the background (emptying replaced output)."""
    while _background:
        _background.pop().join()


def adopt_spare(target: Path, staging: Path) -> None:
    """Start ``staging`` from the last build's emptied folders, when they are ready.

    Only folders: every file is written anew. A build takes them as it starts
    (``staging`` does not exist yet: one rename; of two builds at once, one gets
    them), or, when they were not ready then (a livereload rebuild right after
    the last one), just before it writes its pages: each folder is moved whole
    where ``staging`` lacks it, so a tree of pages' folders costs one rename.
    """
    spare = _spare(target)
    if not staging.exists():
        try:
            os.rename(spare, staging)
        except OSError:
            pass
        return
    claimed = spare.with_name(f"{spare.name}-claimed-{os.getpid()}")
    try:
        os.rename(spare, claimed)
    except OSError:
        return
    _move_missing(claimed, staging)
    _in_background(shutil.rmtree, claimed, True)


def _move_missing(source: Path, dest: Path) -> None:
    for entry in os.scandir(source):
        if not entry.is_dir(follow_symlinks=False):
            continue
        target = dest / entry.name
        if not target.exists():
            os.rename(entry.path, target)
        elif target.is_dir():
            _move_missing(Path(entry.path), target)


def _spare(target: Path) -> Path:
    return target.with_name(f".{target.name}.spare")


def _make_spare(previous: Path, spare: Path) -> None:
    """Empty ``previous`` of its files, keep its folders, and leave it as ``spare``.

    Making thousands of folders (a page is a folder) takes longer than the rest
    of writing an unchanged page, and longer still on a file system that has
    seen many: the next build starts from these folders instead.
    """
    try:
        for folder, _dirs, files in os.walk(previous):
            for name in files:
                os.unlink(os.path.join(folder, name))
        shutil.rmtree(spare, ignore_errors=True)
        os.rename(previous, spare)
    except OSError:
        shutil.rmtree(previous, ignore_errors=True)


def _make_skeleton(target: Path, spare: Path) -> None:
    """After a first build (nothing replaced): the folders of ``target``, empty, as ``spare``."""
    making = spare.with_name(f"{spare.name}-{os.getpid()}")
    try:
        # Parents first, one mkdir each: if the output's folder goes away meanwhile (a
        # temporary build), this stops rather than making the folders on the way again.
        for folder, _dirs, _files in os.walk(target):
            os.mkdir(making / os.path.relpath(folder, target))
        os.rename(making, spare)
    except OSError:
        shutil.rmtree(making, ignore_errors=True)


def _prune_empty_folders(root: Path) -> None:
    """Remove the folders left empty (kept from an earlier build for a page that is gone)."""
    for folder, dirs, files in os.walk(root, topdown=False):
        if not files and folder != str(root):
            try:
                os.rmdir(folder)
            except OSError:  # not empty: a subfolder has files
                pass


def main(settings_file: str, *, overrides: dict | None = None, stream: TextIO = sys.stderr) -> int:
    """Command-line entry: print findings or the failure, never a traceback; return the exit status."""
    from pelican.log import init as init_logging

    init_logging(level=logging.WARNING)
    try:
        result = build(settings_file, overrides=overrides)
    except ContentError as exc:
        print(format_text(exc.findings), file=stream)
        print(f"\nbuild stopped: {summary(exc.findings)}; the output folder was left as it was.", file=stream)
        return 1
    except BuildFailed as exc:
        print(f"{exc}\n\nbuild stopped; the output folder was left as it was.", file=stream)
        return 1
    if result.findings:
        print(format_text(result.findings), file=stream)
    return 0
