"""Render a document's body as Pelican does, and keep what rules and the report need.

Links, images and anchors are read from the HTML that Python-Markdown produces
with the site's own ``MARKDOWN`` settings, not from the Markdown text: so
reference links, code spans and raw HTML count exactly as they will on the
site, and a heading's id is the one the toc extension will write. Each link is
then found again in the source to give it a line and a column.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from html.parser import HTMLParser

import markdown

from .frontmatter import Document

WORD_RE = re.compile(r"\w+(?:['’-]\w+)*")


@dataclass(frozen=True)
class Ref:
    """A link or an image of the body, where its target is written in the source."""

    url: str
    line: int
    col: int
    text: str = ""
    """The link's text, or the image's alt text."""
    has_alt: bool = True
    """Images only: False when the ``alt`` attribute is absent (raw ``<img>``)."""


@dataclass
class Rendered:
    html: str
    ids: set[str] = field(default_factory=set)
    """Every id an anchor (``#…``) may point to."""
    links: list[Ref] = field(default_factory=list)
    images: list[Ref] = field(default_factory=list)

    @cached_property
    def words(self) -> int:
        """How many words the body's text has: only the review report asks, for the files a change touches."""
        collector = _Collector()
        collector.feed(self.html)
        collector.close()
        return len(WORD_RE.findall(" ".join(collector.text)))


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[str, list[str]]] = []
        self.images: list[tuple[str, str | None]] = []
        self.text: list[str] = []
        self._open_links: list[list[str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.add(attributes["id"])
        if tag == "a" and attributes.get("name"):
            self.ids.add(attributes["name"])
        if tag == "a":
            text: list[str] = []
            self._open_links.append(text)
            if attributes.get("href"):
                self.links.append((attributes["href"], text))
        elif tag == "img":
            self.images.append((attributes.get("src") or "", attributes.get("alt")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._open_links:
            self._open_links.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        for text in self._open_links:
            text.append(data)


class Renderer:
    """One Markdown converter for many documents, configured like Pelican's reader."""

    def __init__(self, settings: dict) -> None:
        self._settings = settings
        conf = copy.deepcopy(settings)
        configs = conf.pop("extension_configs", {})
        extensions = list(dict.fromkeys([*conf.pop("extensions", []), *configs]))
        # The body alone is rendered: the header was read already, and the meta
        # extension would take a body's first "Key: value" line for metadata.
        extensions = [e for e in extensions if e not in ("markdown.extensions.meta", "meta")]
        configs = {k: v for k, v in configs.items() if k in extensions}
        self._md = markdown.Markdown(extensions=extensions, extension_configs=configs, **conf)

    @property
    def settings(self) -> dict:
        """The ``MARKDOWN`` settings this renderer was made with."""
        return self._settings

    def render(self, doc: Document) -> Rendered:
        if _through is not None:
            return _through(self, doc, self._convert)
        return self._convert(doc)

    def _convert(self, doc: Document) -> Rendered:
        return collect(doc, self.convert(doc.body))

    def convert(self, text: str) -> str:
        """``text`` converted to HTML with these settings."""
        return self._md.reset().convert(text)


Through = Callable[[Renderer, Document, Callable[[Document], Rendered]], Rendered]
_through: Through | None = None


def render_through(through: Through | None) -> None:
    """Every :meth:`Renderer.render` goes through ``through(renderer, doc, render)`` from now on (None:
    no more), which may give a result kept from an earlier build rather than call ``render(doc)``: a
    fast path keeps renders so (the speed plugin, from one build to the next)."""
    global _through
    _through = through


def collect(doc: Document, html: str) -> Rendered:
    """What the rules need of ``html``, the rendering of ``doc``'s body, with places in the source."""
    collector = _Collector()
    collector.feed(html)
    collector.close()
    place = _Places(doc)
    return Rendered(
        html=html,
        ids=collector.ids,
        links=[Ref(url, *place(url), text="".join(text).strip()) for url, text in collector.links],
        images=[
            Ref(src, *place(src, image=True), text=alt or "", has_alt=alt is not None)
            for src, alt in collector.images
        ],
    )


class _Places:
    """Finds, in order, where each URL of the HTML is written in the source.

    The n-th time a URL shows up in the HTML is its n-th occurrence in the body;
    a reference link used twice is written once, so past the last occurrence the
    last one is reused.
    """

    def __init__(self, doc: Document) -> None:
        self.body = doc.body
        self.first_line = doc.body_line
        self.cursor: dict[str, int] = {}

    def __call__(self, url: str, *, image: bool = False) -> tuple[int, int]:
        start = self.cursor.get(url, 0)
        offset = self.body.find(url, start) if url else -1
        if offset < 0:
            offset = self.body.rfind(url, 0, start) if url and start else -1
        if offset < 0:
            return self.first_line, 1
        self.cursor[url] = offset + len(url)
        line_start = self.body.rfind("\n", 0, offset) + 1
        if image:
            # Point at the image itself, `![` or `<img`, rather than at its path.
            opening = max(
                self.body.rfind("![", line_start, offset), self.body.rfind("<img", line_start, offset)
            )
            if opening >= 0:
                offset = opening
        line = self.first_line + self.body.count("\n", 0, line_start)
        return line, offset - line_start + 1
