"""The "fetch social posts" command: profiles in, snapshots out, a report on screen.

Meant to run on a schedule (CI) and by hand. A network problem of one feed is
never an error of the command: it shows up in the summary and the feed keeps
its last good posts. When every feed failed the command exits 1 (the network,
the bridge or the settings are wrong: a scheduled refresh must fail visibly,
and propose nothing); invalid settings exit 2 before anything is fetched,
because then nothing it would do could be trusted.

A run that brought nothing new changes no file that is committed: the
snapshots hold posts only, and the feeds' health is kept apart (health.py).
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

from ambassade.i18n import _, ngettext
from ambassade.profiles import load_profiles
from ambassade.settings import SettingsError
from ambassade.site import experts_path, from_settings_folder, social_path
from ambassade.snapshots import SnapshotError, load_snapshot, snapshot_path

from .fetch import FeedResult, FeedState, fetch_all
from .health import StaleFeed, load_health, stale_feeds, update_health
from .images import IMAGES_FOLDER, remove_unused
from .settings import SocialSettings
from .snapshot import (
    feed_states,
    image_files,
    merge_snapshot,
    new_posts,
    remove_snapshots_except,
    write_snapshot,
)
from .sources import FeedSource, feeds_for

EXIT_OK = 0
EXIT_ALL_FAILED = 1
EXIT_BAD_SETTINGS = 2


@dataclass(frozen=True)
class FetchReport:
    """What a run did. ``exit_code`` is 0 even when some feeds failed, 1 when all did.

    ``kept`` counts, per feed URL of each expert, the new posts the snapshot kept.
    """

    exit_code: int
    results: list[FeedResult] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    stale: list[StaleFeed] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    kept: dict[tuple[str, str], int] = field(default_factory=dict)
    images_removed: list[str] = field(default_factory=list)

    def new_posts(self, result: FeedResult) -> int:
        """New posts of ``result`` that its snapshot kept (not those the cap dropped)."""
        return self.kept.get((result.source.expert, result.url), 0)


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
    health_file = from_settings_folder(settings_dict, settings.health_path)
    profiles, problems, broken = _load_profiles(experts_dir)
    plans = _plan_feeds(profiles, settings, problems)
    previous = {slug: _previous_snapshot(directory, slug, problems) for slug in plans}
    health = load_health(health_file)
    results = _fetch_with_progress(plans, previous, health, settings, console, directory / IMAGES_FOLDER)

    by_expert: dict[str, list[FeedResult]] = {slug: [] for slug in plans}
    for result in results:
        by_expert[result.source.expert].append(result)
    snapshots, kept, stale = {}, {}, []
    # A broken profile is not fetched, but its feeds' health is kept with its posts.
    new_health = {slug: feeds for slug, feeds in health.items() if slug in broken}
    for slug in plans:
        snapshots[slug] = merge_snapshot(
            previous[slug], slug, by_expert[slug], limit=settings.posts_per_expert
        )
        kept |= {(slug, url): n for url, n in new_posts(previous[slug], snapshots[slug]).items()}
        new_health[slug] = update_health(health.get(slug, {}), by_expert[slug], now)
        stale += stale_feeds(slug, new_health[slug], now, settings.stale_days)
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
    images_removed = remove_unused(directory / IMAGES_FOLDER, _images_shown(directory))
    write_snapshot(health_file, new_health)

    every_feed_failed = bool(results) and all(result.status == "failed" for result in results)
    code = EXIT_ALL_FAILED if every_feed_failed else EXIT_OK
    report = FetchReport(code, results, problems, stale, written, removed, kept, images_removed)
    _print_report(console, report, settings)
    return report


def _images_shown(directory: Path) -> set[str]:
    """The images named by every snapshot on disk (a broken profile's included)."""
    used: set[str] = set()
    for path in directory.glob("*.json") if directory.is_dir() else ():
        try:
            used |= image_files(load_snapshot(path))
        except SnapshotError:
            continue
    return used


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
    health: Mapping[str, Mapping[str, Any]],
    settings: SocialSettings,
    console: Console,
    image_dir: Path,
) -> list[FeedResult]:
    sources = [source for feeds in plans.values() for source in feeds]
    states: dict[FeedSource, FeedState] = {}
    for slug, feeds in plans.items():
        known = feed_states(previous[slug], health.get(slug, {}))
        states.update({source: known.get(source.url, FeedState()) for source in feeds})
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task(_("Fetching feeds"), total=len(sources))
        return fetch_all(
            sources, settings, states, image_dir=image_dir, on_result=lambda _r: progress.advance(task)
        )


# Up to this many feeds, the table lists every one; past it, only the failed ones
# (a thousand lines of "ok" would hide them), and the summary counts the rest.
TABLE_ALL_UP_TO = 50
# Past this many images not kept, the rest are counted, not listed.
IMAGE_PROBLEMS_SHOWN = 10


def _print_report(console: Console, report: FetchReport, settings: SocialSettings) -> None:
    shown = report.results
    title = _("Social feeds")
    failed = [r for r in report.results if r.status == "failed"]
    if len(shown) > TABLE_ALL_UP_TO:
        shown = failed
        title = _(
            "Social feeds that failed (%(failed)d of %(total)d)", failed=len(shown), total=len(report.results)
        )
    if shown:
        console.print(_feeds_table(title, shown, report))
    for problem in report.problems:
        _warn(console, problem)
    for result in report.results:
        if result.status == "ok" and result.entries and not result.posts:
            _warn(
                console,
                _(
                    "%(expert)s %(url)s answered with %(count)d entries but kept none (%(reasons)s)",
                    expert=result.source.expert,
                    url=result.url,
                    count=result.entries,
                    reasons=_skipped_text(result),
                ),
            )
    image_problems = [f"{r.source.expert}: {problem}" for r in report.results for problem in r.image_problems]
    for problem in image_problems[:IMAGE_PROBLEMS_SHOWN]:
        _warn(console, _("image not kept: %(problem)s", problem=problem))
    if len(image_problems) > IMAGE_PROBLEMS_SHOWN:
        _warn(
            console, _("and %(count)d more images not kept", count=len(image_problems) - IMAGE_PROBLEMS_SHOWN)
        )
    for feed in report.stale:
        message = _(
            "%(expert)s %(url)s failing for %(days)d days (over %(limit)d) since %(since)s: %(error)s",
            expert=feed.expert,
            url=feed.url,
            days=feed.days,
            limit=settings.stale_days,
            since=feed.failing_since,
            error=feed.last_error or "",
        )
        console.print(f"[yellow]{escape(_('stale:'))}[/] {escape(message)}", highlight=False)
    for slug in report.removed:
        console.print(
            escape(_("removed snapshot of %(expert)s (no consent, no profile or no feed)", expert=slug)),
            highlight=False,
        )
    unchanged = sum(result.status == "not-modified" for result in report.results)
    kept = sum(report.kept.values())
    console.print(
        escape(
            _(
                "%(feeds)d feeds, %(failed)d failed, %(unchanged)d not modified, %(posts)s, "
                "snapshots updated: %(written)d",
                feeds=len(report.results),
                failed=len(failed),
                unchanged=unchanged,
                posts=ngettext("%(count)d new post", "%(count)d new posts", kept, count=kept),
                written=len(report.written),
            )
        ),
        highlight=False,
    )
    if report.exit_code == EXIT_ALL_FAILED:
        console.print(
            f"[red]{escape(_('error:'))}[/] "
            + escape(_("every feed failed: nothing was fetched, the snapshots are as they were")),
            highlight=False,
        )


def _feeds_table(title: str, results: list[FeedResult], report: FetchReport) -> Table:
    # Readable at 80 columns: the address folds, the status wraps, nothing is cut off.
    table = Table(title=title, show_lines=False, pad_edge=False)
    table.add_column(_("Expert"), overflow="fold", ratio=2)
    table.add_column(_("Network"), no_wrap=True)
    table.add_column(_("Feed"), overflow="fold", ratio=4)
    table.add_column(_("New"), justify="right", no_wrap=True)
    table.add_column(_("Status"), overflow="fold", ratio=3)
    for result in sorted(results, key=lambda r: (r.source.expert, r.url)):
        table.add_row(
            escape(result.source.expert),
            result.source.network,
            escape(result.url),
            str(report.new_posts(result)),
            escape(_status_text(result)),
            style="red" if result.status == "failed" else None,
        )
    return table


def _warn(console: Console, message: str) -> None:
    console.print(f"[yellow]{escape(_('warning:'))}[/] {escape(message)}", highlight=False)


def _skipped_text(result: FeedResult) -> str:
    reasons = {
        "activity": _("activities (favourites, follows…)"),
        "deletion": _("deletions"),
        "empty": _("empty posts"),
        "no link, id or date": _("entries without a link, an id or a date"),
    }
    return ", ".join(
        f"{count} {reasons.get(reason, reason)}" for reason, count in sorted(result.skipped.items())
    )


def _status_text(result: FeedResult) -> str:
    if result.status == "failed":
        return _("failed: %(error)s", error=result.error)
    return _("not modified") if result.status == "not-modified" else _("ok")
