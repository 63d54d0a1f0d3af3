"""Content rules for articles and pages: the single place they are written.

``invoke check`` runs them on pull requests and the build runs them before
Pelican, so a change that passes one passes the other. Each rule is a function
``(doc, ctx) -> findings`` registered in :data:`ARTICLE_RULES` or
:data:`PAGE_RULES`; adding a rule means adding a function there, nothing else.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator

from ambassade.diagnostics import Finding, display_path
from experts.profiles import closest

from .frontmatter import Document, split_list

STATUSES = ("published", "draft", "hidden")


@dataclass
class Context:
    """What rules need to know beyond the file itself."""

    known_authors: set[str]
    languages: tuple[str, ...] = ("fr", "en")
    root: object = None
    settings: dict = field(default_factory=dict)

    def where(self, doc: Document) -> str:
        return display_path(doc.path, self.root)


Rule = Callable[[Document, Context], Iterable[Finding]]


def title_present(doc: Document, ctx: Context) -> Iterator[Finding]:
    title = doc.get("title")
    if title is None or not title.value:
        line, col = (title.line, title.col) if title else (doc.header_end, 1)
        yield Finding(ctx.where(doc), line, col, "article-title", "the title is missing",
                      "a line 'Title: …' in the header")


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
        yield Finding(ctx.where(doc), date.line, date.col, "article-date",
                      f"'{date.value}' is not a valid date", expected)
    modified = doc.get("modified")
    if modified and parse_iso_date(modified.value) is None:
        yield Finding(ctx.where(doc), modified.line, modified.col, "article-date",
                      f"'{modified.value}' is not a valid modification date", expected)


def authors_known(doc: Document, ctx: Context) -> Iterator[Finding]:
    authors = doc.get("authors") or doc.get("author")
    if authors is None or not authors.value:
        yield Finding(ctx.where(doc), authors.line if authors else doc.header_end, 1, "article-author",
                      "the article has no author",
                      "a line 'Authors: <slug>[, <slug>…]' naming files of experts/")
        return
    known = sorted(ctx.known_authors)
    for slug, col in split_list(authors):
        if slug in ctx.known_authors:
            continue
        suggestion = closest(slug, known)
        hint = f"did you mean '{suggestion}'?" if suggestion else "no expert has a close slug"
        yield Finding(ctx.where(doc), authors.line, col, "article-author",
                      f"unknown author '{slug}'",
                      f"{hint} Authors are slugs of experts/<slug>.yml")


def lang_known(doc: Document, ctx: Context) -> Iterator[Finding]:
    lang = doc.get("lang")
    if lang and lang.value not in ctx.languages:
        yield Finding(ctx.where(doc), lang.line, lang.col, "article-lang",
                      f"unknown language '{lang.value}'", f"one of: {', '.join(ctx.languages)}")


def status_known(doc: Document, ctx: Context) -> Iterator[Finding]:
    status = doc.get("status")
    if status and status.value not in STATUSES:
        yield Finding(ctx.where(doc), status.line, status.col, "article-status",
                      f"unknown status '{status.value}'", f"one of: {', '.join(STATUSES)}")


ARTICLE_RULES: list[Rule] = [title_present, date_valid, authors_known, lang_known, status_known]
PAGE_RULES: list[Rule] = [title_present, lang_known, status_known]


def run_rules(doc: Document, ctx: Context, rules: list[Rule]) -> list[Finding]:
    return [finding for rule in rules for finding in rule(doc, ctx)]
