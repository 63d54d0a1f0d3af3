"""Moved and deleted pages: the old addresses a page answers at, and the published ones that would vanish.

An article or a page lists the addresses it had before in its header
(``Redirect-From: /articles/ancien-titre/``, several separated by commas); a
profile in ``redirect_from:``. The build writes a redirect page at each of
them (the redirects plugin) and the host's 301 rules.

Against the branch's base, :func:`moves` finds every address that was
published and that the branch takes away: a file deleted, a title or a slug
changed, a profile renamed. :func:`vanished` makes a finding of each one that
no redirect covers, for ``invoke check --base`` and the review report. A
profile that is deleted or unpublished is a person withdrawing consent: their
page must go, no redirect is asked for.

Rule ids: ``redirect-from`` (a value that is not an address of the site, or
the page's own), ``redirect-missing`` (a published address taken away without
a redirect: an error when the page moved, a warning when it was deleted).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from ambassade import git
from ambassade.diagnostics import Finding, Severity, display_path
from ambassade.i18n import _
from ambassade.profiles import PROFILE_SUFFIXES
from ambassade.site import experts_path

from .. import dates
from . import frontmatter
from .context import Context
from .frontmatter import Document
from .slugs import article_slug

KEY = "redirect-from"
"""The header's key (``Redirect-From:``), as Pelican lower-cases it."""
PROFILE_KEY = "redirect_from"
SEPARATORS = re.compile(r"[,\s]+")
EXAMPLE = "Redirect-From: /articles/ancien-titre/"


def paths(value: Any) -> list[str]:
    """The addresses a ``Redirect-From`` value lists (one text, or Pelican's list for a repeated key)."""
    values = value if isinstance(value, list | tuple) else [value]
    return [part for v in values if isinstance(v, str) for part in SEPARATORS.split(v) if part]


def normalize(address: str) -> str | None:
    """``/articles/x/`` as the output's path ``articles/x/``; None when it is not an address of the site."""
    parts = urlsplit(address)
    if parts.scheme or parts.netloc or parts.query or parts.fragment or not address.startswith("/"):
        return None
    path = parts.path.lstrip("/")
    segments = path.split("/")
    if not path or any(s in (".", "..") for s in segments) or "\\" in path:
        return None
    return path


def save_as(path: str) -> str:
    """Where the redirect page of ``path`` is written: a folder's ``index.html``, or the file itself."""
    if path.endswith("/"):
        return f"{path}index.html"
    if path.endswith((".html", ".htm")):
        return path
    return f"{path}/index.html"


def url_of(save_as_path: str) -> str:
    """The address a written file answers at: ``articles/x/index.html`` → ``articles/x/``."""
    return save_as_path[: -len("index.html")] if save_as_path.endswith("index.html") else save_as_path


def redirects_valid(doc: Document, ctx: Context) -> Iterator[Finding]:
    """Each ``Redirect-From`` value is an address of this site, other than the page's own."""
    if not doc.all(KEY):
        return
    own = document_url(doc, ctx)
    for field in doc.all(KEY):
        for address in paths(field.value):
            col = field.col + max(field.value.find(address), 0)
            path = normalize(address)
            if path is None:
                yield Finding(
                    ctx.where(doc),
                    field.line,
                    col,
                    "redirect-from",
                    _("'%(address)s' is not an address of this site", address=address),
                    _(
                        "the old address as it appeared after the site's name, from its first /, "
                        "e.g. '%(example)s'",
                        example=EXAMPLE,
                    ),
                )
            elif own is not None and url_of(save_as(path)) == own:
                yield Finding(
                    ctx.where(doc),
                    field.line,
                    col,
                    "redirect-from",
                    _("'%(address)s' is this page's own address", address=address),
                    _("only the addresses it had before, which the build redirects here"),
                )


# -- where a source's page is ---------------------------------------------------------------------------


def document_url(doc: Document, ctx: Context, *, page: bool | None = None) -> str | None:
    """The output path of ``doc``'s page once published (``articles/x/``), or None: a draft, hidden,
    scheduled after now, or a pattern that cannot be filled."""
    status = doc.value("status").strip().lower()
    if status in ("draft", "hidden"):
        return None
    if page is None:
        page = _is_page(doc.path, ctx)
    date = dates.parse(doc.value("date"), ctx.settings) if doc.value("date") else None
    if not page and date is not None and date > dt.datetime.now(dt.UTC):
        return None
    lang = doc.value("lang") or ctx.setting("DEFAULT_LANG")
    kind = "PAGE" if page else "ARTICLE"
    name = f"{kind}_URL" if lang == ctx.setting("DEFAULT_LANG") else f"{kind}_LANG_URL"
    try:
        pattern = ctx.setting(name)
        return pattern.format(
            slug=article_slug(doc, ctx),
            lang=lang,
            date=date or dt.datetime.now(dt.UTC),
            category="",
            author="",
        )
    except (KeyError, AttributeError, IndexError, ValueError):
        return None


def _is_page(path: Path, ctx: Context) -> bool:
    content = ctx.content
    if content is None:
        return False
    resolved = ctx.resolved(path) if path.exists() else path
    return any(resolved.is_relative_to(ctx.resolved(content / sub)) for sub in ctx.setting("PAGE_PATHS"))


def _profile(text: str | None) -> dict:
    try:
        data = yaml.safe_load(text or "")
    except yaml.YAMLError:
        return {}
    return data if isinstance(data, dict) else {}


# -- what a branch takes away ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Move:
    """A published address the branch takes away."""

    kind: str
    """article, page or profile."""
    path: Path
    """The source that had it (deleted, or where it is now)."""
    old: str
    """The address at the base: ``articles/x/``."""
    new: str | None
    """Where the same source's page is now; None when it is gone."""
    redirected: bool
    """A ``Redirect-From``/``redirect_from`` names the old address: the build writes its redirect."""
    line: int = 1
    col: int = 1
    """Where to fix it: the title or slug that changed, else the file's first line."""


def moves(
    changes: git.Changes,
    ctx: Context,
    documents: Iterable[Document],
    settings: dict,
) -> list[Move]:
    """Every address published at the base that the working tree takes away.

    ``documents`` are the site's articles and pages as they are now (check
    read them all already); profiles are read only when one changed.
    """
    if changes.merge_base is None:
        return []
    docs = list(documents)
    experts = experts_path(settings).resolve()
    content = Path(settings["PATH"]).resolve()
    current = {}
    sources: set[str] = set()
    for doc in docs:
        url = document_url(doc, ctx)
        if url is not None:
            current[url] = doc
        sources.update(p for f in doc.all(KEY) for a in paths(f.value) if (p := normalize(a)))
    profiles: dict[str, dict] | None = None
    found: list[Move] = []
    for change in changes.files:
        path = change.path
        if change.status == "added":
            continue
        if path.suffix in PROFILE_SUFFIXES and path.parent.resolve() == experts:
            if profiles is None:
                profiles = _profiles(experts)
                for data in profiles.values():
                    sources.update(p for a in paths(data.get(PROFILE_KEY) or []) if (p := normalize(a)))
            found += _profile_move(change, changes, profiles, sources, ctx)
        elif path.suffix == ".md" and path.resolve().is_relative_to(content):
            found += _document_move(change, changes, ctx, current, sources)
    return found


def _document_move(
    change: git.Change, changes: git.Changes, ctx: Context, current: dict[str, Document], sources: set[str]
) -> list[Move]:
    before_text = changes.text_at_base(change.path)
    if before_text is None:
        return []
    before = frontmatter.parse(change.path, before_text)
    page = _is_page(change.path, ctx)
    old = document_url(before, ctx, page=page)
    if old is None or old in current:
        return []
    kind = "page" if page else "article"
    now = ctx.document(change.path) if change.status != "deleted" and change.path.is_file() else None
    new = document_url(now, ctx, page=page) if now is not None else None
    line, col = 1, 1
    if now is not None:
        where = now.get("slug") or now.get("title")
        line, col = (where.line, where.col) if where else (1, 1)
    return [Move(kind, change.path, old, new, old in sources, line, col)]


def _profile_move(
    change: git.Change, changes: git.Changes, profiles: dict[str, dict], sources: set[str], ctx: Context
) -> list[Move]:
    before = _profile(changes.text_at_base(change.path))
    if before.get("published") is not True:
        return []
    slug = change.path.stem
    # Authors are experts: Pelican's AUTHOR_URL is the expert page's address (pelicanconf.py).
    pattern = ctx.setting("AUTHOR_URL")
    old = pattern.format(slug=slug)
    now = profiles.get(slug)
    if now is not None and now.get("published") is True:
        return []
    name = str(before.get("name") or "")
    moved_to = next(
        (
            s
            for s, data in profiles.items()
            if s != slug and data.get("published") is True and data.get("name") == name
        ),
        None,
    )
    if moved_to is None:  # deleted or unpublished: the person's choice, no redirect asked for
        return [Move("profile", change.path, old, None, old in sources)]
    # Said where it can be fixed: the profile under its new name.
    candidates = (change.path.with_name(moved_to + suffix) for suffix in PROFILE_SUFFIXES)
    where = next((path for path in candidates if path.exists()), change.path)
    return [Move("profile", where, old, pattern.format(slug=moved_to), old in sources)]


def _profiles(experts: Path) -> dict[str, dict]:
    out = {}
    for path in sorted(experts.iterdir()) if experts.is_dir() else []:
        if path.suffix in PROFILE_SUFFIXES:
            try:
                out[path.stem] = _profile(path.read_text(encoding="utf-8"))
            except OSError:
                continue
    return out


def vanished(found: Iterable[Move], root: Path | None = None) -> list[Finding]:
    """A finding for each address taken away without a redirect (none for a withdrawn profile)."""
    out = []
    for move in found:
        if move.redirected or (move.kind == "profile" and move.new is None):
            continue
        where = display_path(move.path, root)
        fix = f"Redirect-From: /{move.old}" if move.kind != "profile" else f"redirect_from: [/{move.old}]"
        if move.new is not None:
            out.append(
                Finding(
                    where,
                    move.line,
                    move.col,
                    "redirect-missing",
                    _(
                        "the published address /%(old)s becomes /%(new)s: links to the old one would break",
                        old=move.old,
                        new=move.new,
                    ),
                    _("add '%(fix)s' to its header, so that the old address leads here", fix=fix),
                )
            )
        else:
            out.append(
                Finding(
                    where,
                    1,
                    1,
                    "redirect-missing",
                    _("the published address /%(old)s would answer 'page not found'", old=move.old),
                    _(
                        "add '%(fix)s' to the page that replaces it, or keep this file",
                        fix=fix,
                    ),
                    Severity.WARNING,
                )
            )
    return out
