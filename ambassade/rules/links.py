"""Rules on what the body points to: images (with alt text, local, existing),
links to other content (``{filename}``, ``{static}``) and anchors (``#…``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ambassade import dates, publication
from ambassade.diagnostics import Finding
from ambassade.i18n import _, day
from ambassade.profiles import closest

from .context import Context
from .frontmatter import Document
from .render import Ref

# Pelican's intrasite links: {filename}, {static}, {attach} (its older |filename| too).
CONTENT_LINKS = ("filename",)
FILE_LINKS = ("static", "attach")
SHOWN_IDS = 8


def split_intrasite(url: str) -> tuple[str, str, str] | None:
    """``('filename', 'articles/x.md', 'frag')`` for ``{filename}articles/x.md#frag``, else None."""
    if len(url) < 3 or url[0] not in "{|":
        return None
    close = url.find("}" if url[0] == "{" else "|", 1)
    if close < 0:
        return None
    parts = urlsplit(url[close + 1 :])
    return url[1:close], unquote(parts.path), parts.fragment


def is_external(url: str) -> bool:
    parts = urlsplit(url)
    return bool(parts.scheme and parts.scheme != "data") or url.startswith("//")


def resolve(doc: Document, ctx: Context, path: str) -> Path:
    """Where Pelican looks for a linked file: from the content folder, or beside ``doc``."""
    if path.startswith("/"):
        return (ctx.content or doc.path.parent) / path.lstrip("/")
    return doc.path.parent / path


def _shown(path: Path, ctx: Context) -> str:
    base = ctx.content
    try:
        return ctx.resolved(path).relative_to(ctx.resolved(base)).as_posix() if base else path.as_posix()
    except ValueError:
        return path.as_posix()


def _near(path: Path, ctx: Context, usable: Callable[[Path], bool] = lambda _path: True) -> str:
    """A hint naming the existing file closest to a missing one, among those ``usable``."""
    folder = path.parent
    if not folder.is_dir():
        return _("the folder '%(folder)s' does not exist", folder=_shown(folder, ctx))
    siblings = sorted(p.name for p in folder.iterdir() if p.is_file() and usable(p))
    guess = closest(path.name, siblings)
    if guess:
        return _("did you mean '%(path)s'?", path=_shown(folder / guess, ctx))
    return _("no file of '%(folder)s' is close", folder=_shown(folder, ctx))


def live_from(doc: Document, ctx: Context) -> dt.datetime | None:
    """When ``doc`` goes live (``ambassade.publication``); None for a draft."""
    return publication.live_from(doc.value("status"), doc.value("date") or None, ctx.settings, ctx.now)


def _when(moment: dt.datetime, ctx: Context) -> str:
    local = moment.astimezone(dates.zone(ctx.settings))
    return _("%(day)s at %(time)s", day=day(local), time=local.strftime("%H:%M"))


def images_valid(doc: Document, ctx: Context) -> Iterator[Finding]:
    """Every problem of every image at once: its alt text, where it comes from, whether it exists."""
    for image in ctx.rendered(doc).images:
        where = (ctx.where(doc), image.line, image.col)
        if not image.text.strip():
            yield Finding(
                *where,
                "image-alt",
                _("image '%(url)s' has no alt text", url=image.url),
                _("describe it for people who cannot see it: ![what the image shows](…)")
                if image.has_alt
                else _('an alt="…" attribute describing it'),
            )
        if is_external(image.url):
            yield Finding(
                *where,
                "image-external",
                _("image '%(url)s' is loaded from another site", url=image.url),
                _(
                    "a copy in content/images/, linked as {static}/images/<file>: "
                    "pages load nothing from other origins"
                ),
            )
            continue
        if image.url.startswith("data:"):
            continue
        link = split_intrasite(image.url)
        if link is None or link[0] not in FILE_LINKS:
            # Not linked as Pelican wants, but a file may still be meant: say both at once.
            path = link[1] if link else unquote(urlsplit(image.url).path)
            found = _existing(doc, ctx, path)
            static = "{static}/" + (_shown(found, ctx) if found else "images/" + _("<file>"))
            yield Finding(
                *where,
                "image-path",
                _("image '%(url)s' is not linked with {static}", url=image.url),
                _("%(link)s, so that every page gets the right URL", link=static),
            )
            if found is not None:
                continue
            # Where {static} would look: images live in content/, whatever the page's folder.
            target = ctx.content / path.lstrip("/") if ctx.content else resolve(doc, ctx, path)
        else:
            target = resolve(doc, ctx, link[1])
            if target.is_file():
                continue
        yield Finding(
            *where,
            "image-missing",
            _("image '%(path)s' does not exist", path=_shown(target, ctx)),
            _("add the file, or fix the path: %(hint)s", hint=_near(target, ctx)),
        )


def _existing(doc: Document, ctx: Context, path: str) -> Path | None:
    """The file a path written without ``{static}`` most likely means: beside the page, or from content/."""
    if not path:
        return None
    candidates = [resolve(doc, ctx, path)]
    if ctx.content is not None:
        candidates.append(ctx.content / path.lstrip("/"))
    return next((c for c in candidates if c.is_file()), None)


def links_resolve(doc: Document, ctx: Context) -> Iterator[Finding]:
    own = ctx.rendered(doc)
    for ref in own.links:
        if ref.url.startswith("#"):
            yield from _anchor(doc, ctx, ref, unquote(ref.url[1:]), own.ids, _("this page"))
            continue
        link = split_intrasite(ref.url)
        if link is None:
            yield from _plain(doc, ctx, ref)
            continue
        what, path, fragment = link
        if what not in CONTENT_LINKS + FILE_LINKS:
            continue  # {tag}, {category}, {author}, {index}: Pelican builds those URLs itself
        target = resolve(doc, ctx, path)
        if not target.is_file():
            usable = (lambda p: _live_for(doc, p, ctx)) if what in CONTENT_LINKS else (lambda _path: True)
            yield _at(
                doc,
                ctx,
                ref,
                "link-missing",
                _("link to the article or page '%(path)s', which does not exist", path=_shown(target, ctx))
                if what in CONTENT_LINKS
                else _("link to the file '%(path)s', which does not exist", path=_shown(target, ctx)),
                _("a file of the content folder: %(hint)s", hint=_near(target, ctx, usable)),
            )
            continue
        if what in FILE_LINKS or target.suffix != ".md":
            continue
        linked = ctx.document(target)
        if fragment:
            yield from _anchor(doc, ctx, ref, fragment, ctx.rendered(linked).ids, _shown(target, ctx))
        yield from _goes_live_first(doc, ctx, ref, linked)


def _live_for(doc: Document, path: Path, ctx: Context) -> bool:
    """May ``doc`` link to the source at ``path``: is it live whenever ``doc`` is?"""
    if path.suffix != ".md":
        return True
    source, target = live_from(doc, ctx), live_from(ctx.document(path), ctx)
    return source is None or (target is not None and target <= source)


def _goes_live_first(doc: Document, ctx: Context, ref: Ref, linked: Document) -> Iterator[Finding]:
    """A link to what is not live when ``doc`` goes live: publish would find it broken."""
    source = live_from(doc, ctx)
    if source is None:
        return  # a draft links where it likes: it is checked again when it stops being one
    target = live_from(linked, ctx)
    shown = _shown(linked.path, ctx)
    if target is None:
        yield _at(
            doc,
            ctx,
            ref,
            "link-draft",
            _("link to '%(path)s', a draft: the published page would link to nothing", path=shown),
            _("publish that article first (remove its 'Status: draft'), or remove the link"),
        )
    elif target > source:
        then = _when(target, ctx)
        if source > ctx.now:  # this one is scheduled too, to go live first
            what = _(
                "link to '%(path)s', which goes live on %(then)s, after this article (%(now)s): "
                "until then the link would lead nowhere",
                path=shown,
                then=then,
                now=_when(source, ctx),
            )
        else:
            what = _(
                "link to '%(path)s', which goes live only on %(then)s: until then the link would "
                "lead nowhere",
                path=shown,
                then=then,
            )
        yield _at(
            doc,
            ctx,
            ref,
            "link-scheduled",
            what,
            _("date this article on or after %(then)s, or add the link once that one is live", then=then)
            if doc.get("date")
            else _("add the link once that article is live, on %(then)s", then=then),
        )


def _at(doc: Document, ctx: Context, ref: Ref, rule: str, what: str, expected: str) -> Finding:
    """A finding at the place of ``ref`` in ``doc``."""
    return Finding(ctx.where(doc), ref.line, ref.col, rule, what, expected)


def _plain(doc: Document, ctx: Context, ref: Ref) -> Iterator[Finding]:
    """A link without Pelican's syntax: fine to another site, broken to a Markdown source or a draft."""
    parts = urlsplit(ref.url)
    if parts.scheme or parts.netloc:
        return
    if parts.path.endswith((".md", ".markdown")):
        yield _at(
            doc,
            ctx,
            ref,
            "link-filename",
            _("link '%(url)s' points to a Markdown file, which the site does not have", url=ref.url),
            _(
                "%(link)s: Pelican replaces it with the page's URL",
                link="{filename}/" + parts.path.lstrip("/"),
            ),
        )
    elif parts.path.startswith("/") and publication.is_draft_url(parts.path.lstrip("/"), ctx.settings):
        yield _at(
            doc,
            ctx,
            ref,
            "link-draft",
            _("link '%(url)s' is the address of a draft: the published site will not have it", url=ref.url),
            _("link the article's source, {filename}/articles/<file>.md, once it is published"),
        )


def _anchor(
    doc: Document, ctx: Context, ref: Ref, fragment: str, ids: set[str], where: str
) -> Iterator[Finding]:
    if fragment in ids:
        return
    headings = sorted(ids, key=str.casefold)
    guess = closest(fragment, headings)
    hint = _("did you mean '#%(id)s'? ", id=guess) if guess else ""
    known = ", ".join(f"#{i}" for i in headings[:SHOWN_IDS]) + (", …" if len(headings) > SHOWN_IDS else "")
    yield _at(
        doc,
        ctx,
        ref,
        "link-anchor",
        _("'#%(id)s' is not an anchor of %(page)s", id=fragment, page=where),
        _("%(hint)sthe id of a heading or an element: %(known)s", hint=hint, known=known)
        if known
        else _("%(hint)san id: %(page)s has no heading to point to", hint=hint, page=where),
    )
