"""Rules on the metadata header: the fields Pelican and the site need, well formed."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

from ambassade.diagnostics import Finding, Severity, display_path
from ambassade.profiles import closest
from ambassade.share import KEY as SHARE_KEY

from .context import Context
from .frontmatter import Document, split_list

STATUSES = ("published", "draft", "hidden")
PLACEHOLDER = "TODO:"
"""Starts what the scaffold's templates (scaffold/) put where the contributor has to write."""
BODY_PLACEHOLDER = f"{PLACEHOLDER} write the article here"
"""The body's first line in the article template."""
GUIDE_MARKER = "<!-- ambassade:guide"
"""Opens the writing guide that ``invoke new-article`` puts at the top of the body."""


def title_present(doc: Document, ctx: Context) -> Iterator[Finding]:
    title = doc.get("title")
    if title is None or not title.value:
        line, col = (title.line, title.col) if title else (doc.header_end, 1)
        yield Finding(
            ctx.where(doc),
            line,
            col,
            "article-title",
            "the title is missing",
            "a line 'Title: …' in the header",
        )


def parse_iso_date(value: str) -> dt.datetime | None:
    """An ISO 8601 date-time with a time zone, or None: a date without zone is ambiguous."""
    try:
        parsed = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


def date_valid(doc: Document, ctx: Context) -> Iterator[Finding]:
    date = doc.get("date")
    expected = "an ISO 8601 date with time and zone, e.g. 'Date: 2026-03-14T09:30:00+01:00'"
    if date is None:
        yield Finding(ctx.where(doc), doc.header_end, 1, "article-date", "the date is missing", expected)
    elif parse_iso_date(date.value) is None:
        yield Finding(
            ctx.where(doc),
            date.line,
            date.col,
            "article-date",
            f"'{date.value}' is not a valid date",
            expected,
        )
    modified = doc.get("modified")
    if modified and parse_iso_date(modified.value) is None:
        yield Finding(
            ctx.where(doc),
            modified.line,
            modified.col,
            "article-date",
            f"'{modified.value}' is not a valid modification date",
            expected,
        )


def authors_known(doc: Document, ctx: Context) -> Iterator[Finding]:
    authors = doc.get("authors") or doc.get("author")
    if authors is None or not authors.value:
        yield Finding(
            ctx.where(doc),
            authors.line if authors else doc.header_end,
            1,
            "article-author",
            "the article has no author",
            "a line 'Authors: <slug>[, <slug>…]' naming files of experts/",
        )
        return
    for slug, col in split_list(authors):
        if slug in ctx.known_authors:
            continue
        if slug.startswith(PLACEHOLDER):
            yield Finding(
                ctx.where(doc),
                authors.line,
                col,
                "article-author",
                f"the author is still the template's placeholder '{slug}'",
                "your slug: the name of your file in experts/ without .yml",
            )
            continue
        # Sorted only for a miss: every article is checked, and most name known experts.
        suggestion = closest(slug, sorted(ctx.known_authors))
        hint = f"did you mean '{suggestion}'?" if suggestion else "no expert has a close slug"
        yield Finding(
            ctx.where(doc),
            authors.line,
            col,
            "article-author",
            f"unknown author '{slug}'",
            f"{hint} Authors are slugs of experts/<slug>.yml",
        )


def lang_known(doc: Document, ctx: Context) -> Iterator[Finding]:
    lang = doc.get("lang")
    if lang and lang.value not in ctx.languages:
        yield Finding(
            ctx.where(doc),
            lang.line,
            lang.col,
            "article-lang",
            f"unknown language '{lang.value}'",
            f"one of: {', '.join(ctx.languages)}",
        )
        return
    # The file name says the language (x.en.md) to people; Pelican only reads Lang.
    suffixes = doc.path.suffixes
    named = suffixes[-2].lstrip(".") if len(suffixes) >= 2 else None
    if named not in ctx.languages:
        return
    given = lang.value if lang else ctx.setting("DEFAULT_LANG")
    if given != named:
        yield Finding(
            ctx.where(doc),
            lang.line if lang else doc.header_end,
            lang.col if lang else 1,
            "article-lang",
            f"the file name says '{named}' but the article's language is '{given}'",
            f"'Lang: {named}' in the header, or a file name without '.{named}'",
        )


def status_known(doc: Document, ctx: Context) -> Iterator[Finding]:
    status = doc.get("status")
    if status and status.value not in STATUSES:
        yield Finding(
            ctx.where(doc),
            status.line,
            status.col,
            "article-status",
            f"unknown status '{status.value}'",
            f"one of: {', '.join(STATUSES)}",
        )


def summary_present(doc: Document, ctx: Context) -> Iterator[Finding]:
    if not ctx.charter.require_summary:
        return
    summary = doc.get("summary")
    if summary is None or not summary.value:
        yield Finding(
            ctx.where(doc),
            summary.line if summary else doc.header_end,
            1,
            "article-summary",
            "the summary is missing",
            "a line 'Summary: …' of one or two sentences: cards, feeds and share previews show it",
        )


def tags_present(doc: Document, ctx: Context) -> Iterator[Finding]:
    tags = doc.get("tags")
    if tags is None or not split_list(tags):
        yield Finding(
            ctx.where(doc),
            tags.line if tags else doc.header_end,
            1,
            "article-tags",
            "the article has no tag",
            "a line 'Tags: <topic>[, <topic>…]', e.g. 'Tags: Cloud, Numérique responsable'",
        )


def fields_once(doc: Document, ctx: Context) -> Iterator[Finding]:
    """Pelican keeps the first Date or Tags of two, and turns two Titles into a list."""
    seen: dict[str, int] = {}
    for key, field in doc.entries:
        if key == SHARE_KEY or key.startswith(SHARE_KEY + "-"):
            continue
        if key in seen:
            yield Finding(
                ctx.where(doc),
                field.line,
                1,
                "article-duplicate",
                f"'{key.capitalize()}' is given twice (first on line {seen[key]})",
                "each field once; only Share lines may repeat",
            )
        else:
            seen[key] = field.line


def no_placeholder(doc: Document, ctx: Context) -> Iterator[Finding]:
    """What the scaffold left for the contributor to write (the authors rule reports Authors).

    A warning while the article is a draft (the scaffold starts it as one, so
    that it can be previewed); an error once it would be published, because
    the placeholder would go live.
    """
    severity = Severity.WARNING if doc.value("status") == "draft" else Severity.ERROR
    for key, field in doc.entries:
        if key not in ("authors", "author") and field.value.startswith(PLACEHOLDER):
            yield Finding(
                ctx.where(doc),
                field.line,
                field.col,
                "article-placeholder",
                f"'{key.capitalize()}' still holds the template's placeholder",
                f"your own text in place of the one starting with '{PLACEHOLDER}'",
                severity,
            )
    for n, line in enumerate(doc.body.split("\n"), start=doc.body_line):
        if line.lstrip().startswith(GUIDE_MARKER):
            yield Finding(
                ctx.where(doc),
                n,
                line.index(GUIDE_MARKER) + 1,
                "article-placeholder",
                "the template's writing guide is still at the top of the body",
                "delete the <!-- … --> comment: HTML comments are published in the page's source",
                severity,
            )
        elif line.startswith(BODY_PLACEHOLDER):
            yield Finding(
                ctx.where(doc),
                n,
                1,
                "article-placeholder",
                "the body still holds the template's placeholder",
                f"write the article in place of the line '{BODY_PLACEHOLDER}…'",
                severity,
            )


PROFILE_PLACEHOLDER_RE = re.compile(rf"^(?P<key>[\w-]+):\s*(?P<value>[\"']?{re.escape(PLACEHOLDER)})")


def profile_placeholder(path: Path, ctx: Context) -> Iterator[Finding]:
    """What ``invoke new-expert`` left for the person to fill in (a YAML value 'TODO: …')."""
    for n, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
        match = PROFILE_PLACEHOLDER_RE.match(line)
        if match:
            yield Finding(
                display_path(path, ctx.root),
                n,
                match.start("value") + 1,
                "profile-placeholder",
                f"'{match['key']}' still holds the template's placeholder",
                f"your own text in place of the one starting with '{PLACEHOLDER}'",
                Severity.WARNING,
            )
