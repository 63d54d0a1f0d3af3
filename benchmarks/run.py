"""ambassade's benchmark: ``invoke bench`` or ``python -m benchmarks.run --size small``.

Generates a synthetic company (benchmarks/synth.py) outside the repository's
content, then measures, side by side in each round, plain Pelican and our
build on the same articles, our rebuilds after one edit, and the fetch of the
experts' feeds from a local server that waits ``--delay`` seconds per request.
Every measurement runs in a process of its own (benchmarks/measure.py), so
peak memory is that process's and its largest child's. Rounds are repeated
(``--repeat``) and medians reported, with each ratio also taken round by round
(a loaded machine slows both sides of a round alike). Each measurement builds
into a new folder; the run removes them all at its end. Prints a table and
writes the figures as JSON (``--out``, default benchmarks/results.json).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from .synth import SIZES, Company, generate

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

BUILD_KINDS = [
    "plain_cold",
    "ours_first",
    "ours_cold",
    "ours_cold_sequential",
    "ours_cold_nosearch",
    "ours_edit_article",
    "ours_edit_profile",
    "ours_noop",
    "ours_edit_article_nosearch",
    "ours_edit_profile_nosearch",
    "plain_edit",
    "search_transfer",
]
FETCH_KINDS = ["fetch_cold", "fetch_304"]
LABELS = {
    "plain_cold": "plain Pelican, cold (default theme, no plugin)",
    "plain_edit": "plain Pelican + content cache, one article edited",
    "ours_first": "ambassade build, first (every photo and card made, on every core)",
    "ours_cold": "ambassade build, cold (all pages, search index; photos and cards already made)",
    "ours_cold_sequential": "ambassade build, cold, SPEED off (sequential)",
    "ours_cold_nosearch": "ambassade build, cold, no search index (the pages alone)",
    "ours_edit_article": "ambassade rebuild, one article edited",
    "ours_edit_profile": "ambassade rebuild, one profile edited",
    "ours_noop": "ambassade rebuild, nothing changed",
    "ours_edit_article_nosearch": "ambassade rebuild, one article edited, no search index",
    "ours_edit_profile_nosearch": "ambassade rebuild, one profile edited, no search index",
    "search_transfer": "a search in the browser, slowest of some typical queries (bytes: the most loaded)",
    "fetch_cold": "fetch {feeds} feeds, {delay:g} s latency each",
    "fetch_304": "fetch again, every feed 304",
}
# ratio name: (numerator, denominator, target or None)
RATIOS = {
    "cold_vs_plain": ("ours_cold", "plain_cold", 1.0),
    "first_vs_plain": ("ours_first", "plain_cold", 2.5),
    "sequential_vs_plain": ("ours_cold_sequential", "plain_cold", None),
    "cold_vs_sequential": ("ours_cold", "ours_cold_sequential", None),
    "cold_nosearch_vs_plain": ("ours_cold_nosearch", "plain_cold", None),
    "edit_article_vs_cold": ("ours_edit_article", "ours_cold", 0.15),
    "edit_profile_vs_cold": ("ours_edit_profile", "ours_cold", 0.15),
    "noop_vs_cold": ("ours_noop", "ours_cold", None),
    "edit_article_nosearch_vs_cold": ("ours_edit_article_nosearch", "ours_cold", None),
    "edit_profile_nosearch_vs_cold": ("ours_edit_profile_nosearch", "ours_cold", None),
    "plain_edit_vs_plain_cold": ("plain_edit", "plain_cold", None),
}
FEEDS = {"tiny": 20}
# On a file system without a journal (ext4 can run so, as on the machine these
# figures come from), making a file skips, one by one, the inodes freed in the
# last 30 seconds: removing the last round's output (20,000 files) just before a
# cold build added 6 s of CPU and 3.5 s of time to it at the default size. Each
# measurement builds into a folder of its own, all removed once the run is over;
# what an interrupted run left is removed first, and measuring waits this long.
SETTLE_SECONDS = 35


def _measure(kind: str, args: argparse.Namespace, work: Path, site: Path, port: int, n: int) -> dict:
    cmd = [
        sys.executable,
        "-m",
        "benchmarks.measure",
        kind,
        "--work",
        str(work),
        "--round",
        str(n),
        "--port",
        str(port),
        "--workers",
        str(args.fetch_workers),
    ]
    if site is not None:
        cmd += ["--site", str(site)]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        raise SystemExit(f"{kind} failed (exit {done.returncode}):\n{done.stderr[-3000:]}")
    return json.loads(lines[-1])


def _fetch_profiles(experts: Path, feeds: int, port: int) -> None:
    experts.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(ROOT / "experts" / "schema.json", experts / "schema.json")
    for old in experts.glob("*.yml"):
        old.unlink()
    for n in range(feeds):
        slug = f"expert-{n:05d}"
        (experts / f"{slug}.yml").write_text(
            "# yaml-language-server: $schema=schema.json\n"
            f"name: Expert {n}\nrole: Consultant\npublished: true\nsocial_feed: true\n"
            f'feeds: ["http://127.0.0.1:{port}/feed/{slug}.xml"]\n',
            encoding="utf-8",
        )


def _company(args: argparse.Namespace, factor: int = 1) -> tuple[str, Company]:
    experts, articles, posts = SIZES[args.size]
    experts = args.experts or experts
    articles = args.articles or articles
    posts = args.posts if args.posts is not None else posts
    name = (
        args.size
        if not (args.experts or args.articles or args.posts is not None)
        else f"custom-{experts}-{articles}-{posts}"
    )
    if factor != 1:
        name += f"-x{factor}"
    return name, Company(experts * factor, articles * factor, posts * factor)


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="invoke bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=list(SIZES), default="default")
    parser.add_argument("--experts", type=int)
    parser.add_argument("--articles", type=int)
    parser.add_argument("--posts", type=int)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--feeds", type=int, help="feeds fetched (default 1000; 20 at tiny size)")
    parser.add_argument("--delay", type=float, default=0.2, help="seconds the feed server waits per request")
    parser.add_argument("--fetch-workers", type=int, default=128, help="SOCIAL['workers'] for the fetch rows")
    parser.add_argument(
        "--scaling", action="store_true", help="also build twice the content (cold, ours and plain)"
    )
    parser.add_argument("--only", help="comma-separated kinds to measure (default: all)")
    parser.add_argument("--workdir", type=Path, default=HERE / "out")
    parser.add_argument("--out", type=Path, default=HERE / "results.json")
    args = parser.parse_args(argv)

    name, company = _company(args)
    feeds = args.feeds or FEEDS.get(args.size, 1000)
    kinds = BUILD_KINDS + FETCH_KINDS
    if args.only:
        kinds = [k for k in kinds if k in args.only.split(",")]
    started = time.time()
    work = args.workdir / name / "work"
    settled = time.monotonic() + (SETTLE_SECONDS if work.exists() else 0)
    shutil.rmtree(work, ignore_errors=True)
    print(
        f"generating {company.experts} experts, {company.articles} articles, {company.posts} posts…",
        file=sys.stderr,
    )
    site = generate(company, args.workdir / name / "site")
    scaled = None
    if args.scaling:
        scaled_name, scaled_company = _company(args, 2)
        scaled = generate(scaled_company, args.workdir / scaled_name / "site")

    server = None
    port = 0
    if any(k.startswith("fetch") for k in kinds):
        server = subprocess.Popen(
            [sys.executable, "-m", "benchmarks.feedserver", "--delay", str(args.delay), "--lifetime", "7200"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        port = int(server.stdout.readline())
        fetch_work = args.workdir / name / "fetch"
        _fetch_profiles(fetch_work / "experts", feeds, port)

    runs: dict[str, list[dict]] = {k: [] for k in kinds}
    if scaled is not None:
        runs.update({"ours_cold_x2": [], "plain_cold_x2": []})
    if (wait := settled - time.monotonic()) > 0:
        print(f"waiting {wait:.0f} s: the last run's folders were just removed", file=sys.stderr)
        time.sleep(wait)
    try:
        for n in range(args.repeat):
            for kind in kinds:
                if kind.startswith("fetch"):
                    result = _measure(kind, args, fetch_work, None, port, n)
                else:
                    result = _measure(kind, args, work / f"{kind}-{n + 1}", site, port, n)
                runs[kind].append(result)
                print(
                    f"round {n + 1}/{args.repeat} {kind:22} {result['seconds']:8.2f} s "
                    f"{max(result['rss_mb'], result['children_rss_mb']):7.0f} MB",
                    file=sys.stderr,
                )
            if scaled is not None:
                for kind in ("ours_cold", "plain_cold"):
                    result = _measure(kind, args, work / f"{kind}_x2-{n + 1}", scaled, port, n)
                    runs[f"{kind}_x2"].append(result)
                    print(
                        f"round {n + 1}/{args.repeat} {kind + '_x2':22} {result['seconds']:8.2f} s",
                        file=sys.stderr,
                    )
    finally:
        if server is not None:
            server.terminate()
            server.wait()
        shutil.rmtree(work, ignore_errors=True)

    rows = {}
    for kind, results in runs.items():
        if not results:
            continue
        rows[kind] = {
            "label": LABELS.get(kind, kind.replace("_x2", " (content ×2)")).format(
                feeds=feeds, delay=args.delay
            ),
            "seconds": round(_median([r["seconds"] for r in results]), 3),
            "cpu_seconds": round(_median([r.get("cpu_seconds", float("nan")) for r in results]), 3),
            "runs": [round(r["seconds"], 3) for r in results],
            "peak_rss_mb": round(max(r["rss_mb"] for r in results), 1),
            "children_peak_rss_mb": round(max(r["children_rss_mb"] for r in results), 1),
        }
        for key in ("pages", "quick", "feeds", "statuses", "bytes", "per_query"):
            if key in results[-1]:
                rows[kind][key] = results[-1][key]
    ratios = {}
    all_ratios = dict(RATIOS)
    if scaled is not None:
        all_ratios["double_vs_single"] = ("ours_cold_x2", "ours_cold", 2.2)
        all_ratios["plain_double_vs_single"] = ("plain_cold_x2", "plain_cold", None)
    for key, (num, den, target) in all_ratios.items():
        if num in rows and den in rows:
            per_round = [a["seconds"] / b["seconds"] for a, b in zip(runs[num], runs[den], strict=False)]
            ratios[key] = {
                "of_medians": round(rows[num]["seconds"] / rows[den]["seconds"], 3),
                "median_per_round": round(_median(per_round), 3),
                "cpu": round(rows[num]["cpu_seconds"] / rows[den]["cpu_seconds"], 3),
                "target": target,
                "met": None if target is None else _median(per_round) <= target,
            }
    targets = {}
    for kind, limit in (("fetch_cold", 10.0), ("fetch_304", 3.0)):
        if kind in rows:
            targets[f"{kind}_seconds"] = {
                "value": rows[kind]["seconds"],
                "target": limit,
                "met": rows[kind]["seconds"] <= limit,
            }
    if "search_transfer" in rows:
        # What a visitor's browser downloads for one search, index parts merged (Pagefind's
        # chunks, filters and the fragments shown): the default size must stay under 10 MB.
        mb = round(rows["search_transfer"]["bytes"] / 1e6, 2)
        targets["search_transfer_mb"] = {"value": mb, "target": 10, "met": mb <= 10}
    peak = max(
        (max(r["peak_rss_mb"], r["children_peak_rss_mb"]) for k, r in rows.items() if k.startswith("ours")),
        default=0,
    )
    targets["peak_memory_mb"] = {"value": peak, "target": 1024, "met": peak <= 1024}
    for key, ratio in ratios.items():
        if ratio["target"] is not None:
            targets[key] = {
                "value": ratio["median_per_round"],
                "target": ratio["target"],
                "met": ratio["met"],
            }

    report = {
        "date": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "load_before": os.getloadavg()[0] if hasattr(os, "getloadavg") else None,
        },
        "size": {
            "name": name,
            "experts": company.experts,
            "articles": company.articles,
            "posts": company.posts,
            "feeds": feeds,
            "delay": args.delay,
            "fetch_workers": args.fetch_workers,
        },
        "repeat": args.repeat,
        "rows": rows,
        "ratios": ratios,
        "targets": targets,
        "elapsed_seconds": round(time.time() - started, 1),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(table(report))
    return 0


def table(report: dict) -> str:
    """The results as a Markdown table, then the ratios and targets."""
    size = report["size"]
    lines = [
        f"{size['experts']} experts, {size['articles']} articles, {size['posts']} posts; "
        f"{report['repeat']} rounds, median; {report['machine']['cpus']} CPUs",
        "",
        "| measurement | wall s (median) | runs | CPU s (median) | peak RSS MB (process / largest child) |",
        "| --- | ---: | --- | ---: | ---: |",
    ]
    for row in report["rows"].values():
        runs = ", ".join(f"{s:.2f}" for s in row["runs"])
        lines.append(
            f"| {row['label']} | {row['seconds']:.2f} | {runs} | {row['cpu_seconds']:.2f} | "
            f"{row['peak_rss_mb']:.0f} / {row['children_peak_rss_mb']:.0f} |"
        )
    lines += [
        "",
        "| ratio (wall) | of medians | median per round | CPU time | target |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    for key, ratio in report["ratios"].items():
        target = (
            "" if ratio["target"] is None else f"≤ {ratio['target']} ({'met' if ratio['met'] else 'NOT met'})"
        )
        lines.append(
            f"| {key} | {ratio['of_medians']:.3f} | {ratio['median_per_round']:.3f} | "
            f"{ratio['cpu']:.3f} | {target} |"
        )
    for key, target in report["targets"].items():
        if key in report["ratios"]:
            continue
        lines.append(
            f"| {key} | {target['value']} | | | ≤ {target['target']} "
            f"({'met' if target['met'] else 'NOT met'}) |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
