"""Rules on what the body points to: images (with alt text, local, existing),
links to other content (``{filename}``, ``{static}``) and anchors (``#…``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ambassade.diagnostics import Finding, Severity
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


def _near(path: Path, ctx: Context) -> str:
    """A hint naming the existing file closest to a missing one."""
    folder = path.parent
    if not folder.is_dir():
        return f"the folder '{_shown(folder, ctx)}' does not exist"
    siblings = sorted(p.name for p in folder.iterdir() if p.is_file())
    guess = closest(path.name, siblings)
    if guess:
        return f"did you mean '{_shown(folder / guess, ctx)}'?"
    return f"no file of '{_shown(folder, ctx)}' is close"


def images_valid(doc: Document, ctx: Context) -> Iterator[Finding]:
    for image in ctx.rendered(doc).images:
        where = (ctx.where(doc), image.line, image.col)
        if not image.text.strip():
            yield Finding(
                *where,
                "image-alt",
                f"image '{image.url}' has no alt text",
                "describe it for people who cannot see it: ![what the image shows](…)"
                if image.has_alt
                else 'an alt="…" attribute describing it',
            )
        if is_external(image.url):
            yield Finding(
                *where,
                "image-external",
                f"image '{image.url}' is loaded from another site",
                "a copy in content/images/, linked as {static}/images/<file>: "
                "pages load nothing from other origins",
            )
            continue
        link = split_intrasite(image.url)
        if link is None or link[0] not in FILE_LINKS:
            if not image.url.startswith("data:"):
                yield Finding(
                    *where,
                    "image-path",
                    f"image '{image.url}' is not linked with {{static}}",
                    "{static}/images/<file>, so that every page gets the right URL",
                )
            continue
        target = resolve(doc, ctx, link[1])
        if not target.is_file():
            yield Finding(
                *where,
                "image-missing",
                f"image '{_shown(target, ctx)}' does not exist",
                f"add the file, or fix the path: {_near(target, ctx)}",
            )


def links_resolve(doc: Document, ctx: Context) -> Iterator[Finding]:
    own = ctx.rendered(doc)
    for ref in own.links:
        if ref.url.startswith("#"):
            yield from _anchor(doc, ctx, ref, unquote(ref.url[1:]), own.ids, "this page")
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
            kind = "article or page" if what in CONTENT_LINKS else "file"
            yield Finding(
                ctx.where(doc),
                ref.line,
                ref.col,
                "link-missing",
                f"link to the {kind} '{_shown(target, ctx)}', which does not exist",
                f"a file of the content folder: {_near(target, ctx)}",
            )
            continue
        if what in FILE_LINKS or target.suffix != ".md":
            continue
        linked = ctx.document(target)
        if fragment:
            yield from _anchor(doc, ctx, ref, fragment, ctx.rendered(linked).ids, _shown(target, ctx))
        if linked.value("status") == "draft" and doc.value("status") != "draft":
            yield Finding(
                ctx.where(doc),
                ref.line,
                ref.col,
                "link-draft",
                f"link to '{_shown(target, ctx)}', a draft: the public site will not have it",
                "publish that article first, or remove the link",
                Severity.WARNING,
            )


def _plain(doc: Document, ctx: Context, ref: Ref) -> Iterator[Finding]:
    """A link without Pelican's syntax: fine to another site, broken to a Markdown source."""
    parts = urlsplit(ref.url)
    if not parts.scheme and not parts.netloc and parts.path.endswith((".md", ".markdown")):
        yield Finding(
            ctx.where(doc),
            ref.line,
            ref.col,
            "link-filename",
            f"link '{ref.url}' points to a Markdown file, which the site does not have",
            f"{{filename}}/{parts.path.lstrip('/')}: Pelican replaces it with the page's URL",
        )


def _anchor(
    doc: Document, ctx: Context, ref: Ref, fragment: str, ids: set[str], where: str
) -> Iterator[Finding]:
    if fragment in ids:
        return
    headings = sorted(ids, key=str.casefold)
    guess = closest(fragment, headings)
    hint = f"did you mean '#{guess}'? " if guess else ""
    known = ", ".join(f"#{i}" for i in headings[:SHOWN_IDS]) + (", …" if len(headings) > SHOWN_IDS else "")
    yield Finding(
        ctx.where(doc),
        ref.line,
        ref.col,
        "link-anchor",
        f"'#{fragment}' is not an anchor of {where}",
        f"{hint}the id of a heading or an element: {known}"
        if known
        else f"{hint}an id: {where} has no heading to point to",
    )
