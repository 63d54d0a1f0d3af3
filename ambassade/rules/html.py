"""The HTML a contributor wrote, against the one policy (:mod:`ambassade.html_policy`).

Bodies of articles and pages, and profiles' biographies, are converted without
the policy's sanitizing, and every element, attribute or URL outside it is an
error at the line it is written on: the build would remove it, and a
contributor should know what will not be published. Sources Pelican would
publish as they are (an HTML file among the articles) are refused too.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import yaml

from ambassade import html_policy
from ambassade.diagnostics import Finding, display_path
from ambassade.i18n import _

from . import render
from .context import Context
from .frontmatter import Document

RULE = "html-policy"
FORMAT_RULE = "content-format"

#: Files of the content folders that Pelican would read as pages, but not Markdown.
_OTHER_SOURCES = (".html", ".htm", ".rst", ".txt", ".markdown", ".mdown", ".mkd")

_renderers: dict[str, render.Renderer] = {}


def _renderer(ctx: Context) -> render.Renderer:
    """A converter with the site's Markdown settings, minus the policy: what the writer's text makes."""
    settings = html_policy.without_policy(ctx.setting("MARKDOWN"))
    key = repr(settings)
    if key not in _renderers:
        _renderers.clear()
        _renderers[key] = render.Renderer(settings)
    return _renderers[key]


def _unsanitized(ctx: Context, text: str) -> str:
    return _renderer(ctx).convert(text)


def body_allowed(doc: Document, ctx: Context) -> Iterator[Finding]:
    """Every element, attribute and URL of the body outside the policy, at its line."""
    if not html_policy.may_violate(doc.body):
        return
    found = html_policy.violations(_unsanitized(ctx, doc.body))
    for violation, offset in html_policy.each_located(doc.body, found):
        if offset < 0:
            line, col = doc.body_line, 1
        else:
            line_start = doc.body.rfind("\n", 0, offset) + 1
            line, col = doc.body_line + doc.body.count("\n", 0, offset), offset - line_start + 1
        yield Finding(ctx.where(doc), line, col, RULE, violation.what, violation.expected)


def summary_allowed(doc: Document, ctx: Context) -> Iterator[Finding]:
    """The summary is Markdown too (Pelican converts it): the same policy, at its line."""
    for field in doc.all("summary"):
        if not html_policy.may_violate(field.value):
            continue
        for violation in html_policy.violations(_unsanitized(ctx, field.value)):
            yield Finding(ctx.where(doc), field.line, field.col, RULE, violation.what, violation.expected)


def bio_allowed(path: Path, ctx: Context) -> Iterator[Finding]:
    """A profile's biography (Markdown, one text or one per language) against the policy."""
    from ambassade.profiles import read_source

    text, _problems = read_source(path)
    if text is None or not html_policy.may_violate(text):
        return
    try:
        node = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return  # the profile's own checks say why
    shown = display_path(path, ctx.root)
    for bio in _bio_nodes(node):
        found = html_policy.violations(_unsanitized(ctx, bio.value))
        for violation, _offset in html_policy.each_located(bio.value, found):
            offset = html_policy.locate(text, violation.needle, bio.start_mark.index)
            if offset < 0 or offset > bio.end_mark.index:
                line, col = bio.start_mark.line + 1, bio.start_mark.column + 1
            else:
                line_start = text.rfind("\n", 0, offset) + 1
                line, col = text.count("\n", 0, offset) + 1, offset - line_start + 1
            yield Finding(shown, line, col, RULE, violation.what, violation.expected)


def _bio_nodes(node: yaml.Node | None) -> Iterator[yaml.ScalarNode]:
    if not isinstance(node, yaml.MappingNode):
        return
    for key, value in node.value:
        if key.value != "bio":
            continue
        if isinstance(value, yaml.ScalarNode):
            yield value
        elif isinstance(value, yaml.MappingNode):
            yield from (v for _k, v in value.value if isinstance(v, yaml.ScalarNode))


def other_sources(content: Path, subpaths: list[str], root: Path | None) -> Iterator[Finding]:
    """Files of the articles' and pages' folders that are not Markdown: Pelican would publish an
    HTML file as it is, past every rule."""
    for sub in subpaths:
        folder = content / sub
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if path.suffix.lower() in _OTHER_SOURCES or (
                path.suffix.lower() == ".md" and path.suffix != ".md"
            ):
                yield Finding(
                    display_path(path, root),
                    1,
                    1,
                    FORMAT_RULE,
                    _("'%(name)s' is not a Markdown source (.md): it is not published", name=path.name),
                    _("write the text in Markdown, in a file ending with .md"),
                )
