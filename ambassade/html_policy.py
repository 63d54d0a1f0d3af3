"""The one policy for the HTML contributors write: what an article, a page or a biography may hold.

Markdown lets a writer put raw HTML in a text, and its ``attr_list`` extension
lets them put attributes on any element; both end up on the company's site.
What may be written is an allow-list: the elements Markdown itself makes, plus
a few that a writer needs and cannot get from Markdown (``figure`` and
``figcaption``, ``details`` and ``summary``, ``abbr``, ``mark``, ``kbd``, tables
with ``caption``, and local ``video`` and ``audio`` with their ``track``
captions). Links may be relative, ``{static}``/``{filename}`` links, ``http``,
``https``, ``mailto`` or ``tel``; images and media come from the site itself.
Nothing that runs code, loads from elsewhere or restyles the page: no
``script``, ``style`` element or attribute, ``on*`` handler, ``javascript:``
or ``data:`` URL, ``form``, ``iframe``, ``object``, ``embed`` or ``meta``.

The policy is enforced twice, so that what slips past one wall stops at the
other: ``check`` reports every element, attribute and URL outside it at its
line (:mod:`ambassade.rules.html`), and every Markdown conversion of the site
(articles, pages, summaries, biographies) ends with :func:`sanitize`, through
the Markdown extension of this module, which :func:`install` adds to the
site's ``MARKDOWN`` settings. The contributor guide
(``content/pages/contribuer.md``) says the same in words.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser

import nh3
from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor

#: What Markdown makes (with the ``extra``, ``toc`` and ``codehilite`` extensions),
#: and what a writer may add by hand.
TAGS = frozenset(
    {
        # text
        "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "code",
        "em", "strong", "b", "i", "s", "del", "ins", "mark", "small", "sub", "sup",
        "kbd", "samp", "var", "q", "cite", "abbr", "time", "span", "div", "a",
        # lists and tables
        "ul", "ol", "li", "dl", "dt", "dd",
        "table", "caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "th", "td",
        # figures, disclosure, local media
        "img", "figure", "figcaption", "details", "summary", "video", "audio", "source", "track",
    }
)  # fmt: skip

#: Attributes every allowed element may carry.
GLOBAL_ATTRIBUTES = frozenset({"id", "class", "title", "lang", "dir"})
#: Attributes of particular elements (besides the global ones).
ATTRIBUTES: dict[str, frozenset[str]] = {
    "a": frozenset({"href", "hreflang"}),
    "img": frozenset({"src", "alt", "width", "height", "loading", "decoding"}),
    "ol": frozenset({"start", "reversed", "type"}),
    "li": frozenset({"value"}),
    "th": frozenset({"colspan", "rowspan", "headers", "scope", "abbr"}),
    "td": frozenset({"colspan", "rowspan", "headers"}),
    "col": frozenset({"span"}),
    "colgroup": frozenset({"span"}),
    "blockquote": frozenset({"cite"}),
    "q": frozenset({"cite"}),
    "del": frozenset({"cite", "datetime"}),
    "ins": frozenset({"cite", "datetime"}),
    "time": frozenset({"datetime"}),
    "details": frozenset({"open"}),
    "video": frozenset({"src", "poster", "controls", "width", "height", "preload", "loop", "muted"}),
    "audio": frozenset({"src", "controls", "preload", "loop", "muted"}),
    "source": frozenset({"src", "type"}),
    "track": frozenset({"src", "kind", "srclang", "label", "default"}),
}  # fmt: skip

#: Attributes holding a URL.
URL_ATTRIBUTES = frozenset({"href", "src", "poster", "cite"})
#: Attributes whose URL the browser loads: the site's own files only.
LOADED_ATTRIBUTES = frozenset({"src", "poster"})
#: Schemes a link may use; a URL without a scheme is the site's own.
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})

#: Classes Markdown's extensions write (code highlighting, footnotes, a table of
#: contents): a writer's own classes could dress text as the site's banners.
CLASS_RE = re.compile(
    r"^(?:highlight|codehilite|footnote|footnote-ref|footnote-backref|toc|toclink|headerlink"
    # Pygments' token classes: "k", "nf", and "l-Scalar-Plain" for the tokens it has no short name for.
    r"|language-[\w+#-]+|[a-z][a-z0-9]{0,3}(?:-[A-Z][A-Za-z0-9]*)*)$"
)

#: Elements removed with everything inside them: their text is code or a page of its own.
DROPPED_WITH_CONTENT = frozenset(
    {
        "script", "style", "template", "noscript", "iframe", "frame", "frameset", "object", "embed",
        "applet", "form", "button", "input", "select", "textarea", "svg", "math", "title", "head",
        "noembed", "noframes", "xmp", "plaintext", "canvas",
    }
)  # fmt: skip

#: Table alignment that Markdown's tables extension writes as a ``style``: dropped without
#: a word (a Content-Security-Policy without inline styles ignores it anyway).
TABLE_ALIGN_RE = re.compile(r"^text-align: (?:left|right|center);$")

_SCHEME_RE = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
# A browser ignores tabs and line breaks anywhere in a URL, and blanks and control
# characters around it ("java\tscript:" is "javascript:").
_URL_NOISE = re.compile(r"[\t\n\r]")


def url_scheme(url: str) -> str | None:
    """The scheme of ``url`` as a browser reads it (lower case), or None for a relative URL."""
    url = _URL_NOISE.sub("", url).strip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f \x1f")
    found = _SCHEME_RE.match(url)
    return found.group(1).lower() if found else None


def _url_allowed(attribute: str, url: str) -> bool:
    """May ``url`` stay in the sanitized HTML? A link: relative or of an allowed scheme. A loaded file:
    relative, or http(s) — kept so that the content rules see it and say where it is (``check``
    refuses an image or a medium from another site; ``publish`` refuses any load from elsewhere)."""
    if url.startswith(("{", "|")):  # Pelican's {static}, {filename}…: a file of the content folder
        return True
    scheme = url_scheme(url)
    if attribute in LOADED_ATTRIBUTES:
        return scheme in (None, "http", "https")
    return scheme is None or scheme in URL_SCHEMES


def _loads_elsewhere(url: str) -> bool:
    return url_scheme(url) in ("http", "https") or _URL_NOISE.sub("", url).strip().startswith(
        ("//", "\\", "/\\")
    )


def _classes_allowed(value: str) -> bool:
    return all(CLASS_RE.match(name) for name in value.split())


def _allowed_attribute(tag: str, attribute: str) -> bool:
    return attribute in GLOBAL_ATTRIBUTES or attribute in ATTRIBUTES.get(tag, ())


def _filter(tag: str, attribute: str, value: str) -> str | None:
    """nh3's last word on an attribute it would keep: URLs and classes as the policy says."""
    if attribute in URL_ATTRIBUTES and not _url_allowed(attribute, value):
        return None
    if attribute == "class" and not _classes_allowed(value):
        return None
    return value


_OPTIONS = {
    "tags": set(TAGS),
    "clean_content_tags": set(DROPPED_WITH_CONTENT),
    "attributes": {"*": set(GLOBAL_ATTRIBUTES), **{tag: set(names) for tag, names in ATTRIBUTES.items()}},
    "attribute_filter": _filter,
    "url_schemes": set(URL_SCHEMES),
    "strip_comments": True,
    "link_rel": None,
}
# One cleaner made once: making nh3's options anew for every body costs a third of its time.
_cleaner = nh3.Cleaner(**_OPTIONS) if hasattr(nh3, "Cleaner") else None


def sanitize(html: str) -> str:
    """``html`` with everything outside the policy removed (idempotent)."""
    if _cleaner is not None:
        return _cleaner.clean(html)
    return nh3.clean(html, **_OPTIONS)


#: What the policy is, in a few characters: a conversion made under another policy is not reused.
DIGEST = hashlib.sha1(
    repr(
        (
            sorted(TAGS),
            sorted(GLOBAL_ATTRIBUTES),
            sorted((k, sorted(v)) for k, v in ATTRIBUTES.items()),
            sorted(URL_SCHEMES),
            CLASS_RE.pattern,
            sorted(DROPPED_WITH_CONTENT),
            nh3.__version__ if hasattr(nh3, "__version__") else "",
        )
    ).encode()
).hexdigest()[:12]


# -- what check reports ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Violation:
    """One thing outside the policy, and the text to look for in the source to find it."""

    what: str
    """What is wrong, in words."""
    needle: str
    """Text written in the source where it is (a tag's opening, an attribute's name, a URL)."""
    expected: str


class _Finder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[Violation] = []
        self._skipping: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._skipping:
            return
        if tag not in TAGS:
            self.found.append(_tag_violation(tag))
            if tag in DROPPED_WITH_CONTENT:
                self._skipping.append(tag)
            return
        for name, value in attrs:
            found = _attribute_violation(tag, name, value or "")
            if found is not None:
                self.found.append(found)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if self._skipping and self._skipping[-1] == tag:
            self._skipping.pop()

    def handle_endtag(self, tag: str) -> None:
        if self._skipping and self._skipping[-1] == tag:
            self._skipping.pop()


_ACTIVE = {"script", "style", "iframe", "object", "embed", "form", "meta", "link", "base", "svg", "math"}


def _tag_violation(tag: str) -> Violation:
    from .i18n import _

    what = (
        _("the element <%(tag)s> can run code or load from elsewhere: it is not allowed", tag=tag)
        if tag in _ACTIVE or tag in DROPPED_WITH_CONTENT
        else _("the element <%(tag)s> is not allowed", tag=tag)
    )
    return Violation(what, f"<{tag}", _("Markdown, or the HTML the contributor guide lists"))


def _attribute_violation(tag: str, name: str, value: str) -> Violation | None:
    from .i18n import _

    if name == "style" and tag in ("th", "td") and TABLE_ALIGN_RE.match(value):
        return None  # Markdown's own table alignment
    if not _allowed_attribute(tag, name):
        if name.startswith("on"):
            what = _("the event handler %(name)s= runs code: it is not allowed", name=name)
        elif name == "style":
            what = _("the style attribute is not allowed")
        else:
            what = _("the attribute %(name)s= is not allowed on <%(tag)s>", name=name, tag=tag)
        return Violation(what, name, _("the attributes the contributor guide lists"))
    if name in LOADED_ATTRIBUTES and _loads_elsewhere(value):
        if tag == "img":
            return None  # the images rule says it (image-external), with its fix
        return Violation(
            _("<%(tag)s %(name)s> loads '%(url)s' from another site", tag=tag, name=name, url=_short(value)),
            value,
            _("a file of the site: {static}/images/<file>"),
        )
    if name in URL_ATTRIBUTES and not _url_allowed(name, value):
        scheme = url_scheme(value)
        if name in LOADED_ATTRIBUTES:
            expected = _("a file of the site: {static}/images/<file>")
        else:
            expected = _("a link starting with https://, http://, mailto: or tel:, or a page of the site")
        what = _("the URL '%(url)s' uses %(scheme)s:, which is not allowed", url=_short(value), scheme=scheme)
        return Violation(what, value, expected)
    if name == "class" and not _classes_allowed(value):
        return Violation(
            _("the class '%(value)s' is not allowed: the site's own classes are for its theme", value=value),
            value,
            _("no class: Markdown and the listed elements are styled already"),
        )
    return None


def _short(value: str) -> str:
    return value if len(value) <= 60 else value[:57] + "..."


def violations(html: str) -> list[Violation]:
    """Everything of ``html`` (a conversion without :func:`sanitize`) outside the policy, in order."""
    finder = _Finder()
    finder.feed(html)
    finder.close()
    return finder.found


# What can make Markdown write something outside the policy: raw HTML, an attribute list,
# or a link's URL with a scheme or an entity. A text with none of them needs no second
# conversion (most articles): see :func:`may_violate`.
_RAW_HTML = re.compile(r"<[A-Za-z!?/]")
_ATTR_LIST = re.compile(r"\{\s*(?::|[#.]|[^}\n]*=)")
_LINK_DEST = re.compile(r"\]\(\s*<?([^\s)>]*)|^ {0,3}\[[^\]\n]+\]:\s*<?(\S*)", re.MULTILINE)


def may_violate(text: str) -> bool:
    """False when Markdown cannot make anything outside the policy of ``text`` (no raw HTML, no
    attribute list, no link with a scheme other than the allowed ones)."""
    if _RAW_HTML.search(text) or _ATTR_LIST.search(text):
        return True
    for match in _LINK_DEST.finditer(text):
        url = match.group(1) or match.group(2) or ""
        if "&" in url or "\\" in url:
            return True
        scheme = url_scheme(url)
        if scheme is not None and scheme not in URL_SCHEMES:
            return True
    return False


def locate(text: str, needle: str, start: int = 0) -> int:
    """Where ``needle`` is written in ``text`` from ``start`` (case-insensitive for tags), or -1."""
    if needle.startswith("<"):
        found = re.search(re.escape(needle) + r"(?![\w-])", text[start:], re.IGNORECASE)
        return start + found.start() if found else -1
    return text.find(needle, start)


def each_located(text: str, found: list[Violation]) -> Iterator[tuple[Violation, int]]:
    """Each violation with its offset in ``text`` (-1 when it is not written as such: an entity…).

    The n-th time a needle shows up in the HTML is its n-th occurrence in the source.
    """
    cursor: dict[str, int] = {}
    for violation in found:
        offset = locate(text, violation.needle, cursor.get(violation.needle, 0))
        if offset < 0 and cursor.get(violation.needle):
            offset = locate(text, violation.needle)
        if offset >= 0:
            cursor[violation.needle] = offset + len(violation.needle)
        yield violation, offset


# -- the second wall: every conversion ends sanitized -----------------------------------------------------

EXTENSION = "ambassade.html_policy"
"""The name of the Markdown extension in ``MARKDOWN["extension_configs"]``."""


class _Sanitize(Postprocessor):
    def run(self, text: str) -> str:
        return sanitize(text)


class PolicyExtension(Extension):
    """The last step of a Markdown conversion: :func:`sanitize`. Keeps no state between documents."""

    def __init__(self, **kwargs) -> None:
        self.config = {"policy": [DIGEST, "the policy's digest: a conversion cache keyed by it"]}
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Markdown's name
        # After every other postprocessor (raw HTML is put back at 30, the lowest of Markdown's at 10).
        md.postprocessors.register(_Sanitize(md), "ambassade_html_policy", 1)


def makeExtension(**kwargs) -> PolicyExtension:  # noqa: N802 - the name Markdown looks for
    return PolicyExtension(**kwargs)


def install(settings: dict) -> None:
    """Make every Markdown conversion of the site end with :func:`sanitize`, and read no HTML source.

    Pelican's HTML reader would publish a ``.html`` file of the content folder as
    it is: it is switched off (``check`` reports such a file).
    """
    markdown = settings.get("MARKDOWN")
    if isinstance(markdown, dict):
        configs = markdown.setdefault("extension_configs", {})
        if isinstance(configs, dict):
            configs[EXTENSION] = {"policy": DIGEST}
        extensions = markdown.setdefault("extensions", [])
        if isinstance(extensions, list) and EXTENSION not in extensions:
            extensions.append(EXTENSION)
    readers = settings.get("READERS")
    settings["READERS"] = {**(readers if isinstance(readers, dict) else {}), "html": None, "htm": None}


def without_policy(markdown_settings: dict) -> dict:
    """``MARKDOWN`` settings minus this policy: what a writer's text makes before it is sanitized."""
    out = dict(markdown_settings)
    out["extensions"] = [e for e in out.get("extensions", []) if e != EXTENSION]
    out["extension_configs"] = {k: v for k, v in out.get("extension_configs", {}).items() if k != EXTENSION}
    return out
