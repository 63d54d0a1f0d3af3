"""One measurement, in its own process: ``python -m benchmarks.measure KIND --site DIR --work DIR``.

Prints one JSON line: seconds (wall clock of the measured step only), the peak
resident memory of this process and of its largest child (forked renderers,
Pagefind, the checking process), in MB. Kinds:

``plain_cold``           plain Pelican 4.12, default theme, no plugin, same content, empty output
``plain_edit``           the same with Pelican's content cache, after editing one article
``ours_first``           ``ambassade.build.build`` with pelicanconf.py, no output, no cache at all: every
                         photo re-encoded and every card drawn (the first build of a site)
``ours_cold``            the same, no output and no cache but the photos and cards already made (kept
                         under ``CACHE_PATH/ambassade/``, shared by the measurements of a run)
``ours_cold_sequential`` the same with ``SPEED = {"enabled": False}`` (plain sequential Pelican + plugins)
``ours_cold_nosearch``   ``ours_cold`` without the search index: what the pages cost, apart from Pagefind
``ours_edit_article``    a build, one article's text edited, then the measured build (livereload loop)
``ours_edit_profile``    a build, one profile's role edited, then the measured build
``ours_noop``            a build, then the measured build with nothing changed
``ours_edit_article_nosearch`` as ``ours_edit_article`` without the search index (what Pagefind costs)
``ours_edit_profile_nosearch`` as ``ours_edit_profile`` without the search index
``search_transfer``      a build (not timed), then what a browser downloads for typical searches
                         (benchmarks/searchload.py): "seconds" is the slowest answer, "bytes" the most
``fetch_cold``           ``social.command.run_fetch`` of every feed of ``--experts`` (empty snapshots)
``fetch_304``            the same again: every feed answers 304 Not Modified
"""

from __future__ import annotations

import argparse
import json
import logging
import multiprocessing
import os
import resource
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _plain_settings(site: Path, output: Path, cache: Path, cached: bool) -> dict:
    from pelican.settings import read_settings

    return read_settings(
        None,
        override={
            "PATH": str(site / "content"),
            "OUTPUT_PATH": str(output),
            "CACHE_PATH": str(cache),
            "TIMEZONE": "Europe/Paris",
            "DEFAULT_LANG": "fr",
            "SITEURL": "",
            "ARTICLE_PATHS": ["articles"],
            "PAGE_PATHS": ["pages"],
            "STATIC_PATHS": ["images"],
            "CACHE_CONTENT": cached,
            "LOAD_CONTENT_CACHE": cached,
        },
    )


def _plain(site: Path, output: Path, cache: Path, cached: bool) -> None:
    from pelican import Pelican

    Pelican(_plain_settings(site, output, cache, cached)).run()


def _ours(site: Path, output: Path, cache: Path, enabled: bool = True, search: bool = True) -> None:
    from ambassade.build import build
    from benchmarks.synth import overrides

    values = overrides(site, output, cache)
    values["SPEED"] = {"enabled": enabled}
    if not search:
        values["DISCOVERY"] = {"search": False}
    build(ROOT / "pelicanconf.py", overrides=values)


def _made_images(site: Path, work: Path, cache: Path) -> None:
    """``cache`` with the photos and cards already made, and nothing else: they are made once per
    run (an untimed build, the first time), in a folder every measurement of the run links to."""
    shared = work.parent / f"images-{site.parent.name}"  # one per company: the content ×2 has its own
    if not shared.is_dir():
        making = work.parent / f"images-{site.parent.name}.making"
        shutil.rmtree(making, ignore_errors=True)
        # In a process of its own: what a build keeps in memory (conversions, digests) would make
        # the measured build, in this one, warmer than a cold one.
        child = multiprocessing.get_context("fork").Process(
            target=_ours, args=(site, work / "images-output", making)
        )
        child.start()
        child.join()
        if child.exitcode != 0:
            raise SystemExit(f"the build making the photos and cards failed ({child.exitcode})")
        os.rename(making / "ambassade", shared)
        shutil.rmtree(making)
        shutil.rmtree(work / "images-output")
    cache.mkdir(parents=True, exist_ok=True)
    (cache / "ambassade").symlink_to(shared, target_is_directory=True)


def _edit_article(site: Path, n: int) -> None:
    articles = sorted((site / "content" / "articles").glob("*.md"))
    path = articles[len(articles) // 2]
    path.write_text(
        path.read_text(encoding="utf-8") + f"\nUne phrase ajoutée pendant la mesure n° {n}.\n",
        encoding="utf-8",
    )


def _edit_profile(site: Path, n: int) -> None:
    profiles = sorted((site / "experts").glob("*.yml"))
    path = next(
        p for p in profiles[len(profiles) // 2 :] if "published: true" in p.read_text(encoding="utf-8")
    )
    lines = path.read_text(encoding="utf-8").split("\n")
    lines = [f"role: Architecte cloud (mesure {n})" if line.startswith("role:") else line for line in lines]
    path.write_text("\n".join(lines), encoding="utf-8")


def _fetch(experts: Path, port: int, workers: int) -> dict:
    from rich.console import Console

    from plugins.social.command import run_fetch

    with open(os.devnull, "w") as devnull:
        site = {"experts_path": str(experts), "social_path": str(experts.parent / "data" / "social")}
        report = run_fetch(
            {
                "SOCIAL": {
                    "allow_http": True,
                    "allow_addresses": ["127.0.0.1"],
                    "workers": workers,
                    "health_path": str(experts.parent / "cache" / "social-feeds.json"),
                },
                "SITEURL": "",
                "SITE": site,
            },
            console=Console(file=devnull),
        )
    statuses: dict[str, int] = {}
    for result in report.results:
        statuses[result.status] = statuses.get(result.status, 0) + 1
    return {"feeds": len(report.results), "statuses": statuses}


def _cpu() -> float:
    """CPU seconds of this process and of every child it waited for (renderers, Pagefind…)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("kind")
    parser.add_argument("--site", type=Path)
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--round", type=int, default=0)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--workers", type=int, default=8)
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)  # the generated content warns about nothing we measure
    work = args.work
    output, cache = work / "output", work / "cache"
    extra: dict = {}
    kind = args.kind
    if kind.startswith(("plain", "ours", "search")):
        # Measured edits change the site; each measurement works on its own copy. (run.py
        # gives each measurement a new folder: see SETTLE_SECONDS there.)
        site = work / "site"
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        shutil.copytree(args.site, site, copy_function=os.link)
        for path in (site / "content" / "articles").glob("*.md"):  # edits must not reach the shared copy
            data = path.read_bytes()
            path.unlink()
            path.write_bytes(data)
        for path in (site / "experts").glob("*.yml"):
            data = path.read_bytes()
            path.unlink()
            path.write_bytes(data)
    if kind == "plain_cold":
        start, cpu_start = time.perf_counter(), _cpu()
        _plain(site, output, cache, cached=False)
    elif kind == "plain_edit":
        _plain(site, output, cache, cached=True)
        _edit_article(site, args.round)
        start, cpu_start = time.perf_counter(), _cpu()
        _plain(site, output, cache, cached=True)
    elif kind == "ours_first":
        start, cpu_start = time.perf_counter(), _cpu()
        _ours(site, output, cache)
    elif kind in ("ours_cold", "ours_cold_sequential", "ours_cold_nosearch"):
        _made_images(site, work, cache)
        start, cpu_start = time.perf_counter(), _cpu()
        _ours(
            site, output, cache, enabled=kind != "ours_cold_sequential", search=kind != "ours_cold_nosearch"
        )
    elif kind in (
        "ours_edit_article",
        "ours_edit_profile",
        "ours_noop",
        "ours_edit_article_nosearch",
        "ours_edit_profile_nosearch",
    ):
        search = not kind.endswith("_nosearch")
        _made_images(site, work, cache)
        _ours(site, output, cache, search=search)
        # A contributor saves once the preview has reloaded: the last build's background
        # work (emptying the output it replaced, for the next build to reuse) is over.
        from ambassade.build import settle

        settle()
        if kind.startswith("ours_edit_article"):
            _edit_article(site, args.round)
        elif kind.startswith("ours_edit_profile"):
            _edit_profile(site, args.round)
        start, cpu_start = time.perf_counter(), _cpu()
        _ours(site, output, cache, search=search)
        from plugins.speed.writer import stats

        extra["pages"] = stats()
        from plugins.speed.quick import stats as quick_stats

        extra["quick"] = bool(quick_stats().get("quick"))
    elif kind == "search_transfer":
        _ours(site, output, cache)
        from benchmarks.searchload import measure

        start, cpu_start = time.perf_counter(), _cpu()
        found = measure(output)
        extra.update(bytes=found["bytes"], per_query=found["per_query"])
        start = time.perf_counter() - found["seconds"]
    elif kind in ("fetch_cold", "fetch_304"):
        experts = work / "experts"
        if kind == "fetch_cold":
            shutil.rmtree(work / "data", ignore_errors=True)
        start, cpu_start = time.perf_counter(), _cpu()
        extra.update(_fetch(experts, args.port, args.workers))
    else:
        parser.error(f"unknown kind {kind}")
    seconds = time.perf_counter() - start
    cpu = _cpu() - cpu_start
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "kind": kind,
                "seconds": seconds,
                "cpu_seconds": round(cpu, 3),
                "rss_mb": round(own, 1),
                "children_rss_mb": round(children, 1),
                **extra,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
