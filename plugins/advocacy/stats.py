"""``invoke stats LOG…``: the clicks on the kit's short links, counted from web server access logs.

A click is a ``GET`` of ``/go/<code>/<network>/`` answered 200 (or 304, the
same page from the browser's cache) by a user agent that is not a program
(bots.py). It is counted for its day on the site's clock, its item, its network
and, when the link carries ``?p=<slug>`` of a colleague whose published profile
says ``share_stats: true``, for that colleague; otherwise for nobody. Every log
is read before anything is written, and the stats file is replaced at once:
a log that cannot be read leaves it as it was.
"""

from __future__ import annotations

import glob
import hashlib
import re
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

from ambassade import diagnostics
from ambassade.diagnostics import Finding, display_path
from ambassade.i18n import _, ngettext, number
from ambassade.profiles import load_profiles
from ambassade.share import NETWORKS, PERSON_PARAM, SharingSettings
from ambassade.site import SiteSettings, experts_path, from_settings_folder

from . import clicks, logs
from .bots import is_bot
from .settings import NETWORKS as KIT_NETWORKS
from .settings import AdvocacySettings

FINGERPRINT_LINES = 1
"""Requests that identify a log file, whatever its name or compression, so that it is not counted twice:
its first one, which stays the same as the file grows and is rotated."""


def stats_path(settings: dict) -> Path:
    return from_settings_folder(settings, AdvocacySettings.of(settings).stats_file)


def consenting(settings: dict) -> set[str]:
    """Slugs of the colleagues whose clicks may be counted for them: published, ``share_stats: true``."""
    experts, _findings = load_profiles(experts_path(settings), default_lang=settings["DEFAULT_LANG"])
    return {slug for slug, e in experts.items() if e.published and e.share_stats}


def link_re(settings: dict) -> re.Pattern[str]:
    """The path of a short link, under the site's own path when it is served from a folder."""
    prefix = urlsplit(SiteSettings.of(settings).origin).path.rstrip("/")
    folder = SharingSettings.of(settings).short_links_path
    networks = "|".join(sorted({*KIT_NETWORKS, *NETWORKS}, key=len, reverse=True))
    return re.compile(
        rf"^{re.escape(prefix)}/{re.escape(folder)}/(?P<code>[a-z0-9][a-z0-9-]{{1,39}})/"
        rf"(?P<network>{networks})/(?:index\.html)?$"
    )


@dataclass
class Report:
    """What one run read, for the summary it prints."""

    files: int = 0
    lines: int = 0
    skipped: int = 0
    """Lines of logs counted by an earlier run."""
    clicks: int = 0
    counted_for: int = 0
    """Clicks counted for a colleague who consents."""
    bots: int = 0
    malformed: int = 0
    malformed_at: list[tuple[str, int]] = field(default_factory=list)
    by_network: Counter = field(default_factory=Counter)


def fingerprint(path: Path) -> str | None:
    """The first requests of the log at ``path`` (time, request, status, agent: never the address)."""
    parts = []
    for line in logs.read(path):
        if line.request is not None:
            r = line.request
            parts.append(f"{r.when.isoformat()} {r.method} {r.path}?{r.query} {r.status} {r.agent}")
            if len(parts) == FINGERPRINT_LINES:
                break
    if not parts:
        return None
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:24]


def count(
    paths: Sequence[Path], stats: clicks.Stats, settings: dict, people: set[str]
) -> tuple[Report, list[Finding]]:
    """The clicks of every log of ``paths`` added to ``stats``; the lines a previous run counted are
    skipped. Nothing is added when a log cannot be read: the findings say why."""
    conf = AdvocacySettings.of(settings)
    pattern = link_re(settings)
    tz = ZoneInfo(settings["TIMEZONE"])
    report, findings = Report(), []
    pending: list[tuple[str, int, list]] = []
    for path in paths:
        try:
            mark = fingerprint(path)
            done = stats.sources.get(mark, 0) if mark else 0
            hits, lines = [], 0
            for line in logs.read(path):
                lines = line.number
                if line.number <= done:
                    report.skipped += 1
                    continue
                report.lines += 1
                request = line.request
                if request is None:
                    if line.text.strip():
                        report.malformed += 1
                        if len(report.malformed_at) < 5:
                            report.malformed_at.append((str(path), line.number))
                    continue
                found = pattern.match(request.path)
                if (
                    found is None
                    or request.method != "GET"
                    or not (200 <= request.status < 300 or request.status == 304)
                ):
                    continue
                if is_bot(request.agent, conf.bots):
                    report.bots += 1
                    continue
                person = parse_qs(request.query).get(PERSON_PARAM, [""])[0]
                hits.append(
                    (
                        request.when.astimezone(tz).date(),
                        found["code"],
                        found["network"],
                        person if person in people else "",
                    )
                )
        except FileNotFoundError:
            findings.append(
                Finding(
                    display_path(path),
                    1,
                    1,
                    "stats-log",
                    _("the log does not exist"),
                    _("the path of an access log"),
                )
            )
            continue
        except logs.NotALog:
            findings.append(
                Finding(
                    display_path(path),
                    1,
                    1,
                    "stats-log",
                    _("none of the first lines is a request in a format ambassade reads"),
                    _(
                        "an access log in nginx's or Apache's combined format, CloudFront's "
                        "or Cloudflare's (gzip accepted)"
                    ),
                )
            )
            continue
        except OSError as exc:
            findings.append(
                Finding(
                    display_path(path),
                    1,
                    1,
                    "stats-log",
                    _("the log cannot be read (%(error)s)", error=exc.strerror or exc),
                    "",
                )
            )
            continue
        report.files += 1
        if mark:
            pending.append((mark, max(lines, done), hits))
    if findings:
        return report, findings
    for mark, lines, hits in pending:
        stats.sources[mark] = lines
        for day, code, network, person in hits:
            stats.add(day, code, network, person)
            report.clicks += 1
            report.counted_for += bool(person)
            report.by_network[network] += 1
    return report, []


def summary(report: Report, path: Path) -> str:
    labels = {**{key: n.label for key, n in NETWORKS.items()}, "email": _("E-mail")}
    per_network = sorted((labels.get(n, n), c) for n, c in report.by_network.items())
    lines = [
        ngettext("%(num)s log read:", "%(num)s logs read:", report.files)
        + " "
        + ngettext("%(num)s new line", "%(num)s new lines", report.lines)
        + (
            ", " + ngettext("%(num)s line counted before", "%(num)s lines counted before", report.skipped)
            if report.skipped
            else ""
        )
        + ".",
        ngettext("%(num)s click counted", "%(num)s clicks counted", report.clicks)
        + (
            " (" + ", ".join(f"{label} {number(c)}" for label, c in per_network) + ")"
            if report.clicks
            else ""
        )
        + ", "
        + ngettext(
            "%(num)s of them for a colleague who chose to be counted",
            "%(num)s of them for colleagues who chose to be counted",
            report.counted_for,
        )
        + ".",
        ngettext(
            "%(num)s request of a program left out", "%(num)s requests of programs left out", report.bots
        )
        + ".",
    ]
    if report.malformed:
        where = ", ".join(f"{p}:{n}" for p, n in report.malformed_at)
        lines.append(
            ngettext(
                "%(num)s line is not a request and was skipped (%(where)s).",
                "%(num)s lines are not requests and were skipped (first: %(where)s).",
                report.malformed,
                where=where,
            )
        )
    lines.append(_("Counts written to %(path)s: no address, agent or time of day is kept.", path=path))
    return "\n".join(lines)


def expand(logs: str) -> list[str]:
    """The files ``logs`` names: paths separated by blanks, each maybe a pattern (``access.log*``),
    expanded in order; a pattern that matches nothing is kept, so that it is reported."""
    out = []
    for part in logs.split():
        found = sorted(glob.glob(part), key=_rotation_order)
        out += found or [part]
    return out


def _rotation_order(path: str) -> tuple:
    # access.log.2.gz, access.log.1, access.log: oldest first, as the lines were written.
    numbers = re.findall(r"\.(\d+)(?:\.gz)?$", path)
    return (-int(numbers[0]) if numbers else 0, path)


def main(
    settings: dict, paths: Sequence[str], *, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    """``invoke stats``: add the clicks of ``paths`` to the stats file; 1 when a log cannot be read."""
    out, err = out or sys.stdout, err or sys.stderr
    target = stats_path(settings)
    if not paths:
        print(_("Name at least one access log: invoke stats /var/log/nginx/access.log*"), file=err)
        return 2
    try:
        stats = clicks.load(target) or clicks.Stats()
    except clicks.StatsFileError as exc:
        print(
            diagnostics.format_text(
                [
                    Finding(
                        str(target),
                        1,
                        1,
                        "stats-file",
                        _("the stats file is not one (%(error)s)", error=exc),
                        _("a file written by invoke stats, or none"),
                    )
                ]
            ),
            file=err,
        )
        return 1
    people = consenting(settings)
    report, findings = count([Path(p) for p in paths], stats, settings, people)
    if findings:
        print(diagnostics.format_text(findings), file=err)
        print(_("Nothing was written: every log must be read first."), file=err)
        return 1
    # Whoever no longer consents is counted for nobody from now on, in the file too.
    clicks.save(target, stats.without_people(people))
    print(summary(report, target), file=out)
    return 0
