"""Build a site all-or-nothing: check the sources, build elsewhere, then swap.

A contributor's mistake must never leave a half-written site behind, so the
build checks every rule first (the same ones ``invoke check`` runs), then lets
Pelican write into a fresh sibling folder, and only when Pelican reported no
error does that folder replace the output folder.

What the build prints is ours, in the tools' language: one short line per
stage, then every finding once, then one summary line. Pelican's own log (and
its "Done: Processed…") only with ``verbose``; otherwise what it or a plugin
logs becomes a finding like any other, an error failing the build.
"""

from __future__ import annotations

import contextlib
import glob
import logging
import os
import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from . import fastpath, i18n, inputs
from . import output as output_folder
from .diagnostics import ContentError, Finding, Severity, display_path, errors, format_text, summary
from .i18n import _, ngettext

log = logging.getLogger(__name__)

LOGGED = "build"
"""The rule id of what Pelican or a plugin logged while building."""

Stage = Callable[[str], None]
"""Told one short line as each stage of a build ends."""

KEEP_GOING = "AMBASSADE_KEEP_GOING"
"""Set in the settings of a build that goes on despite errors (a preview for review): a file with an
error is left out, a plugin logs what it cannot use rather than stopping."""


class BuildFailed(Exception):
    """The build stopped; the message says why, the output folder is untouched."""


class _LogCollector(logging.Handler):
    """What Pelican and the plugins log while they build: an error fails it, a warning is shown."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@dataclass
class BuildResult:
    output: Path
    findings: list[Finding] = field(default_factory=list)
    files: int = 0
    """How many files the site has."""

    @property
    def failed(self) -> bool:
        """A build that went on despite errors (``keep_going``): the files with one were left out."""
        return bool(errors(self.findings))


def load_settings(settings_file: Path | str, overrides: dict | None = None, lang: str | None = None) -> dict:
    """The settings of a build: read, every section checked (:class:`SettingsError` otherwise)."""
    from .configure import load

    return load(settings_file, overrides, lang=lang)


def build(
    settings_file: Path | str,
    *,
    overrides: dict | None = None,
    output: Path | str | None = None,
    stage: Stage | None = None,
    lang: str | None = None,
    waiting: Callable[[], None] | None = None,
    keep_going: bool = False,
    base: str | None = None,
) -> BuildResult:
    """Check, build into a temporary folder next to the output, then swap it in.

    Raises :class:`ContentError` when the sources break a rule (or Pelican or a
    plugin logged an error: every one is a finding; or the output folder cannot
    be written) and :class:`BuildFailed` when Pelican itself crashed; in both
    cases the output folder is exactly as it was. ``stage`` is told a line as
    each stage ends. Two builds of one output wait for each other: ``waiting()``
    is called when this one must.

    With ``keep_going`` (the preview comms reviews), a file with an error is
    left out and the rest is built and swapped in: the result carries the
    errors, and the caller fails. With ``base`` (a branch), published addresses
    the branch takes away without a redirect are findings too, as ``invoke
    check --base`` reports them.
    """
    with _collecting_less():
        return _build(settings_file, overrides, output, stage, lang, waiting, keep_going, base)


@contextlib.contextmanager
def _collecting_less():
    """Python's cycle collector, run seldom while a build runs, sequential or fast.

    A build makes millions of objects that live until it ends (the pages, their
    contexts, the last build's kept for the next) and little cyclic garbage.
    With the default thresholds (a collection every 700 new objects) the
    collector went through them again and again: 800 collections, 0.6 s, in the
    main process of a cold build at the default benchmark size, and 0.36 s of a
    4-second rebuild after a profile edit. Young objects are still collected,
    every 200,000 allocations (mypy runs with the same setting).
    """
    import gc

    before = gc.get_threshold()
    gc.set_threshold(200_000, 30, 30)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _build(
    settings_file: Path | str,
    overrides: dict | None,
    output: Path | str | None,
    stage: Stage | None,
    lang: str | None,
    waiting: Callable[[], None] | None,
    keep_going: bool,
    base: str | None,
) -> BuildResult:
    from .rules import check

    stage = stage or (lambda _line: None)
    overrides = dict(overrides or {})
    settings = load_settings(settings_file, overrides, lang)
    # What the build reads (ambassade.inputs): the settings file first, plugins declare the rest.
    inputs.declare(settings, settings_file, "file", by=__name__)
    target = Path(output or settings["OUTPUT_PATH"]).resolve()
    fast = fastpath.find(settings)
    started = time.perf_counter()
    # A fast path may run the rules beside the build rather than before it; either
    # way nothing is swapped in before they pass.
    pending = None
    if fast and not keep_going and not base:
        pending = fast.start_check(settings, check.run, check.check_site, check.check_again)
    findings: list[Finding] = []
    if pending is None:
        checked = check.check_site(settings)
        findings = checked.findings
        if keep_going:
            _leave_out(settings, findings)
        if base:  # about addresses, not the files: nothing to leave out for them
            findings = sorted([*findings, *check.against_base(checked, settings, base)])
        stage(_checked_line(settings, time.perf_counter() - started))
        if errors(findings) and not keep_going:
            raise ContentError(findings)

    try:
        with output_folder.building(target, waiting=waiting) as staging:
            findings, files = _build_into(
                settings, settings_file, target, staging, fast, pending, findings, stage, started, keep_going
            )
    except OSError as exc:  # the output folder cannot be made, written or replaced
        if fast is not None:
            fast.failed()
        raise ContentError([_filesystem_finding(exc, target)]) from None
    if fast is not None:
        if errors(findings):
            fast.failed()  # the next build starts afresh: this one left files out
        else:
            fast.succeeded()
    return BuildResult(target, findings, files)


def _build_into(
    settings: dict,
    settings_file: Path | str,
    target: Path,
    staging: Path,
    fast: fastpath.FastPath | None,
    pending: fastpath.PendingCheck | None,
    findings: list[Finding],
    stage: Stage,
    started: float,
    keep_going: bool = False,
) -> tuple[list[Finding], int]:
    """Pelican into ``staging``, then ``staging`` in place of ``target``: the findings, and the files made."""
    from pelican import Pelican

    output_folder.adopt_spare(target, staging)
    settings["OUTPUT_PATH"] = str(staging)
    settings[fastpath.PREVIOUS_OUTPUT] = str(target)
    rebuild = fast.quick_rebuild(settings, target) if fast else None
    collector = _LogCollector()
    logging.getLogger().addHandler(collector)
    building = time.perf_counter()
    try:
        if rebuild is not None:
            rebuild()
        else:
            Pelican(settings).run()
    except ContentError:
        _abandon(fast, staging)
        _raise_if_errors(pending, settings, stage, started)
        raise
    except Exception as exc:  # Pelican or a plugin crashed: report it, keep the output
        _abandon(fast, staging)
        _raise_if_errors(pending, settings, stage, started)
        if isinstance(exc, OSError):
            raise
        raise BuildFailed(_("the build stopped: %(error)s", error=f"{type(exc).__name__}: {exc}")) from exc
    finally:
        logging.getLogger().removeHandler(collector)
    logged = [_from_log(r, settings_file, settings) for r in collector.records]
    if pending is not None:
        try:
            findings = _raise_if_errors(pending, settings, stage, started, also=logged)
        except ContentError:
            _abandon(fast, staging)
            raise
    findings = sorted(findings + _not_repeated(logged, findings))
    if errors(logged) and not keep_going:
        _abandon(fast, staging)
        raise ContentError(findings)
    files = output_folder.prune_empty_folders(staging)
    stage(
        ngettext(
            "built: %(num)s file (%(seconds)s s)",
            "built: %(num)s files (%(seconds)s s)",
            files,
            seconds=_seconds(time.perf_counter() - building),
        )
    )
    output_folder.place_host_files(staging, target)
    output_folder.swap(staging, target)
    return findings, files


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


def _checked_line(settings: dict, seconds: float) -> str:
    from .rules import check

    sources = check.count_sources(settings)
    return _(
        "checked: %(articles)s, %(pages)s, %(profiles)s (%(seconds)s s)",
        articles=ngettext("%(num)s article", "%(num)s articles", sources.articles),
        pages=ngettext("%(num)s page", "%(num)s pages", sources.pages),
        profiles=ngettext("%(num)s profile", "%(num)s profiles", sources.profiles),
        seconds=_seconds(seconds),
    )


def _seconds(value: float) -> str:
    return i18n.number(round(value, 1))


def _from_log(record: logging.LogRecord, settings_file: Path | str, settings: dict) -> Finding:
    """What Pelican or a plugin logged, as a finding: at the file it names, else at the settings."""
    from .rules.check import site_root

    message = record.getMessage()
    path = next((p for p in map(_source_path, record.args or ()) if p), None)
    root = site_root(settings)
    shown = display_path(path, root) if path else display_path(settings_file, root)
    for prefix in (f"{path}: ", f"{shown}: "):
        if path and message.startswith(prefix):
            message = message[len(prefix) :]
    severity = Severity.ERROR if record.levelno >= logging.ERROR else Severity.WARNING
    return Finding(shown, 1, 1, LOGGED, message, "", severity)


def _source_path(arg: object) -> str | None:
    """The file a log argument names: a content object's source, or an existing path."""
    path = getattr(arg, "source_path", None) or (arg if isinstance(arg, str | Path) else None)
    if path and len(str(path)) < 4096 and os.path.isfile(path):
        return str(path)
    return None


def _abandon(fast: fastpath.FastPath | None, staging: Path) -> None:
    """The build failed: remove what it wrote, and let the next build start afresh."""
    if fast is not None:
        fast.failed()
    shutil.rmtree(staging, ignore_errors=True)


def _raise_if_errors(
    pending: fastpath.PendingCheck | None,
    settings: dict,
    stage: Stage,
    started: float,
    also: list[Finding] | None = None,
) -> list[Finding]:
    """The findings of a check running beside the build; ContentError when one is an error."""
    if pending is None:
        return []
    try:
        findings = pending.result()
    except RuntimeError as exc:
        raise BuildFailed(str(exc)) from exc
    stage(_checked_line(settings, time.perf_counter() - started))
    if errors(findings):
        raise ContentError(findings + _not_repeated(also or [], findings))
    return findings


def _not_repeated(logged: list[Finding], found: list[Finding]) -> list[Finding]:
    """What Pelican or a plugin logged that the rules did not say already (an unknown author is
    both a rule's finding and the experts plugin's error): every problem is printed once."""
    said = {(f.path, f.message) for f in found}
    return [f for f in logged if (f.path, f.message) not in said]


settle = output_folder.settle


@dataclass
class Outcome:
    """What a build run from the command line came to."""

    status: int
    """The exit status: 0 built, 1 stopped."""
    findings: list[Finding] = field(default_factory=list)
    failure: str = ""
    """Why the build crashed, when it did (not a content error)."""
    output: Path | None = None


def run(
    settings_file: str,
    *,
    overrides: dict | None = None,
    stream: TextIO = sys.stderr,
    verbose: bool = False,
    lang: str | None = None,
    keep_going: bool = False,
    base: str | None = None,
) -> Outcome:
    """Build, printing our lines (see the module's text) and never a traceback."""
    from pelican.log import console
    from pelican.log import init as init_logging

    started = time.perf_counter()
    if verbose:
        init_logging(level=logging.INFO)
    # Pelican's own console ("Done: Processed …", its log): the summary line says it our way.
    silenced = contextlib.nullcontext() if verbose else console.capture()

    def say(line: str) -> None:
        print(line, file=stream, flush=True)

    def shown(findings: list[Finding]) -> list[Finding]:
        # With verbose, Pelican's log has said what was logged already: every problem once.
        return [f for f in findings if not (verbose and f.rule == LOGGED)]

    def waiting() -> None:
        say(_("another build of this output folder is running: waiting for it to end…"))

    try:
        with silenced:
            result = build(
                settings_file,
                overrides=overrides,
                stage=say,
                lang=lang,
                waiting=waiting,
                keep_going=keep_going,
                base=base,
            )
    except ContentError as exc:
        if shown(exc.findings):
            say(format_text(shown(exc.findings)))
        target = _output_shown(settings_file, overrides)
        say(
            _(
                "build stopped: %(summary)s; %(output)s was left as it was.",
                summary=summary(exc.findings),
                output=target,
            )
        )
        return Outcome(1, list(exc.findings))
    except BuildFailed as exc:
        say(str(exc))
        say(
            _("build stopped; %(output)s was left as it was.", output=_output_shown(settings_file, overrides))
        )
        return Outcome(1, failure=str(exc))
    except Exception as exc:  # noqa: BLE001 - a person gets what stopped, not how Python got there
        failure = _("the build stopped: %(error)s", error=f"{type(exc).__name__}: {exc}")
        say(failure)
        say(
            _("build stopped; %(output)s was left as it was.", output=_output_shown(settings_file, overrides))
        )
        return Outcome(1, failure=failure)
    if shown(result.findings):
        say(format_text(shown(result.findings)))
    if result.failed:
        say(
            _(
                "built with errors: %(summary)s; the files with an error were left out, "
                "the others are in %(output)s",
                summary=summary(result.findings),
                output=_shown_folder(result.output),
            )
        )
        return Outcome(1, result.findings, output=result.output)
    say(
        _(
            "site built in %(output)s in %(seconds)s s: %(summary)s.",
            output=_shown_folder(result.output),
            seconds=_seconds(time.perf_counter() - started),
            summary=summary(result.findings),
        )
    )
    return Outcome(0, result.findings, output=result.output)


def main(
    settings_file: str,
    *,
    overrides: dict | None = None,
    stream: TextIO = sys.stderr,
    verbose: bool = False,
    lang: str | None = None,
    keep_going: bool = False,
    base: str | None = None,
) -> int:
    """Command-line entry: print what the build found, never a traceback; return the exit status."""
    return run(
        settings_file,
        overrides=overrides,
        stream=stream,
        verbose=verbose,
        lang=lang,
        keep_going=keep_going,
        base=base,
    ).status


def _output_shown(settings_file: str, overrides: dict | None) -> str:
    folder = (overrides or {}).get("OUTPUT_PATH")
    return _shown_folder(Path(folder)) if folder else _("the output folder")


def _shown_folder(path: Path) -> str:
    return display_path(path).rstrip("/") + "/"
