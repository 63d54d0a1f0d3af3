"""What a publish changes, said by page: the dry run's report.

Every build rewrites the search index in many small files, and a theme change
touches every page: a list of files says little. This names the pages added,
changed and removed (title and URL), and counts the other files: the search
index apart, since one edited paragraph changes a dozen of its parts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bs4 import BeautifulSoup

from ambassade.i18n import _, ngettext

from .manifest import Changes

SEARCH_PREFIX = "pagefind/"
KINDS = ("added", "changed", "removed")


@dataclass(frozen=True)
class Page:
    url: str
    """``/articles/x/``: the address visitors type."""
    title: str


def url_of(rel: str) -> str:
    """A page's address from its file: ``articles/x/index.html`` → ``/articles/x/``."""
    return "/" + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)


def title_of(html: bytes | None, site_name: str = "") -> str:
    """The page's own title: its ``<h1>``, else its ``<title>`` without the site's name."""
    if not html:
        return ""
    soup = BeautifulSoup(html, "html.parser")
    heading = soup.find("h1")
    text = heading.get_text(" ", strip=True) if heading else ""
    if not text and soup.title:
        text = soup.title.get_text(" ", strip=True)
        for separator in (" — ", " | ", " - "):
            if site_name and text.endswith(separator + site_name):
                text = text[: -len(separator + site_name)]
    return " ".join(text.split())


def is_page(rel: str) -> bool:
    return rel.endswith(".html") and not rel.startswith(SEARCH_PREFIX)


def lines(
    changes: Changes, site: Path, live_file: Callable[[str], bytes | None], site_name: str = ""
) -> list[str]:
    """The dry run's lines: the pages of each kind of change, then the other files counted."""
    out = []
    labels = {
        "added": lambda n: ngettext("%(num)s page added:", "%(num)s pages added:", n),
        "changed": lambda n: ngettext("%(num)s page changed:", "%(num)s pages changed:", n),
        "removed": lambda n: ngettext("%(num)s page removed:", "%(num)s pages removed:", n),
    }
    marks = {"added": "+", "changed": "~", "removed": "-"}
    for kind, rels in zip(KINDS, (changes.added, changes.changed, changes.removed), strict=True):
        pages = [rel for rel in rels if is_page(rel)]
        if not pages:
            continue
        out.append("  " + labels[kind](len(pages)))
        for rel in sorted(pages, key=url_of):
            html = live_file(rel) if kind == "removed" else _read(site / rel)
            title = title_of(html, site_name)
            out.append(f"    {marks[kind]} {url_of(rel)}" + (f"  {title}" if title else ""))
    for label, keep in (
        (_("search index"), lambda rel: rel.startswith(SEARCH_PREFIX)),
        (
            _("other files (theme, images, feeds)"),
            lambda rel: not is_page(rel) and not rel.startswith(SEARCH_PREFIX),
        ),
    ):
        counts = [
            sum(1 for rel in rels if keep(rel)) for rels in (changes.added, changes.changed, changes.removed)
        ]
        if any(counts):
            out.append(
                "  "
                + _(
                    "%(what)s: %(added)s added, %(changed)s changed, %(removed)s removed",
                    what=label,
                    added=counts[0],
                    changed=counts[1],
                    removed=counts[2],
                )
            )
    return out or ["  " + _("nothing")]


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None
