"""Where a contributor's file makes the build read and write: inside the site, and nowhere taken.

A link ``{static}/../../x`` makes Pelican copy a file from outside the content
folder, and to outside the output folder; ``Save_as: index.html`` replaces
the home page; two articles with one slug write the same file. Every path a
contributor can write is resolved here as Pelican will resolve it, and must
stay inside the content folder (what is read) and the output folder (what is
written), and must not be a page the site makes itself (home, experts,
topics, feeds, search…) or another file's.

Rule ids: ``path-outside`` (a link or a file outside the content folder),
``path-save-as`` (``Save_as``, ``Url``, ``Slug``, ``Template`` that leave the
output or name a page the site makes), ``path-collision`` (two files, one
page), ``static-active`` (a file of the static folders that a browser would
run: HTML, scripts, an SVG with a script).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import posixpath
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ambassade import dates, sources
from ambassade.diagnostics import Finding, display_path
from ambassade.i18n import _

from .context import Context
from .frontmatter import Document
from .links import split_intrasite

OUTSIDE = "path-outside"
SAVE_AS = "path-save-as"
COLLISION = "path-collision"
STATIC_ACTIVE = "static-active"

#: Pelican's intrasite links in the rendered body, in every attribute it rewrites.
_INTRASITE = re.compile(
    r"""(?:href|src|poster|data|cite|formaction|action|content)\s*=\s*(["'])((?:\{\w+\}|\|\w+\|).*?)\1"""
)
_UNSAFE_SLUG = re.compile(r"[/\\\x00-\x1f]|^\.|^$")
_TEMPLATE_NAME = re.compile(r"^[A-Za-z0-9_-]+$")
_CONTROL = re.compile(r"[\\\x00-\x1f]")

#: Files of the static folders a browser would run if someone opened them on the site.
_ACTIVE_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml", ".js", ".mjs", ".xml", ".xsl")
_SVG_ACTIVE = re.compile(rb"<script|\son\w+\s*=|javascript:|<foreignobject|<iframe|<embed|<object", re.I)

#: Files and folders plugins write at the end of a build, not named by a setting.
_FIXED_RESERVED = ("robots.txt", "sitemap.xml", "pagefind/", "review/")


@dataclass(frozen=True)
class Identity:
    """What Pelican groups translations by: the kind of document and its slug; and whether it is one."""

    kind: str
    slug: str
    lang: str
    translation: bool
    line: int
    col: int


def identity(doc: Document, ctx: Context, kind: str) -> Identity:
    from .slugs import article_slug

    flag = doc.get("translation")
    where = flag or doc.get("slug") or doc.get("title")
    return Identity(
        kind,
        article_slug(doc, ctx),
        doc.value("lang") or ctx.setting("DEFAULT_LANG"),
        flag is not None and flag.value.strip().lower() not in ("false", ""),
        where.line if where else 1,
        where.col if where else 1,
    )


def orphan_translations(identities: Iterable[tuple[str, Identity]]) -> list[Finding]:
    """A translation whose original does not exist: Pelican would publish it as an original."""
    groups: dict[tuple[str, str], list[tuple[str, Identity]]] = {}
    for shown, ident in identities:
        groups.setdefault((ident.kind, ident.slug), []).append((shown, ident))
    out = []
    for (_kind, slug), items in sorted(groups.items()):
        if all(ident.translation for _shown, ident in items):
            for shown, ident in items:
                out.append(
                    Finding(
                        shown,
                        ident.line,
                        ident.col,
                        "article-translation",
                        _(
                            "this translation has no original: every file of slug '%(slug)s' is one",
                            slug=slug,
                        ),
                        _("the original in another language with the same slug, or no 'Translation' line"),
                    )
                )
    return out


@dataclass(frozen=True)
class Claim:
    """A file of the output that a source asks to be written, and where in the source it asks."""

    output: str
    """The path in the output folder, normalized."""
    line: int
    col: int
    what: str
    """How the source names it, for the other file's finding."""


def _doc_finding(
    doc: Document, ctx: Context, line: int, col: int, rule: str, what: str, expected: str
) -> Finding:
    return Finding(ctx.where(doc), line, col, rule, what, expected)


# -- what is read: links stay inside the content folder -----------------------------------------------


def links_inside(doc: Document, ctx: Context) -> Iterator[Finding]:
    """``{static}``, ``{attach}`` and ``{filename}`` links must name a file of the content folder."""
    content = ctx.content
    if content is None:
        return
    base = ctx.resolved(content)
    rendered = ctx.rendered(doc)
    urls = [ref.url for ref in (*rendered.links, *rendered.images)]
    if "<" in doc.body:  # raw HTML may name files in other attributes (a video's src, its poster)
        urls += [match.group(2) for match in _INTRASITE.finditer(rendered.html)]
    seen: set[str] = set()
    for url in urls:
        parts = split_intrasite(url)
        if parts is None or parts[0] not in ("static", "attach", "filename") or url in seen:
            continue
        seen.add(url)
        path = parts[1]
        target = (content / path.lstrip("/")) if path.startswith("/") else (doc.path.parent / path)
        resolved = Path(os.path.realpath(target))
        if resolved.is_relative_to(base) and not _escapes(path):
            continue
        line, col = _place(doc, url)
        yield _doc_finding(
            doc,
            ctx,
            line,
            col,
            OUTSIDE,
            _("the link '%(url)s' leads outside the content folder", url=url),
            _("a file of the content folder, e.g. {static}/images/<file>"),
        )


def _escapes(path: str) -> bool:
    """Does ``path``, written from the content folder, climb out of it on the way (``a/../../b``)?"""
    depth = 0
    for part in path.replace("\\", "/").split("/"):
        if part == "..":
            depth -= 1
            if depth < 0:
                return True
        elif part not in ("", "."):
            depth += 1
    return False


def _place(doc: Document, needle: str) -> tuple[int, int]:
    offset = doc.body.find(needle)
    if offset < 0:
        return doc.body_line, 1
    line_start = doc.body.rfind("\n", 0, offset) + 1
    return doc.body_line + doc.body.count("\n", 0, offset), offset - line_start + 1


# -- what is written: inside the output, and nowhere taken ------------------------------------------------


def metadata_paths(doc: Document, ctx: Context) -> Iterator[Finding]:
    """``Slug``, ``Save_as``, ``Url`` and ``Template`` as Pelican will use them."""
    slug = doc.get("slug")
    if slug is not None and _UNSAFE_SLUG.search(slug.value):
        yield _doc_finding(
            doc,
            ctx,
            slug.line,
            slug.col,
            SAVE_AS,
            _("the slug '%(slug)s' is not a name of one folder", slug=slug.value),
            _("lowercase letters, digits and hyphens, e.g. 'Slug: mon-article'"),
        )
    for key in ("save_as", "url"):
        field = doc.get(key)
        if field is None or not field.value:
            continue
        problem = _bad_output_path(field.value)
        if problem:
            yield _doc_finding(doc, ctx, field.line, field.col, SAVE_AS, problem, _expected_path(key))
            continue
        taken = reserved_by(_normal(field.value, key), ctx.settings)
        if taken:
            yield _doc_finding(
                doc,
                ctx,
                field.line,
                field.col,
                SAVE_AS,
                _("'%(path)s' is a page the site makes itself (%(what)s)", path=field.value, what=taken),
                _expected_path(key),
            )
    template = doc.get("template")
    if template is not None:
        theme = Path(ctx.setting("THEME"))
        if (
            not _TEMPLATE_NAME.match(template.value)
            or not (theme / "templates" / f"{template.value}.html").is_file()
        ):
            yield _doc_finding(
                doc,
                ctx,
                template.line,
                template.col,
                SAVE_AS,
                _("the template '%(name)s' is not one of the theme's", name=template.value),
                _("no Template line: articles and pages have their own"),
            )


def _expected_path(key: str) -> str:
    if key == "url":
        return _("no Url line, or a relative URL of a page of its own, e.g. 'Url: a-propos/equipe/'")
    return _("no Save_as line, or a path of a page of its own, e.g. 'Save_as: a-propos/equipe/index.html'")


def _bad_output_path(value: str) -> str | None:
    """Why ``value`` cannot be where a page is written, or None."""
    if _CONTROL.search(value):
        return _("'%(path)s' holds a backslash or a control character", path=value)
    if value.startswith("/") or re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", value):
        return _("'%(path)s' is not a path inside the site", path=value)
    if _escapes(value):
        return _("'%(path)s' leads outside the output folder", path=value)
    return None


def _normal(value: str, key: str = "save_as") -> str:
    """A page's path in the output: ``Url: x/`` is ``x/index.html``."""
    path = posixpath.normpath(value) if value not in ("", ".") else ""
    if key == "url" and (value.endswith("/") or not posixpath.splitext(path)[1]):
        path = posixpath.join(path, "index.html") if path not in ("", ".") else "index.html"
    return path.lstrip("./") if path.startswith("./") else path


def reserved(settings: dict) -> list[tuple[re.Pattern[str], str]]:
    """Every page and folder the site makes itself, as patterns of output paths, with their setting.

    Pelican's ``*_SAVE_AS`` and feed settings (but those of articles, pages and
    drafts, which name the contributors' own pages), every ``*save_as`` field
    of the application's and plugins' sections, the theme's and the static
    folders, and what plugins write at the end; each in every language's folder too.
    """
    # Contributors' own pages, and static files (whose pattern is any path), are not the site's.
    own = re.compile(r"^(?:ARTICLE|PAGE|DRAFT|DRAFT_PAGE|STATIC)(?:_LANG)?_SAVE_AS$")
    named: list[tuple[str, str]] = []
    for key, value in settings.items():
        if not isinstance(key, str) or not isinstance(value, str) or not value:
            continue
        if (key.endswith("_SAVE_AS") and not own.match(key)) or (
            "FEED" in key and key.endswith(("_ATOM", "_RSS")) and not key.startswith("FEED_DOMAIN")
        ):
            named.append((value, key))
    for name, section in settings.items():
        if dataclasses.is_dataclass(section) and not isinstance(section, type):
            for field in dataclasses.fields(section):
                value = getattr(section, field.name, None)
                if field.name.endswith("save_as") and isinstance(value, str) and value:
                    named.append((value, f"{name}['{field.name}']"))
                if field.name in ("headers_file", "nginx_file") and isinstance(value, str) and value:
                    named.append((value, f"{name}['{field.name}']"))
    named.append((str(settings.get("THEME_STATIC_DIR") or "theme") + "/", "THEME_STATIC_DIR"))
    named += [(f"{p.rstrip('/')}/", "STATIC_PATHS") for p in settings.get("STATIC_PATHS") or () if p]
    named += [(p, "ambassade") for p in _FIXED_RESERVED]
    languages = [str(lang) for lang in settings.get("LANGUAGES") or ()]
    patterns = []
    for value, what in named:
        for prefix in ["", *(f"{lang}/" for lang in languages)]:
            patterns.append((_pattern(prefix + value.lstrip("/")), what))
    return patterns


def _pattern(template: str) -> re.Pattern[str]:
    parts = re.split(r"\{[^}]*\}", template)
    body = "[^/]+".join(re.escape(p) for p in parts)
    # A folder ("theme/") reserves all it holds.
    return re.compile(f"^{body}" + ("" if template.endswith("/") else "$"))


_reserved_cache: dict[int, tuple[Any, list]] = {}


def reserved_by(path: str, settings: dict) -> str | None:
    """The setting whose page ``path`` is, or None when no page of the site's own is written there."""
    key = id(settings)
    cached = _reserved_cache.get(key)
    if cached is None or cached[0] is not settings:
        _reserved_cache.clear()
        cached = _reserved_cache[key] = (settings, reserved(settings))
    for pattern, what in cached[1]:
        if pattern.match(path):
            return what
    return None


def claims(doc: Document, ctx: Context, kind: str) -> list[Claim]:
    """The files of the output ``doc`` is written to (its page), as Pelican will name them."""
    field = doc.get("save_as")
    if field is not None:
        if not field.value or _bad_output_path(field.value):
            return []
        return [Claim(_normal(field.value), field.line, field.col, "Save_as")]
    from .slugs import article_slug

    if not article_slug(doc, ctx):  # no title and no slug: the title rule says so
        return []
    path = _default_output(doc, ctx, kind)
    if not path or _bad_output_path(path) or _UNSAFE_SLUG.search(doc.value("slug", "x")):
        return []
    where = doc.get("slug") or doc.get("title")
    line, col = (where.line, where.col) if where else (1, 1)
    return [Claim(_normal(path), line, col, "Slug" if doc.get("slug") else "Title")]


def _default_output(doc: Document, ctx: Context, kind: str) -> str:
    from .slugs import article_slug

    lang = doc.value("lang") or ctx.setting("DEFAULT_LANG")
    in_default = lang == ctx.setting("DEFAULT_LANG")
    date = dates.parse(doc.value("date") or "", ctx.settings) or dt.datetime.now(dt.UTC)
    status = doc.value("status") or "published"
    future = _after_now(date)
    if kind == "article" and status != "draft" and not ctx.setting("WITH_FUTURE_DATES") and future:
        status = "draft"
    prefix = {"article": "", "page": "PAGE_"}[kind]
    if status == "draft":
        name = f"DRAFT_{prefix}" + ("SAVE_AS" if in_default else "LANG_SAVE_AS")
    elif kind == "article":
        name = "ARTICLE_SAVE_AS" if in_default else "ARTICLE_LANG_SAVE_AS"
    else:
        name = "PAGE_SAVE_AS" if in_default else "PAGE_LANG_SAVE_AS"
    pattern = ctx.setting(name)
    if not pattern:
        return ""
    try:
        return pattern.format(slug=article_slug(doc, ctx), lang=lang, date=date, category="", author="")
    except (KeyError, AttributeError, IndexError, ValueError):
        return ""


def _after_now(date: dt.datetime) -> bool:
    try:
        return date > dt.datetime.now(dt.UTC)
    except OverflowError:  # out of range: the date rule reports it
        return False


def collisions(claimed: Iterable[tuple[str, Claim]], settings: dict) -> list[Finding]:
    """Two sources written to one page, or a source written to a page the site makes itself (its
    slug in the URL pattern: a page titled "Experts"): a finding at each but the first, naming the first."""
    first: dict[str, str] = {}
    out = []
    for shown, claim in sorted(claimed, key=lambda item: (item[0], item[1].line)):
        taken = reserved_by(claim.output, settings) if claim.what != "Save_as" else None
        if taken:  # (a Save_as line is judged where it is written: metadata_paths)
            out.append(
                Finding(
                    shown,
                    claim.line,
                    claim.col,
                    SAVE_AS,
                    _(
                        "this file would be written to '%(path)s', a page the site makes itself (%(what)s)",
                        path=claim.output,
                        what=taken,
                    ),
                    _("another slug: a 'Slug:' line, or another title"),
                )
            )
            continue
        other = first.setdefault(claim.output, shown)
        if other != shown:
            out.append(
                Finding(
                    shown,
                    claim.line,
                    claim.col,
                    COLLISION,
                    _("this file is written to '%(path)s', as %(other)s is", path=claim.output, other=other),
                    _("another slug (a 'Slug:' line, or another title) or another language"),
                )
            )
    return out


# -- the folders themselves ------------------------------------------------------------------------------


def folder_findings(settings: dict, root: Path | None) -> Iterator[Finding]:
    """Links in the content folder that lead outside it, and static files a browser would run."""
    content = Path(settings["PATH"])
    if not content.is_dir():
        return
    base = Path(os.path.realpath(content))
    for folder, dirs, files in os.walk(content):
        for name in sorted(dirs + files):
            path = Path(folder, name)
            if path.is_symlink() and not Path(os.path.realpath(path)).is_relative_to(base):
                yield Finding(
                    display_path(path, root),
                    1,
                    1,
                    OUTSIDE,
                    _("'%(name)s' is a link to a file outside the content folder", name=name),
                    _("a copy of the file in the content folder"),
                )
        dirs[:] = sorted(d for d in dirs if not Path(folder, d).is_symlink())
    for sub in settings.get("STATIC_PATHS") or ():
        folder = content / sub
        candidates = [folder] if folder.is_file() else sorted(folder.rglob("*")) if folder.is_dir() else []
        for path in candidates:
            if path.is_file() and not path.is_symlink() and path.stat().st_size > sources.STATIC.max_bytes:
                yield sources.too_large(display_path(path, root), sources.STATIC, path.stat().st_size)
            if path.is_file() and not path.is_symlink() and _active(path):
                yield Finding(
                    display_path(path, root),
                    1,
                    1,
                    STATIC_ACTIVE,
                    _("'%(name)s' would run in the browser of whoever opens it on the site", name=path.name),
                    _("images, PDF and media only: an SVG without script or event handler"),
                )


def _active(path: Path) -> bool:
    suffix = path.suffix.lower()
    if suffix in _ACTIVE_SUFFIXES:
        return True
    if suffix in (".svg", ".svgz"):
        try:
            with path.open("rb") as fh:
                return bool(_SVG_ACTIVE.search(fh.read(4_000_000)))
        except OSError:
            return False
    return False
