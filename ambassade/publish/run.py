"""``invoke publish``, ``releases`` and ``rollback``: build, verify, deploy, or stop and say why.

    guard (branch, clean tree, pushed) ─► build into a temporary folder ─► verify
        ─► compare with the live site ─► deploy (atomic per target) with the release's record

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
from .. import git
from ..diagnostics import ContentError, format_text, summary
from ..i18n import _, ngettext
from ..output import host_folder, process_alive
from . import guard
from . import summary as by_page
from .manifest import Changes, files
from .problems import ProblemsFound, PublishError
from .releases import Release, release_name
from .settings import Publishing, PublishSettings
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
    release: Release | None
    """The release now live; None when nothing was deployed (dry run, or nothing changed)."""


def load(settings_file: Path | str, overrides: Mapping[str, Any] | None = None) -> Publishing:
    """The publish settings of a settings file, checked with every other section.

    :class:`~ambassade.settings.SettingsError` lists every mistake, each at its line.
    """
    from ..configure import load as load_settings

    settings = load_settings(settings_file, dict(overrides or {}), extra=(PublishSettings,))
    return Publishing(PublishSettings.of(settings), settings, source=Path(settings_file).name)


def _build(settings_file: Path | str, overrides: Mapping[str, Any], site: Path) -> None:
    try:
        site_build.build(settings_file, overrides={**overrides, "OUTPUT_PATH": str(site)}, output=site)
    except ContentError as exc:
        findings = exc.findings
        stopped = _("the build stopped: %(summary)s", summary=summary(findings))
        raise PublishError(f"{format_text(findings)}\n\n{stopped}") from None
    except site_build.BuildFailed as exc:
        raise PublishError(str(exc)) from None


def _deploy(
    target: Target, site: Path, release: Release, host: Path | None, changes: Changes, checkpoint: Checkpoint
) -> Release:
    """Deploy, and when it fails say what is live now: that is what the person must know first."""
    reached: list[str] = []

    def step(name: str) -> None:
        reached.append(name)
        checkpoint(name)

    try:
        return target.deploy(site, release, host, changes, step)
    except (PublishError, OSError, KeyboardInterrupt) as exc:
        what = _("interrupted") if isinstance(exc, KeyboardInterrupt) else str(exc)
        where = target.describe()
        if "swapped" in reached:
            state = _("the new release is live at %(where)s; only the clean-up after it failed.", where=where)
        elif target.atomic or not reached:
            state = _("the live site at %(where)s was left as it was.", where=where)
        else:
            state = _(
                "the upload stopped part-way: the files sent so far are in place and nothing "
                "was removed; publish again to finish."
            )
        raise DeployFailed(f"{what}\n{state}") from None


def _release(conf: Publishing, source: git.Source, now: datetime, forced: list[str]) -> Release:
    where = source.toplevel or guard.repository_of(conf)
    return Release(
        name=release_name(now, source.commit),
        date=now.astimezone(UTC).isoformat(timespec="seconds"),
        commit=source.commit,
        branch=source.branch,
        published_by=git.user_name(where),
        forced=tuple(forced),
    )


def publish(
    settings_file: Path | str,
    *,
    overrides: Mapping[str, Any] | None = None,
    dry_run: bool = False,
    force: bool = False,
    site: Path | None = None,
    now: datetime | None = None,
    checkpoint: Checkpoint = no_checkpoint,
    say: Say = print,
) -> Outcome:
    """Check the commit, build with ``settings_file`` (or take the built ``site``), verify, deploy.

    Raises :class:`ProblemsFound` (the commit, the settings or the site
    rejected: nothing deployed) or :class:`PublishError` (the message says what is live).
    """
    overrides = dict(overrides or {})
    conf = load(settings_file, overrides)
    target = make(conf)
    now = now or datetime.now(UTC)
    source = git.source(guard.repository_of(conf))
    refused = guard.refusals(source, conf)
    if refused and not (force or dry_run):
        raise ProblemsFound(refused, _("the commit to publish"))
    if refused:
        say(format_text(guard.forced(refused)))
        if dry_run and not force:
            say(_("a publish would stop here (%(force)s goes through)", force=guard.FORCE))
    _tidy_temporary()
    with tempfile.TemporaryDirectory(prefix=f"{TEMPORARY_PREFIX}{os.getpid()}-") as tmp:
        if site is None:
            site = Path(tmp) / "site"
            say(_("building the production site with %(file)s…", file=conf.source))
            _build(settings_file, overrides, site)
        host = host_folder(site)
        checkpoint("built")
        problems = verify(site, conf, now)
        if problems:
            raise ProblemsFound(problems, _("the site"))
        count = sum(1 for _file in files(site))
        internal = _("internal pages allowed") if conf.allow_internal else _("no internal page")
        say(
            ngettext(
                "verified %(num)s file: no draft, no scheduled article, no review report, %(internal)s, "
                "no third-party request, nothing active, every internal link resolves",
                "verified %(num)s files: no draft, no scheduled article, no review report, %(internal)s, "
                "no third-party request, nothing active, every internal link resolves",
                count,
                internal=internal,
            )
        )
        checkpoint("verified")
        changes = target.changes(site)
        release = _release(conf, source, now, [f.message for f in refused])
        where = target.describe()
        if dry_run:
            say(
                _(
                    "dry run: release %(release)s to %(where)s (%(target)s) would change:",
                    release=release.name,
                    where=where,
                    target=target.name,
                )
            )
            site_name = str(conf.pelican.get("SITENAME") or "")
            for line in by_page.lines(changes, site, target.live_file, site_name):
                say(line)
            say(_("would publish %(summary)s; nothing was deployed", summary=changes.summary()))
            return Outcome(where, changes, None)
        if not changes:
            say(
                ngettext(
                    "nothing to publish: %(where)s already serves these %(num)s file",
                    "nothing to publish: %(where)s already serves these %(num)s files",
                    changes.total,
                    where=where,
                )
            )
            return Outcome(where, changes, None)
        say(
            _(
                "deploying release %(release)s to %(where)s (%(target)s)…",
                release=release.name,
                where=where,
                target=target.name,
            )
        )
        release = _deploy(target, site, release, host if host.is_dir() else None, changes, checkpoint)
        say(
            _(
                "published release %(release)s to %(where)s (%(summary)s)",
                release=release.name,
                where=where,
                summary=changes.summary(),
            )
        )
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
    settings_file: Path | str,
    *,
    to: str | None = None,
    overrides: Mapping[str, Any] | None = None,
    say: Say = print,
) -> Release:
    """Make ``to`` (default: the release before the live one) live again; return it."""
    target = make(load(settings_file, overrides))
    was, now_live = target.rollback(to)
    values = {"where": target.describe(), "release": now_live.name, "was": was.name}
    if now_live.name > was.name:
        say(_("rolled forward %(where)s: release %(release)s is live again (was %(was)s)", **values))
    else:
        say(_("rolled back %(where)s: release %(release)s is live again (was %(was)s)", **values))
    return now_live


def releases(
    settings_file: Path | str, *, overrides: Mapping[str, Any] | None = None, say: Say = print
) -> list[Release]:
    """Say every release the target keeps, oldest first, the live one marked; return them."""
    target = make(load(settings_file, overrides))
    kept = target.releases()
    if not kept:
        say(_("%(where)s: nothing is published here yet", where=target.describe()))
        return kept
    say(
        ngettext(
            "%(num)s release kept at %(where)s:",
            "%(num)s releases kept at %(where)s:",
            len(kept),
            where=target.describe(),
        )
    )
    for release in kept:
        say(release.line())
    say(_("`invoke rollback --to RELEASE` makes one of them live again."))
    return kept


def _printer(out: TextIO) -> Say:
    return lambda line: print(line, file=out, flush=True)


def _report(exc: BaseException, command: str, err: TextIO) -> int:
    """Print why ``command`` stopped, never a traceback; return the exit status."""
    unchanged = _("nothing was deployed") if command == "publish" else _("nothing was changed")
    if isinstance(exc, ContentError | ProblemsFound):  # the settings, the commit or the site
        subject = exc.subject if isinstance(exc, ProblemsFound) else _("the settings")
        print(format_text(exc.findings), file=err)
        count = ngettext("%(num)s problem", "%(num)s problems", len(exc.findings))
        stopped = _(
            "%(command)s stopped: %(count)s in %(subject)s; %(unchanged)s.",
            command=command,
            count=count,
            subject=subject,
            unchanged=unchanged,
        )
        print(f"\n{stopped}", file=err)
    elif isinstance(exc, DeployFailed):
        print(f"{exc}\n\n" + _("%(command)s stopped.", command=command), file=err)
    elif isinstance(exc, OSError):
        where = f"{exc.filename}: " if exc.filename else ""
        print(
            f"{where}{exc.strerror or exc}\n\n"
            + _("%(command)s stopped; %(unchanged)s.", command=command, unchanged=unchanged),
            file=err,
        )
    else:
        print(
            f"{exc}\n\n" + _("%(command)s stopped; %(unchanged)s.", command=command, unchanged=unchanged),
            file=err,
        )
    return 1


def _main(command: str, work: Callable[[], object], err: TextIO) -> int:
    """Run ``work``; print why it stopped, never a traceback; return the exit status."""
    from pelican.log import init as init_logging

    init_logging(level=logging.WARNING)
    try:
        work()
    except (PublishError, ContentError, OSError) as exc:
        return _report(exc, command, err)
    except KeyboardInterrupt:  # before the deploy began (it reports its own): nothing went out
        print("\n" + _("%(command)s interrupted; nothing was deployed.", command=command), file=err)
        return 130
    return 0


def main(
    settings_file: str,
    *,
    dry_run: bool = False,
    force: bool = False,
    overrides: Mapping[str, Any] | None = None,
    out: TextIO = sys.stdout,
    err: TextIO = sys.stderr,
) -> int:
    """``invoke publish``: the exit status; findings and problems printed, never a traceback."""
    return _main(
        "publish",
        lambda: publish(settings_file, overrides=overrides, dry_run=dry_run, force=force, say=_printer(out)),
        err,
    )


def rollback_main(
    settings_file: str,
    *,
    to: str | None = None,
    overrides: Mapping[str, Any] | None = None,
    out: TextIO = sys.stdout,
    err: TextIO = sys.stderr,
) -> int:
    """``invoke rollback``: the exit status."""
    return _main(
        "rollback", lambda: rollback(settings_file, to=to, overrides=overrides, say=_printer(out)), err
    )


def releases_main(
    settings_file: str,
    *,
    overrides: Mapping[str, Any] | None = None,
    out: TextIO = sys.stdout,
    err: TextIO = sys.stderr,
) -> int:
    """``invoke releases``: the exit status."""
    return _main("releases", lambda: releases(settings_file, overrides=overrides, say=_printer(out)), err)
