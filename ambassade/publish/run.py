"""``invoke publish`` and ``invoke rollback``: build, verify, deploy, or stop and say why.

    build into a temporary folder ─► verify ─► compare with the live site ─► deploy (atomic per target)

Nothing reaches the destination before the whole site is built and verified.
Every step is named (``built``, ``verified``, then the target's own: ``copying``,
``before-swap``, ``swapped``…) and reported to a checkpoint, which is where
the tests interrupt a publish to prove the live site survives it.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from .. import build as site_build
from ..diagnostics import ContentError, format_text, summary
from ..output import process_alive
from . import layout
from .manifest import Changes, files
from .problems import ProblemsFound, PublishError, plural
from .settings import PublishSettings, from_pelican
from .targets import Checkpoint, Target, make, no_checkpoint
from .verify import verify

Say = Callable[[str], None]


class DeployFailed(PublishError):
    """The deploy had begun: the message says what is live now."""


@dataclass(frozen=True)
class Outcome:
    """What a publish did."""

    target: str
    """Where, as :meth:`Target.describe` says it."""
    changes: Changes
    release: str | None
    """The release now live; None when nothing was deployed (dry run, or nothing changed)."""


def load(settings_file: Path | str, overrides: Mapping[str, Any] | None = None) -> PublishSettings:
    """The publish settings of a settings file; :class:`ProblemsFound` when they are wrong."""
    settings = site_build.load_settings(settings_file, dict(overrides or {}))
    return from_pelican(settings, source=Path(settings_file).name)


def _build(settings_file: Path | str, overrides: Mapping[str, Any], site: Path) -> None:
    try:
        site_build.build(settings_file, overrides={**overrides, "OUTPUT_PATH": str(site)}, output=site)
    except ContentError as exc:
        findings = exc.findings
        raise PublishError(f"{format_text(findings)}\n\nthe build stopped: {summary(findings)}") from None
    except site_build.BuildFailed as exc:
        raise PublishError(str(exc)) from None


def _deploy(target: Target, site: Path, release: str, changes: Changes, checkpoint: Checkpoint) -> str:
    """Deploy, and when it fails say what is live now: that is what the person must know first."""
    reached: list[str] = []

    def step(name: str) -> None:
        reached.append(name)
        checkpoint(name)

    try:
        return target.deploy(site, release, changes, step)
    except (PublishError, OSError, KeyboardInterrupt) as exc:
        what = "interrupted" if isinstance(exc, KeyboardInterrupt) else str(exc)
        if "swapped" in reached:
            state = f"the new release is live at {target.describe()}; only the clean-up after it failed."
        elif target.atomic or not reached:
            state = f"the live site at {target.describe()} was left as it was."
        else:
            state = (
                "the upload stopped part-way: the files sent so far are in place and nothing "
                "was removed; publish again to finish."
            )
        raise DeployFailed(f"{what}\n{state}") from None


def publish(
    settings_file: Path | str,
    *,
    overrides: Mapping[str, Any] | None = None,
    dry_run: bool = False,
    site: Path | None = None,
    now: datetime | None = None,
    checkpoint: Checkpoint = no_checkpoint,
    say: Say = print,
) -> Outcome:
    """Build with ``settings_file`` (or take the built ``site``), verify, deploy to ``PUBLISH``'s target.

    Raises :class:`ProblemsFound` (settings or site rejected: nothing deployed)
    or :class:`PublishError` (the message says what is live).
    """
    overrides = dict(overrides or {})
    conf = load(settings_file, overrides)
    target = make(conf)
    now = now or datetime.now(UTC)
    _tidy_temporary()
    with tempfile.TemporaryDirectory(prefix=f"{TEMPORARY_PREFIX}{os.getpid()}-") as tmp:
        if site is None:
            site = Path(tmp) / "site"
            say(f"building the production site with {conf.source}…")
            _build(settings_file, overrides, site)
        checkpoint("built")
        problems = verify(site, conf, now)
        if problems:
            raise ProblemsFound(problems, "the site")
        count = plural(sum(1 for _ in files(site)), "file")
        internal = "internal pages allowed" if conf.allow_internal else "no internal page"
        say(
            f"verified {count}: no draft, no scheduled article, no review report, {internal}, "
            f"no third-party request, nothing active, every internal link resolves"
        )
        checkpoint("verified")
        changes = target.changes(site)
        release = layout.release_id(now)
        where = target.describe()
        if dry_run:
            say(f"dry run: release {release} to {where} ({target.name}) would change:")
            for line in changes.lines() or ["  nothing"]:
                say(line)
            say(f"would publish {changes.summary()}; nothing was deployed")
            return Outcome(where, changes, None)
        if not changes:
            say(f"nothing to publish: {where} already serves these {plural(changes.total, 'file')}")
            return Outcome(where, changes, None)
        say(f"deploying release {release} to {where} ({target.name})…")
        release = _deploy(target, site, release, changes, checkpoint)
        say(f"published release {release} to {where} ({changes.summary()})")
        return Outcome(where, changes, release)


TEMPORARY_PREFIX = "ambassade-publish-"
"""The temporary folder of a publish: ``ambassade-publish-<pid>-<random>``."""


def _tidy_temporary() -> None:
    """Remove the temporary folders of publishes whose process is gone (killed before cleaning up)."""
    base = Path(tempfile.gettempdir())
    for folder in base.glob(f"{TEMPORARY_PREFIX}*"):
        pid = folder.name[len(TEMPORARY_PREFIX) :].split("-", 1)[0]
        if pid.isdigit() and not process_alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def rollback(
    settings_file: Path | str, *, overrides: Mapping[str, Any] | None = None, say: Say = print
) -> str:
    """Make the release before the live one live again; return its name."""
    target = make(load(settings_file, overrides))
    was, now_live = target.rollback()
    say(f"rolled back {target.describe()}: release {now_live} is live again (was {was})")
    return now_live


def _printer(out: TextIO) -> Say:
    return lambda line: print(line, file=out, flush=True)


def _report(exc: BaseException, command: str, err: TextIO) -> int:
    """Print why ``command`` stopped, never a traceback; return the exit status."""
    unchanged = "nothing was deployed" if command == "publish" else "nothing was changed"
    if isinstance(exc, ProblemsFound):
        print(exc, file=err)
        count = plural(len(exc.problems), "problem")
        print(f"\n{command} stopped: {count} in {exc.subject}; {unchanged}.", file=err)
    elif isinstance(exc, DeployFailed):
        print(f"{exc}\n\n{command} stopped.", file=err)
    elif isinstance(exc, OSError):
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"{where}{exc.strerror or exc}\n\n{command} stopped; {unchanged}.", file=err)
    else:
        print(f"{exc}\n\n{command} stopped; {unchanged}.", file=err)
    return 1


def main(
    settings_file: str,
    *,
    dry_run: bool = False,
    overrides: Mapping[str, Any] | None = None,
    out: TextIO = sys.stdout,
    err: TextIO = sys.stderr,
) -> int:
    """``invoke publish``: the exit status; findings and problems printed, never a traceback."""
    from pelican.log import init as init_logging

    init_logging(level=logging.WARNING)
    try:
        publish(settings_file, overrides=overrides, dry_run=dry_run, say=_printer(out))
    except (PublishError, OSError) as exc:
        return _report(exc, "publish", err)
    except KeyboardInterrupt:  # before the deploy began (it reports its own): nothing went out
        print("\npublish interrupted; nothing was deployed.", file=err)
        return 130
    return 0


def rollback_main(
    settings_file: str,
    *,
    overrides: Mapping[str, Any] | None = None,
    out: TextIO = sys.stdout,
    err: TextIO = sys.stderr,
) -> int:
    """``invoke rollback``: the exit status."""
    try:
        rollback(settings_file, overrides=overrides, say=_printer(out))
    except (PublishError, OSError) as exc:
        return _report(exc, "rollback", err)
    return 0
