"""Build a site all-or-nothing: check the sources, build elsewhere, then swap.

A contributor's mistake must never leave a half-written site behind, so the
build checks every rule first (the same ones ``invoke check`` runs), then lets
Pelican write into a fresh sibling folder, and only when Pelican reported no
error does that folder replace the output folder.
"""

from __future__ import annotations

import glob
import logging
import os
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from . import fastpath
from . import output as output_folder
from .diagnostics import ContentError, Finding, errors, format_text, summary

log = logging.getLogger(__name__)

KEEP_GOING = "AMBASSADE_KEEP_GOING"
"""Set in the settings of a build that goes on despite errors (a preview for review): a file with an
error is left out, a plugin logs what it cannot use rather than stopping."""


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
    failures: list[str] = field(default_factory=list)
    """What Pelican or a plugin logged as an error in a build that went on (``keep_going``)."""

    @property
    def failed(self) -> bool:
        return bool(errors(self.findings) or self.failures)


def load_settings(settings_file: Path | str, overrides: dict | None = None) -> dict:
    """The settings of a build: read, every section checked (:class:`SettingsError` otherwise)."""
    from .configure import load

    return load(settings_file, overrides)


def build(
    settings_file: Path | str,
    *,
    overrides: dict | None = None,
    output: Path | str | None = None,
    keep_going: bool = False,
    base: str | None = None,
) -> BuildResult:
    """Check, build into a temporary folder next to the output, then swap it in.

    Raises :class:`ContentError` when the sources break a rule and
    :class:`BuildFailed` when Pelican itself failed; in both cases the output
    folder is exactly as it was. With ``keep_going`` (the preview comms
    reviews), a file with an error is left out and the rest is built and
    swapped in: the result carries the errors, and the caller fails. With
    ``base`` (a branch), published addresses the branch takes away without a
    redirect are findings too, as ``invoke check --base`` reports them.
    """
    from pelican import Pelican

    from .rules import check

    overrides = dict(overrides or {})
    settings = load_settings(settings_file, overrides)
    target = Path(output or settings["OUTPUT_PATH"]).resolve()
    fast = fastpath.find(settings)
    # A fast path may run the rules beside the build rather than before it; either
    # way nothing is swapped in before they pass.
    pending = None
    if fast and not keep_going and not base:
        pending = fast.start_check(settings, check.run, check.check_site, check.check_again)
    if pending is None:
        checked = check.check_site(settings)
        findings = checked.findings
        if keep_going:
            _leave_out(settings, findings)
        if base:  # about addresses, not the files: nothing to leave out for them
            findings = sorted([*findings, *check.against_base(checked, settings, base)])
        if errors(findings) and not keep_going:
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
    failures = [r.getMessage() for r in collector.records]
    if failures and not keep_going:
        _abandon(fast, staging)
        raise BuildFailed("\n".join(failures))
    output_folder.prune_empty_folders(staging)
    output_folder.place_host_files(staging, target)
    output_folder.swap(staging, target)
    if fast is not None:
        if failures or errors(findings):
            fast.failed()  # the next build starts afresh: this one left files out
        else:
            fast.succeeded()
    return BuildResult(target, findings, failures)


def _leave_out(settings: dict, findings: list[Finding]) -> None:
    """Keep the articles and pages that have an error out of a build that goes on without them.

    Pelican excludes files by name (``IGNORE_FILES``): a file of the same name
    elsewhere is left out too, which a preview can afford. Profiles with an
    error are left out by the experts plugin itself.
    """
    from .rules.check import site_root

    settings[KEEP_GOING] = True
    root = site_root(settings)
    names = {(root / f.path).name for f in errors(findings) if f.path.endswith((".md", ".markdown"))}
    settings["IGNORE_FILES"] = [*settings.get("IGNORE_FILES", []), *(glob.escape(n) for n in sorted(names))]


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


def main(
    settings_file: str,
    *,
    overrides: dict | None = None,
    keep_going: bool = False,
    base: str | None = None,
    stream: TextIO = sys.stderr,
) -> int:
    """Command-line entry: print findings or the failure, never a traceback; return the exit status."""
    from pelican.log import init as init_logging

    from .i18n import _

    init_logging(level=logging.WARNING)
    try:
        result = build(settings_file, overrides=overrides, keep_going=keep_going, base=base)
    except ContentError as exc:
        print(format_text(exc.findings), file=stream)
        print(f"\nbuild stopped: {summary(exc.findings)}; the output folder was left as it was.", file=stream)
        return 1
    except BuildFailed as exc:
        print(f"{exc}\n\nbuild stopped; the output folder was left as it was.", file=stream)
        return 1
    if result.findings:
        print(format_text(result.findings), file=stream)
    if result.failed:
        print("\n".join(result.failures), file=stream)
        print(
            "\n"
            + _(
                "built with errors: %(summary)s; the files with an error were left out, "
                "the others are in %(output)s",
                summary=summary(result.findings),
                output=result.output.name + "/",
            ),
            file=stream,
        )
        return 1
    return 0
