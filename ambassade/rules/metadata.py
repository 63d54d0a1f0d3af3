"""Rules on the metadata header: the fields Pelican and the site need, well formed."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

from ambassade import dates
from ambassade.diagnostics import Finding, Severity, display_path
from ambassade.i18n import _
from ambassade.profiles import closest
from ambassade.share import KEY as SHARE_KEY

from .context import Context
from .frontmatter import Document, split_list

STATUSES = ("published", "draft", "hidden")
PLACEHOLDER = "TODO:"
"""Starts what the scaffold's templates (scaffold/) put where the contributor has to write."""
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
            _("the title is missing"),
            _("a line 'Title: …' in the header"),
        )


# 14/03/2026, 14.03.2026: the day first, as French (and most European) writers put it.
DAY_FIRST_RE = re.compile(r"^(?P<d>\d{1,2})[/.](?P<m>\d{1,2})[/.](?P<y>\d{4})(?P<rest>.*)$")


def _date_expected(value: str | None, ctx: Context) -> str:
    """How to write the date: the forms accepted, and what this value most likely meant."""
    forms = _(
        "a date such as '%(day)s' or '%(example)s' (%(zone)s time; without a time, the article "
        "goes live at %(time)s)",
        day=dates.EXAMPLE.split()[0],
        example=dates.EXAMPLE,
        zone=str(dates.zone(ctx.settings)),
        time=dates.publish_time(ctx.settings).strftime("%H:%M"),
    )
    match = DAY_FIRST_RE.match((value or "").strip())
    if match:
        guess = f"{match['y']}-{int(match['m']):02d}-{int(match['d']):02d}{match['rest']}"
        if dates.parse(guess, ctx.settings) is not None:
            return _("did you mean '%(guess)s'? Write %(forms)s", guess=guess, forms=forms)
    return _("write %(forms)s", forms=forms)


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
    if date is None:
        yield Finding(
            ctx.where(doc),
            doc.header_end,
            1,
            "article-date",
            _("the date is missing"),
            _date_expected(None, ctx),
        )
    elif dates.parse(date.value, ctx.settings) is None:
        yield Finding(
            ctx.where(doc),
            date.line,
            date.col,
            "article-date",
            _("'%(value)s' is not a date", value=date.value),
            _date_expected(date.value, ctx),
        )
    elif not _in_range(dates.parse(date.value, ctx.settings)):
        yield Finding(
            ctx.where(doc),
            date.line,
            date.col,
            "article-date",
            _("'%(date)s' is out of the range of dates a site can show", date=date.value),
            _("a year between %(first)s and %(last)s", first=YEARS[0], last=YEARS[1]),
        )
    modified = doc.get("modified")
    if modified and not _in_range(dates.parse(modified.value, ctx.settings)):
        yield Finding(
            ctx.where(doc),
            modified.line,
            modified.col,
            "article-date",
            _("'%(value)s' is not a modification date", value=modified.value),
            _date_expected(modified.value, ctx),
        )


def authors_known(doc: Document, ctx: Context) -> Iterator[Finding]:
    authors = doc.get("authors") or doc.get("author")
    if authors is None or not authors.value:
        yield Finding(
            ctx.where(doc),
            authors.line if authors else doc.header_end,
            1,
            "article-author",
            _("the article has no author"),
            _("a line 'Authors: <slug>[, <slug>…]' naming files of experts/"),
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
                _("the author is still the template's placeholder '%(slug)s'", slug=slug),
                _("your slug: the name of your file in experts/ without .yml"),
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
            _("unknown author '%(slug)s'", slug=slug),
            _("did you mean '%(slug)s'? Authors are slugs of experts/<slug>.yml", slug=suggestion),
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
            _("unknown language '%(lang)s'", lang=lang.value),
            _("one of: %(choices)s", choices=", ".join(ctx.languages)),
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
            _(
                "the file name says '%(named)s' but the article's language is '%(given)s'",
                named=named,
                given=given,
            ),
            _("'Lang: %(named)s' in the header, or a file name without '.%(named)s'", named=named),
        )


def status_known(doc: Document, ctx: Context) -> Iterator[Finding]:
    status = doc.get("status")
    if status and status.value not in STATUSES:
        yield Finding(
            ctx.where(doc),
            status.line,
            status.col,
            "article-status",
            _("unknown status '%(status)s'", status=status.value),
            _("one of: %(choices)s", choices=", ".join(STATUSES)),
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
            _("the summary is missing"),
            _("a line 'Summary: …' of one or two sentences: cards, feeds and share previews show it"),
        )


def tags_present(doc: Document, ctx: Context) -> Iterator[Finding]:
    tags = doc.get("tags")
    if tags is None or not split_list(tags):
        yield Finding(
            ctx.where(doc),
            tags.line if tags else doc.header_end,
            1,
            "article-tags",
            _("the article has no tag"),
            _("a line 'Tags: <topic>[, <topic>…]', e.g. 'Tags: Cloud, Numérique responsable'"),
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
                _("'%(key)s' is given twice (first on line %(line)s)", key=key.capitalize(), line=seen[key]),
                _("each field once; only Share lines may repeat"),
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
                _("'%(key)s' still holds the template's placeholder", key=key.capitalize()),
                _("your own text in place of the one starting with '%(marker)s'", marker=PLACEHOLDER),
                severity,
            )
    for n, line in enumerate(doc.body.split("\n"), start=doc.body_line):
        if line.lstrip().startswith(GUIDE_MARKER):
            yield Finding(
                ctx.where(doc),
                n,
                line.index(GUIDE_MARKER) + 1,
                "article-placeholder",
                _("the template's writing guide is still at the top of the body"),
                _("delete the <!-- … --> comment: it is written for you, not for readers"),
                severity,
            )
        elif line.startswith(PLACEHOLDER):
            yield Finding(
                ctx.where(doc),
                n,
                1,
                "article-placeholder",
                _("the body still holds the template's placeholder"),
                _("write the article in place of the line '%(line)s'", line=_shorten(line)),
                severity,
            )


def _shorten(line: str, width: int = 40) -> str:
    line = line.strip()
    return line if len(line) <= width else line[: width - 1].rstrip() + "…"


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
                _("'%(key)s' still holds the template's placeholder", key=match["key"]),
                _("your own text in place of the one starting with '%(marker)s'", marker=PLACEHOLDER),
                Severity.WARNING,
            )
