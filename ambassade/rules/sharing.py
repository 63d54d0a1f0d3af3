"""Rules on the ready-to-post texts (``Share:`` lines): known networks, one line each,
and short enough for every network they are shared on, the article's link included."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from ambassade.diagnostics import Finding
from ambassade.i18n import _
from ambassade.share import ALIASES, NETWORKS, ShareText, length, share_texts, texts_for

from .context import Context
from .frontmatter import Document
from .slugs import article_url

KEYS = ", ".join(["Share"] + [f"Share-{n.label}" for n in NETWORKS.values()])


def texts_valid(doc: Document, ctx: Context) -> Iterator[Finding]:
    for text in share_texts(doc.entries):
        where = (ctx.where(doc), text.line, text.col)
        if text.network is not None and text.network not in NETWORKS:
            alias = ALIASES.get(text.network)
            guess = alias or (difflib.get_close_matches(text.network, list(NETWORKS), n=1) or [None])[0]
            hint = _("did you mean '%(key)s'? ", key=f"Share-{NETWORKS[guess].label}") if guess else ""
            yield Finding(
                where[0],
                text.line,
                1,
                "share-network",
                _("no network is called '%(network)s'", network=text.network),
                _("%(hint)sone of: %(keys)s", hint=hint, keys=KEYS),
            )
        if not text.text:
            yield Finding(
                *where, "share-text", _("the share text is empty"), _("the text to post, after 'Share:'")
            )
        if text.lines > 1:
            # Pelican reads each continuation line as a text of its own.
            yield Finding(
                *where,
                "share-text",
                _("the share text goes on over %(lines)s lines", lines=text.lines),
                _("each text on one line; repeat the 'Share:' key for another text"),
            )


def texts_fit(doc: Document, ctx: Context) -> Iterator[Finding]:
    texts = share_texts(doc.entries)
    if not texts:
        return
    url = article_url(doc, ctx)
    for network in NETWORKS.values():
        for text in texts_for(texts, network.key):
            n = length(text.text, network.key, url)
            if n > network.limit:
                yield _too_long(doc, ctx, text, network.key, n, url)


def _too_long(doc: Document, ctx: Context, text: ShareText, key: str, n: int, url: str) -> Finding:
    network = NETWORKS[key]
    link = (
        _("%(n)s + 1 for the article's link", n=network.url_length)
        if network.url_length
        else _("%(n)s for ' %(url)s'", n=len(url) + 1, url=url)
    )
    own = (
        ""
        if text.network == key
        else _(
            ", or give %(network)s its own text with '%(key)s:'",
            network=network.label,
            key=f"Share-{network.label}",
        )
    )
    return Finding(
        ctx.where(doc),
        text.line,
        text.col,
        "share-too-long",
        _(
            "the share text is too long for %(network)s: %(n)s characters (%(link)s), "
            "over the limit of %(limit)s",
            network=network.label,
            n=n,
            link=link,
            limit=network.limit,
        ),
        _("shorten it by %(over)s%(own)s", over=n - network.limit, own=own),
    )
