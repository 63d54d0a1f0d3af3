"""The "fetch social posts" command: profiles in, snapshots out, a report on screen.

Meant to run on a schedule (CI) and by hand. A network problem is never an
error of the command: it shows up in the summary and the feed keeps its
last good posts. Only invalid settings (exit code 2) stop it, because then
nothing it would do could be trusted.
"""

from __future__ import annotations

from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.progress import Progress
from rich.table import Table

from ambassade.i18n import _, ngettext, number
from ambassade.profiles import load_profiles
from ambassade.settings import SettingsError
from ambassade.site import experts_path, social_path
from ambassade.snapshots import SnapshotError, load_snapshot, snapshot_path

from .fetch import FeedResult, FeedState, fetch_all
from .settings import SocialSettings
from .snapshot import (
    StaleFeed,
    feed_states,
    merge_snapshot,
    remove_snapshots_except,
    stale_feeds,
    write_snapshot,
)
from .sources import FeedSource, feeds_for

EXIT_OK = 0
EXIT_BAD_SETTINGS = 2


@dataclass(frozen=True)
class FetchReport:
    """What a run did. ``exit_code`` is 0 even when feeds failed."""

    exit_code: int
    results: list[FeedResult] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    stale: list[StaleFeed] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def run_fetch(
    settings_dict: Mapping[str, Any],
    *,
    console: Console | None = None,
    now: datetime | None = None,
) -> FetchReport:
    """Fetch the feeds of every consenting expert and update their snapshots.

    ``settings_dict`` is Pelican's settings (``SOCIAL``, ``SITEURL``, and the
    site's ``experts_path`` and ``social_path``).
    """
    console = console or Console()
    now = now or datetime.now(UTC)
    try:
        settings = SocialSettings.from_settings(settings_dict)
    except SettingsError as error:
        messages = [finding.text() for finding in error.findings]
        for message in messages:
            console.print(escape(message), highlight=False)
        return FetchReport(exit_code=EXIT_BAD_SETTINGS, problems=messages)

    experts_dir = experts_path(settings_dict)
    directory = social_path(settings_dict)
    profiles, problems, broken = _load_profiles(experts_dir)
    plans = _plan_feeds(profiles, settings, problems)
    previous = {slug: _previous_snapshot(directory, slug, problems) for slug in plans}
    results = _fetch_with_progress(plans, previous, settings, console)

    stale = []
    by_expert: dict[str, list[FeedResult]] = {slug: [] for slug in plans}
    for result in results:
        by_expert[result.source.expert].append(result)
    snapshots = {}
    for slug in plans:
        snapshots[slug] = merge_snapshot(
            previous[slug], slug, by_expert[slug], now=now, limit=settings.posts_per_expert
        )
        stale += stale_feeds(snapshots[slug], now, settings.stale_days)
    # Each file is synced to disk before it replaces the last one: done side by side,
    # the waits overlap. A snapshot equal to the one read is not even encoded again.
    todo = [
        slug
        for slug in plans
        if snapshots[slug] != previous[slug] or not snapshot_path(directory, slug).is_file()
    ]
    with ThreadPoolExecutor(max_workers=8) as pool:
        changed = pool.map(lambda slug: write_snapshot(snapshot_path(directory, slug), snapshots[slug]), todo)
        written = [slug for slug, was_written in zip(todo, changed, strict=True) if was_written]
    keep = set(plans) | broken
    removed = remove_snapshots_except(directory, keep) if directory.is_dir() else []

    report = FetchReport(EXIT_OK, results, problems, stale, written, removed)
    _print_report(console, report, settings)
    return report


def _load_profiles(experts_dir: Path) -> tuple[dict[str, dict[str, Any]], list[str], set[str]]:
    """Valid profiles by slug, the problems of the others, and the slugs of the invalid ones.

    The project's loader validates against experts/schema.json, so fetch and
    build agree on who consented. A profile with an error is not fetched, but
    its snapshot is kept: a typo must not lose the posts already collected.
    """
    experts, findings = load_profiles(experts_dir)
    problems = [f.text() for f in findings if f.is_error]
    broken = {Path(f.path).stem for f in findings if f.is_error}
    return {slug: asdict(expert) for slug, expert in experts.items()}, problems, broken


def _plan_feeds(
    profiles: Mapping[str, Mapping[str, Any]], settings: SocialSettings, problems: list[str]
) -> dict[str, list[FeedSource]]:
    """Feeds per consenting expert with at least one feed; appends to ``problems``."""
    plans = {}
    for slug, profile in sorted(profiles.items()):
        feeds = feeds_for(slug, profile, settings)
        problems += feeds.problems
        if feeds.sources:
            plans[slug] = feeds.sources
    return plans


def _previous_snapshot(directory: Path, slug: str, problems: list[str]) -> dict[str, Any]:
    try:
        return load_snapshot(snapshot_path(directory, slug))
    except SnapshotError as error:
        problems.append(_("%(error)s; starting a new snapshot", error=error))
        return {"expert": slug, "feeds": {}, "posts": []}


def _fetch_with_progress(
    plans: Mapping[str, list[FeedSource]],
    previous: Mapping[str, Mapping[str, Any]],
    settings: SocialSettings,
    console: Console,
) -> list[FeedResult]:
    sources = [source for feeds in plans.values() for source in feeds]
    states: dict[FeedSource, FeedState] = {}
    for slug, feeds in plans.items():
        known = feed_states(previous[slug])
        states.update({source: known.get(source.url, FeedState()) for source in feeds})
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task(_("Fetching feeds"), total=len(sources))
        return fetch_all(sources, settings, states, on_result=lambda _: progress.advance(task))


# Up to this many feeds, the table lists every one; past it, only the failed ones
# (a thousand lines of "ok" would hide them), and the summary counts the rest.
TABLE_ALL_UP_TO = 50


def _print_report(console: Console, report: FetchReport, settings: SocialSettings) -> None:
    shown = report.results
    title = _("Social feeds")
    if len(shown) > TABLE_ALL_UP_TO:
        shown = [r for r in report.results if r.status == "failed"]
        title = _(
            "Social feeds that failed (%(failed)s of %(total)s)",
            failed=number(len(shown)),
            total=number(len(report.results)),
        )
    table = Table(title=title, show_lines=False)
    for column in (_("Expert"), _("Network"), _("Feed")):
        table.add_column(column)
    table.add_column(_("New posts"), justify="right")
    table.add_column(_("Status"), overflow="fold")
    for result in sorted(shown, key=lambda r: (r.source.expert, r.url)):
        table.add_row(
            escape(result.source.expert),
            result.source.network,
            escape(result.url),
            str(result.new_posts),
            escape(_status_text(result)),
            style="red" if result.status == "failed" else None,
        )
    if shown:
        console.print(table)

    for problem in report.problems:
        console.print(f"[yellow]{escape(_('warning'))}:[/] {escape(problem)}", highlight=False)
    for feed in report.stale:
        stale = _(
            "%(expert)s %(url)s failing for %(days)s days (over %(limit)s) since %(since)s: %(error)s",
            expert=feed.expert,
            url=feed.url,
            days=feed.days,
            limit=settings.stale_days,
            since=feed.failing_since,
            error=feed.last_error or "",
        )
        console.print(f"[yellow]{escape(_('stale'))}:[/] {escape(stale)}", highlight=False)
    for slug in report.removed:
        console.print(
            escape(_("removed snapshot of %(slug)s (no consent, no profile or no feed)", slug=slug)),
            highlight=False,
        )
    failed = sum(result.status == "failed" for result in report.results)
    unchanged = sum(result.status == "not-modified" for result in report.results)
    console.print(
        escape(
            _(
                "%(feeds)s, %(failed)s failed, %(unchanged)s not modified, %(posts)s, snapshots updated: "
                "%(written)s",
                feeds=ngettext("%(num)s feed", "%(num)s feeds", len(report.results)),
                failed=number(failed),
                unchanged=number(unchanged),
                posts=ngettext(
                    "%(num)s new post", "%(num)s new posts", sum(r.new_posts for r in report.results)
                ),
                written=number(len(report.written)),
            )
        ),
        highlight=False,
    )


def _status_text(result: FeedResult) -> str:
    if result.status == "failed":
        return _("failed: %(error)s", error=result.error)
    return _("not modified") if result.status == "not-modified" else _("ok")
