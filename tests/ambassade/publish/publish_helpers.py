"""Helpers of the publish tests: small built sites, a clock, and publishing them with the project's settings.

The sites here are already built (a few HTML files, a stylesheet, an image),
so that target tests take milliseconds; tests/test_publish.py builds real
ones with Pelican.
"""

from __future__ import annotations

import os
import textwrap
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from ambassade.publish import run
from ambassade.publish.manifest import tree_hash
from tests.support import PUBLISH_CONF, git, pushed, write_files

SVG = "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 10 10'><rect width='10' height='10'/></svg>"


def page(body: str, title: str = "Clairvoie") -> str:
    return textwrap.dedent(f"""\
        <!doctype html>
        <html lang="fr"><head><meta charset="utf-8"><title>{title}</title>
        <link rel="stylesheet" href="https://clairvoie.example/theme/css/site.css">
        <link rel="canonical" href="https://clairvoie.example/">
        <script src="/theme/js/search.js" defer></script></head>
        <body><main id="main">{body}</main></body></html>
        """)


#: A small production site: pages link to each other and load the site's own files only.
SITE_V1 = {
    "index.html": page(
        '<a href="/a-propos/">À propos</a> <a href="https://clairvoie.example/a-propos/#equipe">'
        'Équipe</a> <img src="/images/logo.svg" alt=""> <a href="https://www.linkedin.com/">in</a>'
    ),
    "a-propos/index.html": page('<h1 id="equipe">Équipe</h1><a href="../">Accueil</a>', "À propos"),
    "theme/css/site.css": "body { color: #111; background: url(../../images/logo.svg); }\n",
    "theme/js/search.js": "document.documentElement.dataset.js = 'on';\n",
    "images/logo.svg": SVG,
    "feeds/all.atom.xml": "<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom'/>\n",
    "pagefind/fragment/fr_1a2b3c.pf_fragment": b"\x1f\x8b\x08\x00fragment",
}
#: The web server's files a build writes beside the site (output-host/): never among what is served.
HOST_V1 = {"nginx-headers.conf": "add_header X-Content-Type-Options nosniff always;\n"}
#: The next version: index changed, an article added, the feed removed, everything else the same.
SITE_V2 = {
    **{k: v for k, v in SITE_V1.items() if k != "feeds/all.atom.xml"},
    "index.html": page(
        '<a href="/a-propos/">À propos</a> <a href="/articles/nouveau/">Nouveau</a>'
        ' <img src="/images/logo.svg" alt="">'
    ),
    "articles/nouveau/index.html": page("<article><h1>Nouveau</h1></article>", "Nouveau"),
}
SITE_V3 = {**SITE_V2, "a-propos/index.html": page('<h1 id="equipe">L’équipe</h1>', "À propos")}


def clock(start: datetime = datetime(2026, 11, 28, 10, 15, tzinfo=UTC)) -> Iterator[datetime]:
    """One instant per publish, a minute apart: release names that sort in publishing order."""
    n = 0
    while True:
        yield start + timedelta(minutes=n)
        n += 1


class Publisher:
    """Publishes built sites to one target with the project's publishconf.py, and remembers what it said."""

    def __init__(self, tmp: Path, publish_settings: dict[str, Any]):
        self.tmp = tmp
        self.settings = publish_settings
        self.times = clock()
        self.lines: list[str] = []
        self.sites: dict[str, Path] = {}
        # The sources the releases say they come from: a clean main, pushed (publish's guard).
        self.sources = pushed(write_files(tmp / "sources", {"content/articles/.keep": ""}))

    def site(self, name: str, files: dict[str, str | bytes], host: dict[str, str] | None = None) -> Path:
        """A built site, and the web server's files its build wrote beside it (``<name>-host``)."""
        if name not in self.sites:
            self.sites[name] = write_files(self.tmp / "sites" / name, files)
            if host:
                write_files(self.tmp / "sites" / f"{name}-host", host)
        return self.sites[name]

    @property
    def overrides(self) -> dict[str, Any]:
        return {"PUBLISH": self.settings, "PATH": str(self.sources / "content")}

    def publish(
        self, site: Path, *, dry_run: bool = False, checkpoint: Callable[[str], None] = lambda step: None
    ) -> run.Outcome:
        return run.publish(
            PUBLISH_CONF,
            overrides=self.overrides,
            site=site,
            dry_run=dry_run,
            now=next(self.times),
            checkpoint=checkpoint,
            say=self.lines.append,
        )

    def rollback(self, to: str | None = None) -> str:
        return run.rollback(PUBLISH_CONF, to=to, overrides=self.overrides, say=self.lines.append).name

    def releases(self) -> list:
        return run.releases(PUBLISH_CONF, overrides=self.overrides, say=self.lines.append)

    @property
    def commit(self) -> str:
        return git(self.sources, "rev-parse", "HEAD").strip()


def live_hash(root: Path) -> str:
    """The tree hash of what ``<root>/current`` serves."""
    return tree_hash((root / "current").resolve())


def hashes(*sites: Path) -> set[str]:
    return {tree_hash(s) for s in sites}


def under_ci() -> bool:
    """In CI a missing tool is a failure (.ci/run installs it), on a laptop a skip."""
    return bool(os.environ.get("CI"))
