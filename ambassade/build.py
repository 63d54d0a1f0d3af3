"""Build a site all-or-nothing: check the sources, build elsewhere, then swap.

A contributor's mistake must never leave a half-written site behind, so the
build checks every rule first (the same ones ``invoke check`` runs), then lets
Pelican write into a fresh sibling folder, and only when Pelican reported no
error does that folder replace the output folder.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from . import fastpath, inputs
from . import output as output_folder
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
    """The settings of a build: read, every section checked (:class:`SettingsError` otherwise)."""
    from .configure import load

    return load(settings_file, overrides)


def build(
    settings_file: Path | str, *, overrides: dict | None = None, output: Path | str | None = None
) -> BuildResult:
    """Check, build into a temporary folder next to the output, then swap it in.

    Raises :class:`ContentError` when the sources break a rule and
    :class:`BuildFailed` when Pelican itself failed; in both cases the output
    folder is exactly as it was.
    """
    from pelican import Pelican

    from .rules import check

    overrides = dict(overrides or {})
    settings = load_settings(settings_file, overrides)
    # What the build reads (ambassade.inputs): the settings file first, plugins declare the rest.
    inputs.declare(settings, settings_file, "file", by=__name__)
    target = Path(output or settings["OUTPUT_PATH"]).resolve()
    fast = fastpath.find(settings)
    # A fast path may run the rules beside the build rather than before it; either
    # way nothing is swapped in before they pass.
    pending = fast.start_check(settings, check.run, check.check_site, check.check_again) if fast else None
    if pending is None:
        findings = check.run(settings)
        if errors(findings):
            raise ContentError(findings)

    staging = target.with_name(f".{target.name}.building-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    output_folder.adopt_spare(target, staging)
    settings["OUTPUT_PATH"] = str(staging)
    settings[fastpath.PREVIOUS_OUTPUT] = str(target)
    rebuild = fast.quick_rebuild(settings, target) if fast else None
    collector = _ErrorCollector()
    logging.getLogger().addHandler(collector)
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
        raise BuildFailed(f"the build stopped: {type(exc).__name__}: {exc}") from exc
    finally:
        logging.getLogger().removeHandler(collector)
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
    if fast is not None:
        fast.succeeded()
    return BuildResult(target, findings)


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
