"""What Pagefind indexes of a page, as a digest: two pages with the same digest make the same index.

A page's bytes change for many reasons the search does not see: an author's
job title in a card marked ``data-pagefind-ignore``, a link to a related
article outside the indexed body, the date of the build in the footer. The
search index (search.py) keeps a part made from pages whose bytes changed when
what Pagefind reads of each of them did not.

What Pagefind reads, and so what the digest covers (Pagefind 1.x): the language
of the page; every element carrying a ``data-pagefind-*`` attribute anywhere in
the page (filters, metadata, sort keys, weights, the attributes it is told to
index), with all its attributes; and, inside the ``data-pagefind-body``
elements, every start tag with its attributes (headings, ids for sub-results,
images for the page's image) and every text, but for the elements marked
``data-pagefind-ignore`` and what they hold. That is more than Pagefind
indexes (a class, say), never less: a change it does not see may cost a part
indexed again, never a stale one.
"""

from __future__ import annotations

import hashlib
import re
from html.parser import HTMLParser

VOID = frozenset(
    ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source"]
    + ["track", "wbr"]
)
"""Elements with no end tag: they open no region."""

PREFIX = "data-pagefind-"
BODY = "data-pagefind-body"
IGNORE = "data-pagefind-ignore"


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.digest = hashlib.sha256()
        # Open elements: (tag, opens the body, opens an ignored region).
        self.stack: list[tuple[str, bool, bool]] = []
        self.body = 0
        self.ignored = 0

    def _feed(self, *parts: str) -> None:
        for part in parts:
            self.digest.update(part.encode("utf-8", "surrogatepass") + b"\0")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {name for name, _value in attrs}
        shown = " ".join(f"{name}={value}" for name, value in attrs)
        if tag == "html" or any(name.startswith(PREFIX) for name in names):
            self._feed("attrs", tag, shown)
        opens_body, opens_ignored = BODY in names, IGNORE in names
        if self.body and not self.ignored and not opens_ignored:
            self._feed("tag", tag, shown)
        if tag in VOID:
            return
        self.stack.append((tag, opens_body, opens_ignored))
        self.body += opens_body
        self.ignored += opens_ignored

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if not any(open_tag == tag for open_tag, _b, _i in self.stack):
            return  # a stray end tag: browsers ignore it, so does Pagefind's parser
        while self.stack:
            open_tag, opened_body, opened_ignored = self.stack.pop()
            self.body -= opened_body
            self.ignored -= opened_ignored
            if open_tag == tag:
                break
        if self.body and not self.ignored:
            self._feed("end", tag)

    def handle_data(self, data: str) -> None:
        if self.body and not self.ignored and data.strip():
            self._feed("text", data)


def indexed_digest(html: str) -> bytes:
    """The digest of what Pagefind indexes of the page ``html`` (see the module's text)."""
    reader = _Reader()
    reader.feed(_from_first_mark(html))
    reader.close()
    return reader.digest.digest()


_HTML_TAG = re.compile(r"<html\b[^>]*>", re.IGNORECASE)
_RAW = (("<script", "</script"), ("<style", "</style"), ("<!--", "-->"))


def _from_first_mark(html: str) -> str:
    """``html`` from the element holding its first ``data-pagefind-`` attribute, after the ``<html>``
    tag (the page's language): before that element is nothing Pagefind reads, and the head
    (metadata, structured data) is a third of a page, parsed for nothing.

    The whole page when a script, a style or a comment is still open there: cut, the rest
    could be read otherwise.
    """
    first = html.find(PREFIX)
    cut = html.rfind("<", 0, first) if first > 0 else -1
    if cut <= 0:
        return html
    head = html[:cut].lower()
    if any(head.count(start) != head.count(end) for start, end in _RAW):
        return html
    tag = _HTML_TAG.search(html, 0, cut)
    return (tag.group(0) if tag else "") + html[cut:]
