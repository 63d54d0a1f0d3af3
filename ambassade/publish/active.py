"""Active content in a built site: what would run, redirect or post elsewhere in a visitor's browser.

The contributors' HTML is checked (``check``) and sanitized (the build) by one
policy (:mod:`ambassade.html_policy`); this is the last look, at the files
that would be deployed, whatever put them there. A page may run the theme's
own script files and carry JSON-LD data blocks; nothing else runs: no other
script, no ``on*`` handler, no ``javascript:``, ``data:`` or ``vbscript:``
URL, no ``object``, ``embed``, ``iframe`` or ``base``, no form posting to
another origin, no refresh to another origin, no inline style. An SVG file
of the site carries no script or handler either.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

from bs4 import BeautifulSoup

from ..diagnostics import Finding
from ..html_policy import url_scheme
from ..i18n import _
from .problems import at

RULE = "publish-active"

#: Where the theme's scripts are served from: its static folder, and Pagefind's.
SCRIPT_FOLDERS = ("pagefind/",)
DATA_SCRIPT_TYPES = {"application/ld+json", "application/json"}
EMBEDDING = ("object", "embed", "iframe", "frame", "frameset", "applet", "base", "portal")
ACTIVE_SCHEMES = {"javascript", "vbscript", "data"}
#: Attributes naming a URL a browser follows or loads.
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "poster", "data", "cite", "background", "xlink:href")
_REFRESH_URL = re.compile(r"url\s*=\s*['\"]?([^'\"]*)", re.IGNORECASE)
_SVG_ACTIVE = re.compile(rb"<script|\son[a-z]+\s*=|javascript:|<foreignobject", re.IGNORECASE)


def page_problems(
    rel: str, soup: BeautifulSoup, origin: tuple[str, str], theme_static: str, redirects: tuple[str, ...] = ()
) -> Iterator[Finding]:
    """Everything of one page that would run, redirect or post elsewhere.

    Pages under the ``redirects`` folders (the short links of the share kit, ``SHARING``) are the
    site's own redirects to the pages it shares: they may refresh to another origin, over https.
    """
    leads_out = rel.startswith(tuple(f"{folder.strip('/')}/" for folder in redirects if folder))
    own_scripts = (f"{theme_static.strip('/')}/", *SCRIPT_FOLDERS)
    for el in soup.find_all(True):
        name = el.name.lower()
        if name == "script":
            yield from _script(rel, el, origin, own_scripts)
        elif name in EMBEDDING:
            yield _active(rel, _("the page embeds <%(tag)s>", tag=name), _expected())
        elif name == "style":
            yield _active(rel, _("the page has an inline <style> element"), _expected())
        elif name == "meta" and str(el.get("http-equiv", "")).lower() == "refresh":
            yield from _refresh(rel, str(el.get("content", "")), origin, leads_out)
        elif name == "form":
            action = str(el.get("action") or "")
            if _elsewhere(action, origin):
                yield _active(rel, _("a form posts to %(url)s", url=action), _expected())
        for attribute, value in el.attrs.items():
            attribute = attribute.lower()
            if attribute.startswith("on"):
                yield _active(
                    rel, _("<%(tag)s> has the event handler %(name)s", tag=name, name=attribute), _expected()
                )
            elif attribute == "style":
                yield _active(rel, _("<%(tag)s> has an inline style attribute", tag=name), _expected())
            elif attribute in URL_ATTRIBUTES or attribute == "srcset":
                text = " ".join(value) if isinstance(value, list) else str(value)
                scheme = url_scheme(text)
                if scheme in ACTIVE_SCHEMES:
                    yield _active(
                        rel,
                        _("<%(tag)s %(name)s> is a %(scheme)s: URL", tag=name, name=attribute, scheme=scheme),
                        _expected(),
                    )


def _script(rel: str, el, origin: tuple[str, str], own: tuple[str, ...]) -> Iterator[Finding]:
    kind = str(el.get("type") or "").lower()
    src = el.get("src")
    if not src:
        if kind in DATA_SCRIPT_TYPES:
            return
        yield _active(rel, _("the page has an inline script"), _expected())
        return
    path = _site_path(str(src), origin)
    # A site served under a path (https://host/site/) names its folders after that path.
    if path is None or not any(f"/{path}".find(f"/{folder}") >= 0 for folder in own):
        yield _active(rel, _("the script %(src)s is not one of the theme's", src=src), _expected())


def _refresh(rel: str, content: str, origin: tuple[str, str], leads_out: bool = False) -> Iterator[Finding]:
    found = _REFRESH_URL.search(content)
    target = found.group(1).strip() if found else ""
    if leads_out and url_scheme(target) == "https":
        return
    if url_scheme(target) in ACTIVE_SCHEMES or _elsewhere(target, origin):
        yield _active(rel, _("the page refreshes to %(url)s", url=target or content), _expected())


def _elsewhere(url: str, origin: tuple[str, str]) -> bool:
    """Does ``url`` lead to another origin (or run code)?"""
    scheme = url_scheme(url)
    if scheme in ACTIVE_SCHEMES:
        return True
    parts = urlsplit(url.strip())
    if not parts.netloc and not url.strip().startswith("//"):
        return scheme not in (None, "http", "https")
    return ((parts.scheme or origin[0]), parts.netloc) != origin


def _site_path(url: str, origin: tuple[str, str]) -> str | None:
    """The path of ``url`` in the site, relative to its root, or None when it is elsewhere."""
    if _elsewhere(url, origin):
        return None
    path = urlsplit(url.strip()).path
    # Relative URLs of the preview (../theme/js/x.js) name the same folders.
    parts = [p for p in path.split("/") if p not in ("", ".", "..")]
    return "/".join(parts)


def file_problems(root: Path, rels: list[str]) -> Iterator[Finding]:
    """SVG files of the site that carry a script or an event handler (opened directly, they run)."""
    for rel in rels:
        if rel.lower().endswith((".svg", ".svgz")):
            try:
                data = (root / rel).read_bytes()[:4_000_000]
            except OSError:
                continue
            if _SVG_ACTIVE.search(data):
                yield _active(rel, _("the SVG file holds a script or an event handler"), _expected())


def _active(rel: str, message: str, expected: str) -> Finding:
    return at(rel, RULE, message, expected)


def _expected() -> str:
    return _("nothing that runs, redirects or posts elsewhere: the theme's own scripts only")
