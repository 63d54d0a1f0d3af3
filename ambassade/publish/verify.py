"""Is this built site fit to go live? Every reason it is not, each a finding with its rule id.

The production settings already leave drafts, scheduled articles and review
pages out; this check does not trust them. It reads the files that would be
deployed, so a settings mistake (``DRAFT_SAVE_AS`` left on, a preview build
published by hand) stops the publish instead of reaching visitors.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from bs4 import BeautifulSoup, Tag

from ambassade.diagnostics import Finding
from ambassade.i18n import _

from ..editor.settings import PATH as EDITOR_PATH
from ..publication import DRAFT_URL_SETTINGS, url_patterns
from . import active
from .manifest import files
from .problems import at
from .references import ParsedSite, place, reference_problems
from .settings import Publishing

#: The review report is for comms, in preview builds only; never allowed.
REVIEW_PATHS = ("review/",)

#: What the theme renders only in preview builds (theme/templates/base.html, article.html).
PREVIEW_MARKERS = ("preview-bar", "banner--draft", "banner--scheduled")

ARTICLE_URL_SETTINGS = ("ARTICLE_URL", "ARTICLE_LANG_URL")

#: Structured-data types whose ``datePublished`` is an article's date.
ARTICLE_TYPES = {"Article", "BlogPosting", "NewsArticle", "TechArticle"}

#: Elements that make the browser fetch something, and the attributes naming it.
LOADED = {
    "script": ("src",),
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "video": ("src", "poster"),
    "audio": ("src",),
    "iframe": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "image": ("href",),
    "use": ("href",),
}
LOADED_TAGS = [*LOADED, "link", "style"]
#: ``<link rel>`` values that load a resource (canonical, alternate, me… only name a page).
LOADING_RELS = {
    "stylesheet",
    "icon",
    "apple-touch-icon",
    "mask-icon",
    "preload",
    "modulepreload",
    "prefetch",
    "manifest",
}
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)|@import\s+['"]([^'"]+)""")


def _under(rel: str, path: str, languages: Iterable[str]) -> bool:
    """Is ``rel`` the file ``path``, or inside the folder ``path/``, in the default language or another?"""
    first, _, rest = rel.partition("/")
    for candidate in (rel, rest if first in languages else None):
        if candidate and (candidate == path or (path.endswith("/") and candidate.startswith(path))):
            return True
    return False


def _path_problems(rels: list[str], conf: Publishing) -> Iterator[Finding]:
    drafts = url_patterns(conf.pelican, DRAFT_URL_SETTINGS)
    editor, editor_seen = f"{EDITOR_PATH}/", False
    for rel in rels:
        if rel.startswith(editor):  # one problem for the whole folder
            if not editor_seen:
                editor_seen = True
                yield at(
                    editor,
                    "publish-editor",
                    _("the editor (/admin/) is in the production build"),
                    _('it belongs to the preview and the intranet copy only (EDITOR = {"enabled": False})'),
                )
            continue
        if any(p.match(rel) for p in drafts):
            yield at(
                rel,
                "publish-draft",
                _("a draft is in the production build"),
                _('drafts stay out of production (DRAFT_SAVE_AS = "" in publishconf.py)'),
            )
        elif any(_under(rel, p, conf.languages) for p in REVIEW_PATHS):
            yield at(
                rel,
                "publish-review",
                _("the review report is in the production build"),
                _("it belongs to preview builds only"),
            )
        elif not conf.allow_internal and any(_under(rel, p, conf.languages) for p in conf.internal_paths):
            yield at(
                rel,
                "publish-internal",
                _("an internal page is in the public build"),
                _(
                    'keep it out of the production build, or set PUBLISH["allow_internal"] = True '
                    "in %(file)s for a site behind a login",
                    file=conf.source,
                ),
            )


def _parse_date(value: str, tz: ZoneInfo) -> datetime | None:
    try:
        date = datetime.fromisoformat(value)
    except ValueError:
        return None
    return date if date.tzinfo else date.replace(tzinfo=tz)


def _json_ld_dates(soup: BeautifulSoup) -> Iterator[str]:
    """``datePublished`` of every article node in the page's JSON-LD blocks."""

    def walk(node: Any) -> Iterator[str]:
        if isinstance(node, list):
            for item in node:
                yield from walk(item)
        elif isinstance(node, dict):
            kind = node.get("@type")
            kinds = set(kind) if isinstance(kind, list) else {kind}
            if kinds & ARTICLE_TYPES and isinstance(node.get("datePublished"), str):
                yield node["datePublished"]
            for value in node.values():
                yield from walk(value)

    for block in soup.find_all("script", type="application/ld+json"):
        try:
            yield from walk(json.loads(block.string or ""))
        except json.JSONDecodeError:
            continue


def _article_date(soup: BeautifulSoup) -> str | None:
    """An article page's own date, when it has no structured data: its first ``<time datetime>``."""
    container = soup.find("article") or soup
    time = container.find("time", attrs={"datetime": True})
    return time["datetime"] if time else None


def _origin(conf: Publishing) -> tuple[str, str]:
    parts = urlsplit(conf.site_url)
    return parts.scheme or "https", parts.netloc


def _foreign(ref: str, origin: tuple[str, str]) -> str | None:
    """The origin of ``ref`` when it is not the site's own (``https://cdn.example``), else None."""
    parts = urlsplit(ref.strip())
    if not parts.netloc:
        return None
    scheme = parts.scheme or origin[0]
    return None if (scheme, parts.netloc) == origin else f"{scheme}://{parts.netloc}"


def _refs(el: Tag, attr: str) -> list[str]:
    value = el.get(attr) or el.get(f"xlink:{attr}") or ""
    if attr == "srcset":
        return [candidate.split()[0] for candidate in value.split(",") if candidate.strip()]
    return [value] if value else []


def _page_problems(site: ParsedSite, conf: Publishing, now: datetime) -> Iterator[Finding]:
    tz = ZoneInfo(conf.pelican.get("TIMEZONE") or "UTC")
    articles = url_patterns(conf.pelican, ARTICLE_URL_SETTINGS)
    origin = _origin(conf)
    for page in site.pages():
        rel, soup = site.rel(page), site.soup(page)
        for marker in PREVIEW_MARKERS:
            found = soup.find(class_=marker)
            if found:
                yield at(
                    rel,
                    "publish-preview",
                    _('the page carries the preview marker "%(marker)s"', marker=marker),
                    _("a production build (publishconf.py: PREVIEW = False), not a preview build"),
                    *place(found),
                )
                break
        url = rel.removesuffix("index.html")
        dates = list(_json_ld_dates(soup))
        if not dates and any(p.fullmatch(url) for p in articles):
            dates = [d for d in [_article_date(soup)] if d]
        for value in dates:
            date = _parse_date(value, tz)
            if date and date > now:
                yield at(
                    rel,
                    "publish-scheduled",
                    _("an article dated %(date)s is not published yet", date=value),
                    _("a scheduled article appears only from its date (WITH_FUTURE_DATES = False)"),
                )
        yield from _loaded_problems(rel, soup, origin)
        yield from active.page_problems(
            rel,
            soup,
            origin,
            conf.pelican.get("THEME_STATIC_DIR") or "theme",
            _redirect_folders(conf.pelican),
        )


def _redirect_folders(pelican: dict) -> tuple[str, ...]:
    """The folders of the site's own redirects to outside pages: the share kit's short links."""
    from ambassade.share import SharingSettings

    sharing = SharingSettings.of(pelican)
    return (sharing.short_links_path,) if sharing.short_links else ()


def _loaded_problems(rel: str, soup: BeautifulSoup, origin: tuple[str, str]) -> Iterator[Finding]:
    """What the page makes the browser fetch from another origin; one walk through the page."""
    for el in soup.find_all(LOADED_TAGS):
        if el.name == "style":
            yield from _css_problems(rel, el.get_text(), origin, place(el))
        elif el.name == "link":
            if el.get("href") and set(el.get("rel") or ()) & LOADING_RELS:
                yield from _foreign_problem(rel, f"link href={el['href']!r}", el["href"], origin, place(el))
        else:
            for attr in LOADED[el.name]:
                for ref in _refs(el, attr):
                    yield from _foreign_problem(rel, f"{el.name} {attr}={ref!r}", ref, origin, place(el))


def _foreign_problem(
    rel: str, what: str, ref: str, origin: tuple[str, str], where: tuple[int, int] = (1, 1)
) -> Iterator[Finding]:
    other = _foreign(ref, origin)
    if other:
        yield at(
            rel,
            "publish-third-party",
            _("%(element)s loads from %(origin)s", element=what, origin=other),
            _("only the site's own files: a visit must not reach a third party"),
            *where,
        )


def _css_problems(
    rel: str, css: str, origin: tuple[str, str], where: tuple[int, int] = (1, 1)
) -> Iterator[Finding]:
    for match in CSS_URL.finditer(css):
        ref = match.group(1) or match.group(2)
        what = f"url({ref!r})" if match.group(1) else f"@import {ref!r}"
        line = where[0] + css.count("\n", 0, match.start())
        yield from _foreign_problem(rel, what, ref, origin, (line, where[1] if line == where[0] else 1))


def verify(root: Path, conf: Publishing, now: datetime) -> list[Finding]:
    """Every reason the site in ``root`` must not be published; empty when it may."""
    site = ParsedSite(root)
    rels = [rel for rel, _path in files(root)]
    problems = [
        *_path_problems(rels, conf),
        *_page_problems(site, conf, now),
        *reference_problems(site, conf.site_url),
        *active.file_problems(root, rels),
    ]
    for rel in rels:
        if rel.endswith(".css"):
            css = (root / rel).read_text(encoding="utf-8", errors="replace")
            problems += _css_problems(rel, css, _origin(conf))
    return sorted(set(problems))
