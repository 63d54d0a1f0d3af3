"""The editorial charter, as configured in the ``CHARTER`` setting.

Keys and defaults are :class:`ambassade.rules.context.CharterSettings`'s. Terms and markers
are looked for in the whole file, header and body, HTML comments included:
a comment is published in the page's source.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from ambassade.diagnostics import Finding, Severity
from ambassade.i18n import _

from .context import Context
from .frontmatter import Document


@lru_cache(maxsize=256)
def _term_re(term: str, *, any_case: bool) -> re.Pattern[str]:
    # Whole words, even when the term starts or ends with punctuation ("C++");
    # a space in a term matches any run of blanks, a line break included.
    return re.compile(rf"(?<!\w){_words(term)}(?!\w)", re.IGNORECASE if any_case else 0)


def _words(term: str) -> str:
    return r"\s+".join(re.escape(w) for w in term.split())


def _may_contain(text: str, terms) -> bool:
    """False when no term can be in ``text``: not even a substring of it, in any case
    and with its blanks made single spaces. Most texts hold none, and this look is far
    cheaper than the whole-word search of each term."""
    folded = _folded(text)
    return any(_folded(term) in folded for term in terms if term.strip())


@lru_cache(maxsize=512)
def _folded(text: str) -> str:
    return " ".join(text.casefold().split())


def _position(text: str, offset: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


def forbidden_terms(doc: Document, ctx: Context) -> Iterator[Finding]:
    if not _may_contain(doc.source, ctx.charter.forbidden_terms):
        return
    for term, instead in ctx.charter.forbidden_terms.items():
        for match in _term_re(term, any_case=True).finditer(doc.source):
            expected = _("write '%(instead)s' instead", instead=instead) if instead else _("another wording")
            yield Finding(
                ctx.where(doc),
                *_position(doc.source, match.start()),
                "charter-forbidden-term",
                _("'%(term)s' is a term the editorial charter forbids", term=" ".join(match.group().split())),
                expected,
            )


def confidential_markers(doc: Document, ctx: Context) -> Iterator[Finding]:
    if not _may_contain(doc.source, ctx.charter.confidential_markers):
        return
    for marker in ctx.charter.confidential_markers:
        # A marker in capitals is a stamp; the same word in lower case is prose.
        for match in _term_re(marker, any_case=not marker.isupper()).finditer(doc.source):
            yield Finding(
                ctx.where(doc),
                *_position(doc.source, match.start()),
                "charter-confidential",
                _(
                    "'%(marker)s' marks this text as not for publication",
                    marker=" ".join(match.group().split()),
                ),
                _("remove the confidential material and the marker; ask comms if unsure (editorial charter)"),
            )


def title_length(doc: Document, ctx: Context) -> Iterator[Finding]:
    limit = ctx.charter.max_title_length
    title = doc.get("title")
    if limit and title and len(title.value) > limit:
        yield Finding(
            ctx.where(doc),
            title.line,
            title.col,
            "charter-title-length",
            _("the title is %(n)s characters long", n=len(title.value)),
            _("at most %(limit)s (editorial charter): feeds and share cards cut longer titles", limit=limit),
            Severity.WARNING,
        )
