"""A post's text as its author's readers saw it, before and after the sanitizer.

Servers mark up posts for their own stylesheet: Mastodon hides the scheme and
the tail of long links in ``<span class="invisible">`` and ends what it shows
with an ellipsis that only its CSS draws; custom emoji are images whose
``alt`` is their name; a bridge's links point into the bridge. The sanitizer
(sanitize.py) keeps no class and no image, so what those mean is settled here,
first. Plain-text posts (Bluesky) keep their paragraphs and line breaks, and
their addresses become links, as the network's own app shows them.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit, urlunsplit

from bs4 import BeautifulSoup

ELLIPSIS = "…"

# An address in plain text: with a scheme, starting with www., or a domain
# followed by a path (Bluesky drops the scheme it shows). A bare domain
# ("Node.js") stays text. Trailing punctuation belongs to the sentence.
_ADDRESS = re.compile(
    r"(?<![\w@/.])(?:https?://[^\s<>\"]+|www\.[^\s<>\"]+|(?:[a-z0-9-]+\.)+[a-z]{2,24}/[^\s<>\"]*)",
    re.IGNORECASE,
)
_TRAILING = ".,;:!?'\"»”’"
# What prepare_html settles; a fragment without any of these is left as it is.
_NEEDS_READING = re.compile(r"invisible|ellipsis|<img", re.IGNORECASE)
# What an app writes when it shortened an address it shows: the rest is not in the text.
_SHORTENED = ("...", ELLIPSIS)


@dataclass(frozen=True)
class FoundImage:
    """An ``<img>`` of a post's HTML: where it is, and what it shows in words."""

    src: str
    alt: str | None


def prepare_html(
    fragment: str, base_url: str, bridge_host: str | None = None
) -> tuple[str, list[FoundImage]]:
    """``fragment`` as its readers saw it, and the images it showed (taken out of the text).

    Mastodon's hidden link parts are dropped and its ellipsis written out; a
    custom emoji becomes its name; links into ``bridge_host`` (an X bridge) point
    to x.com instead.
    """
    if not _NEEDS_READING.search(fragment) and not (bridge_host and "<a" in fragment):
        return fragment, []  # most posts: nothing here to settle, and parsing them costs
    soup = BeautifulSoup(fragment, "html.parser")
    for span in soup.select("span.invisible"):
        span.decompose()
    for span in soup.select("span.ellipsis"):
        span.append(ELLIPSIS)
    images = []
    for img in soup.find_all("img"):
        classes = img.get("class") or []
        if "emoji" in classes or img.get("rel") == ["emoji"]:
            img.replace_with(img.get("alt") or "")
            continue
        src = (img.get("src") or "").strip()
        if src:
            images.append(FoundImage(urljoin(base_url, src), (img.get("alt") or "").strip() or None))
        img.decompose()
    if bridge_host:
        for link in soup.find_all("a", href=True):
            link["href"] = bridge_to_x(urljoin(base_url, link["href"]), bridge_host)
    return str(soup), images


def bridge_to_x(url: str, bridge_host: str) -> str:
    """``url`` on x.com if it points into the bridge (a post, a profile, a search), as is otherwise."""
    parts = urlsplit(url)
    if (parts.hostname or "").lower() != bridge_host.lower():
        return url
    return urlunsplit(("https", "x.com", parts.path, parts.query, ""))


def text_to_html(text: str) -> str:
    """A plain-text post as HTML: paragraphs at blank lines, line breaks kept, addresses linked."""
    paragraphs = re.split(r"\n\s*\n", text.strip().replace("\r\n", "\n"))
    out = []
    for paragraph in paragraphs:
        lines = [_linked(line) for line in paragraph.split("\n")]
        if any(lines):
            out.append("<p>" + "<br>".join(lines) + "</p>")
    return "".join(out)


def _linked(line: str) -> str:
    out, end = [], 0
    for match in _ADDRESS.finditer(line):
        address = match.group(0).rstrip(_TRAILING)
        if address.count(")") > address.count("("):
            address = address[: address.rindex(")")].rstrip(_TRAILING)
        start = match.start()
        stop = start + len(address)
        out.append(html.escape(line[end:start], quote=False))
        if address.endswith(ELLIPSIS) or line[stop:].startswith(_SHORTENED):
            out.append(html.escape(address, quote=False))
        else:
            href = address if "://" in address else "https://" + address
            out.append(f'<a href="{html.escape(href)}">{html.escape(address, quote=False)}</a>')
        end = stop
    out.append(html.escape(line[end:], quote=False))
    return "".join(out)


def visible_text(fragment: str) -> str:
    """The words a reader sees in ``fragment`` (entities decoded, tags gone)."""
    return html.unescape(_TAG.sub("", fragment))


def has_words(fragment: str) -> bool:
    """Whether ``fragment`` shows a reader anything but blanks."""
    return bool(visible_text(fragment).strip())


_TAG = re.compile(r"<[^>]*>")


def shorten(fragment: str, limit: int) -> tuple[str, bool]:
    """``fragment`` (sanitized HTML) cut at a word boundary before ``limit`` visible characters.

    The cut ends with an ellipsis and every element left open is closed; a
    fragment within the limit comes back as it was. Returns the HTML and
    whether it was cut.
    """
    if len(fragment) <= limit or len(visible_text(fragment)) <= limit:
        return fragment, False
    cutter = _Cutter(limit)
    cutter.feed(fragment)
    cutter.close()
    return cutter.result(), True


# Elements without an end tag in what the sanitizer keeps.
_VOID = {"br"}


class _Cutter(HTMLParser):
    def __init__(self, limit: int) -> None:
        super().__init__(convert_charrefs=True)
        self.left = limit
        self.out: list[str] = []
        self.open: list[str] = []
        self.done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.done:
            return
        attributes = "".join(f' {name}="{html.escape(value or "")}"' for name, value in attrs)
        self.out.append(f"<{tag}{attributes}>")
        if tag not in _VOID:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.done or tag not in self.open:
            return
        while self.open:
            closing = self.open.pop()
            self.out.append(f"</{closing}>")
            if closing == tag:
                break

    def handle_data(self, data: str) -> None:
        if self.done:
            return
        if len(data) <= self.left:
            self.out.append(html.escape(data, quote=False))
            self.left -= len(data)
            return
        head = data[: self.left]
        if not data[self.left].isspace():
            # Back to the last space, so that no word is cut in two.
            space = max(head.rfind(" "), head.rfind("\n"))
            if space > 0:
                head = head[:space]
        self.out.append(html.escape(head.rstrip(" ,;:-–—") + ELLIPSIS, quote=False))
        self.done = True

    def result(self) -> str:
        return "".join(self.out) + "".join(f"</{tag}>" for tag in reversed(self.open))
