"""Rules on the metadata header: the fields Pelican and the site need, well formed."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

from ambassade.diagnostics import Finding, Severity, display_path
from ambassade.i18n import _
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


YEARS = (1900, 9998)
"""The years a date may have: its day in every time zone, and feeds and calendars, must exist."""


def _in_range(date: dt.datetime | None) -> bool:
    if date is None:
        return False
    try:
        return YEARS[0] <= date.astimezone(dt.UTC).year <= YEARS[1]
    except (OverflowError, ValueError):
        return False


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
    elif not _in_range(parse_iso_date(date.value)):
        yield Finding(
            ctx.where(doc),
            date.line,
            date.col,
            "article-date",
            _("'%(date)s' is out of the range of dates a site can show", date=date.value),
            _("a year between %(first)s and %(last)s", first=YEARS[0], last=YEARS[1]),
        )
    modified = doc.get("modified")
    if modified and not _in_range(parse_iso_date(modified.value)):
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
        if suggestion is None or not _looks_like_typo(slug, suggestion):
            # Deleting one's profile is a way to leave the programme: the article stays,
            # published without the name. Said, so that a forgotten profile is noticed too.
            yield Finding(
                ctx.where(doc),
                authors.line,
                col,
                "article-author",
                _("'%(author)s' has no profile: the article is published without this name", author=slug),
                _(
                    "nothing to do if this person left the programme (remove the slug from Authors "
                    "to say so); otherwise add experts/%(author)s.yml",
                    author=slug,
                ),
                Severity.WARNING,
            )
            continue
        yield Finding(
            ctx.where(doc),
            authors.line,
            col,
            "article-author",
            f"unknown author '{slug}'",
            f"did you mean '{suggestion}'? Authors are slugs of experts/<slug>.yml",
        )


TYPO_SIMILARITY = 0.8
"""How close to a known slug an unknown author must be to be taken for a typo (an error) rather than
a person who deleted their profile (a warning): "clarie-martin" is "claire-martin" mistyped."""


def _looks_like_typo(slug: str, known: str) -> bool:
    import difflib

    return difflib.SequenceMatcher(None, slug, known).ratio() >= TYPO_SIMILARITY


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
                "delete the <!-- … --> comment: it is written for you, not for readers",
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
    from ambassade.profiles import read_source

    text, _problems = read_source(path)  # the profile's own checks report a file that cannot be read
    for n, line in enumerate((text or "").split("\n"), start=1):
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
