"""Turn third-party post HTML into inert HTML fit for our pages.

Posts are written by people and servers we do not control, and they end up
on the company's site: anything that can run code, load a resource or
restyle the page is removed. The same :func:`clean_html` runs when a feed is
fetched (so snapshots never hold active content) and again when a page is
rendered (so a hand-edited or old snapshot cannot bypass a newer policy).
It is idempotent, which keeps re-fetched snapshots byte-identical.
"""

from __future__ import annotations

from functools import lru_cache

import nh3

ALLOWED_TAGS = frozenset({"p", "br", "a", "em", "strong", "blockquote", "ul", "ol", "li", "code", "pre"})
LINK_REL = "nofollow ugc noopener noreferrer"

# Elements whose *text* must go too: keeping the inside of a <script> or
# <style> as visible text would show code to readers, and <svg>/<math> can
# smuggle scripts and links that the tag allow-list alone would unwrap.
_DROPPED_WITH_CONTENT = frozenset(
    {
        "script",
        "style",
        "svg",
        "math",
        "iframe",
        "frame",
        "frameset",
        "object",
        "embed",
        "applet",
        "form",
        "button",
        "input",
        "select",
        "textarea",
        "template",
        "noscript",
        "noembed",
        "noframes",
        "title",
        "head",
        "audio",
        "video",
        "canvas",
        "xmp",
        "plaintext",
    }
)


@lru_cache(maxsize=100_000)
def clean_html(fragment: str, base_url: str | None = None) -> str:
    """``_clean``, remembered: every build cleans every snapshot's posts again (see render.py)."""
    return _clean(fragment, base_url)


def _clean(fragment: str, base_url: str | None = None) -> str:
    """Return ``fragment`` keeping only harmless text markup and http(s)/mailto links.

    Relative links are made absolute against ``base_url`` (the feed's URL,
    at fetch time); without it (at render time) they are dropped, since
    they would point into *our* site.
    """
    return nh3.clean(
        fragment,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(_DROPPED_WITH_CONTENT),
        # "*" overrides nh3's default global attributes (title, lang).
        attributes={"a": {"href"}, "*": set()},
        url_schemes={"http", "https", "mailto"},
        url_relative=("rewrite_with_base", base_url) if base_url else "deny",
        link_rel=LINK_REL,
        strip_comments=True,
    )
