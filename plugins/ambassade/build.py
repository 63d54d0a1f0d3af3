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
    # With the speed plugin the rules run in a forked process beside the build
    # (plugins/speed/check.py); either way nothing is swapped in before they pass.
    pending = _start_check(check.run, settings)
    if pending is None:
        findings = check.run(settings)
        if errors(findings):
            raise ContentError(findings)

    staging = target.with_name(f".{target.name}.building-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    settings["OUTPUT_PATH"] = str(staging)
    if pending is not None:
        settings["_SPEED_PREVIOUS_OUTPUT"] = str(target)  # unchanged pages are linked from it
    collector = _ErrorCollector()
    logging.getLogger().addHandler(collector)
    try:
        Pelican(settings).run()
    except ContentError:
        shutil.rmtree(staging, ignore_errors=True)
        _raise_if_errors(pending)
        raise
    except Exception as exc:  # Pelican or a plugin crashed: report it, keep the output
        shutil.rmtree(staging, ignore_errors=True)
        _raise_if_errors(pending)
        raise BuildFailed(f"the build stopped: {type(exc).__name__}: {exc}") from exc
    finally:
        logging.getLogger().removeHandler(collector)
    if pending is not None:
        try:
            findings = _raise_if_errors(pending)
        except ContentError:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    if collector.records:
        shutil.rmtree(staging, ignore_errors=True)
        raise BuildFailed("\n".join(r.getMessage() for r in collector.records))
    _swap(staging, target)
    return BuildResult(target, findings)


def _start_check(run, settings: dict):
    """The rules running beside the build when the speed plugin is on; None otherwise."""
    try:
        import speed
    except ImportError:
        return None
    if not speed.enabled(settings):
        return None
    from speed.check import start

    return start(run, settings)


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
    """Replace ``target`` with ``staging``: two renames, the old tree removed last.

    The old tree is removed by a thread (not a daemon: the process waits for it
    before exiting), so that a livereload rebuild is served without waiting for it.
    """
    previous = target.with_name(f".{target.name}.previous-{os.getpid()}-{next(_swaps)}")
    if target.exists():
        os.rename(target, previous)
    os.rename(staging, target)
    threading.Thread(target=shutil.rmtree, args=(previous,), kwargs={"ignore_errors": True},
                     name="remove-previous-output").start()


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
