"""Build a site all-or-nothing: check the sources, build elsewhere, then swap.

A contributor's mistake must never leave a half-written site behind, so the
build checks every rule first (the same ones ``invoke check`` runs), then lets
Pelican write into a fresh sibling folder, and only when Pelican reported no
error does that folder replace the output folder.
"""

from __future__ import annotations

import logging
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from . import fastpath
from . import output as output_folder
from .diagnostics import ContentError, Finding, display_path, errors, format_text, summary
from .i18n import _

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
    """The settings of a build: read, every section checked (:class:`SettingsError` otherwise)."""
    from .configure import load

    return load(settings_file, overrides)


def build(
    settings_file: Path | str,
    *,
    overrides: dict | None = None,
    output: Path | str | None = None,
    waiting: Callable[[], None] | None = None,
) -> BuildResult:
    """Check, build into a temporary folder next to the output, then swap it in.

    Raises :class:`ContentError` when the sources break a rule (or the output
    folder cannot be written) and :class:`BuildFailed` when Pelican itself
    failed; in both cases the output folder is exactly as it was. Two builds
    of one output wait for each other: ``waiting()`` is called when this one must.
    """
    from .rules import check

    overrides = dict(overrides or {})
    settings = load_settings(settings_file, overrides)
    target = Path(output or settings["OUTPUT_PATH"]).resolve()
    fast = fastpath.find(settings)
    # A fast path may run the rules beside the build rather than before it; either
    # way nothing is swapped in before they pass.
    pending = fast.start_check(settings, check.run, check.check_site, check.check_again) if fast else None
    findings: list[Finding] = []
    if pending is None:
        findings = check.run(settings)
        if errors(findings):
            raise ContentError(findings)

    try:
        with output_folder.building(target, waiting=waiting) as staging:
            findings = _build_into(settings, target, staging, fast, pending) or findings
    except OSError as exc:  # the output folder cannot be made, written or replaced
        if fast is not None:
            fast.failed()
        raise ContentError([_filesystem_finding(exc, target)]) from None
    if fast is not None:
        fast.succeeded()
    return BuildResult(target, findings)


def _build_into(settings: dict, target: Path, staging: Path, fast, pending) -> list[Finding]:
    """Pelican into ``staging``, then ``staging`` in place of ``target``; the findings of a check
    that ran beside the build."""
    from pelican import Pelican

    findings: list[Finding] = []
    output_folder.adopt_spare(target, staging)
    settings["OUTPUT_PATH"] = str(staging)
    settings[fastpath.PREVIOUS_OUTPUT] = str(target)
    rebuild = fast.quick_rebuild(settings, target) if fast else None
    collector = _ErrorCollector()
    root = logging.getLogger()
    root.addHandler(collector)
    # Errors are collected and said once, as findings or as the failure: not also as Pelican logs them.
    quiet = _BelowErrors()
    shown = [h for h in root.handlers if h is not collector]
    for handler in shown:
        handler.addFilter(quiet)
    try:
        if rebuild is not None:
            rebuild()
        else:
            Pelican(settings).run()
    except ContentError:
        _abandon(fast, staging)
        _raise_if_errors(pending)
        raise
    except Exception as exc:  # Pelican or a plugin crashed: report it, keep the output
        _abandon(fast, staging)
        _raise_if_errors(pending)
        if isinstance(exc, OSError):
            raise
        raise BuildFailed(_("the build stopped: %(error)s", error=f"{type(exc).__name__}: {exc}")) from exc
    finally:
        root.removeHandler(collector)
        for handler in shown:
            handler.removeFilter(quiet)
    if pending is not None:
        try:
            findings = _raise_if_errors(pending)
        except ContentError:
            _abandon(fast, staging)
            raise
    if collector.records:
        _abandon(fast, staging)
        raise BuildFailed("\n".join(r.getMessage() for r in collector.records))
    output_folder.prune_empty_folders(staging)
    output_folder.swap(staging, target)
    return findings


class _BelowErrors(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno < logging.ERROR


def _filesystem_finding(exc: OSError, target: Path) -> Finding:
    where = exc.filename or target
    return Finding(
        display_path(where),
        1,
        1,
        "build-output",
        _(
            "the output folder cannot be written or replaced: %(reason)s",
            reason=exc.strerror or type(exc).__name__,
        ),
        _("a folder this user may create, write and rename, or a mount point it may write into"),
    )


def _abandon(fast: fastpath.FastPath | None, staging: Path) -> None:
    """The build failed: remove what it wrote, and let the next build start afresh."""
    if fast is not None:
        fast.failed()
    shutil.rmtree(staging, ignore_errors=True)


def _raise_if_errors(pending: fastpath.PendingCheck | None) -> list[Finding]:
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


settle = output_folder.settle


def main(settings_file: str, *, overrides: dict | None = None, stream: TextIO = sys.stderr) -> int:
    """Command-line entry: print findings or the failure, never a traceback; return the exit status."""
    from pelican.log import init as init_logging

    init_logging(level=logging.WARNING)

    def waiting() -> None:
        print(_("another build of this output folder is running: waiting for it to end…"), file=stream)

    try:
        result = build(settings_file, overrides=overrides, waiting=waiting)
    except ContentError as exc:
        print(format_text(exc.findings), file=stream)
        print(f"\nbuild stopped: {summary(exc.findings)}; the output folder was left as it was.", file=stream)
        return 1
    except BuildFailed as exc:
        print(f"{exc}\n\nbuild stopped; the output folder was left as it was.", file=stream)
        return 1
    except Exception as exc:  # noqa: BLE001 - a person gets what stopped, not how Python got there
        print(_("the build stopped: %(error)s", error=f"{type(exc).__name__}: {exc}"), file=stream)
        print("\nbuild stopped; the output folder was left as it was.", file=stream)
        return 1
    if result.findings:
        print(format_text(result.findings), file=stream)
    return 0
