"""Rules on the ready-to-post texts (``Share:`` lines) of articles and share items: known networks,
one line each, short enough for every network they are shared on (the link and the charter's
disclosure included), the disclosure when the charter requires it, and no two near-duplicates."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from ambassade.diagnostics import Finding, Severity
from ambassade.i18n import _
from ambassade.share import (
    ALIASES,
    NETWORKS,
    URL_RE,
    ShareText,
    discloses,
    length,
    share_texts,
    texts_for,
    with_disclosure,
)

from .context import Context
from .frontmatter import Document
from .slugs import article_url, is_share_item, kit_link

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
    """Each text fits each network it is shared on, as posted from an article's share links (the
    text and the article's link) and from the share kit (with the charter's disclosure added, and
    the kit's link): the longer of the two must fit."""
    texts = share_texts(doc.entries)
    if not texts:
        return
    item = is_share_item(doc, ctx)
    words = _disclosure(doc, ctx) if ctx.charter.share_disclosure_mode == "add" else None
    url = None if item else article_url(doc, ctx)
    for network in NETWORKS.values():
        for text in texts_for(texts, network.key):
            kit = kit_link(doc, ctx, network.key)
            n = length(with_disclosure(text.text, words), network.key, kit)
            if url is not None and length(text.text, network.key, url) >= n:
                n, kit = length(text.text, network.key, url), None
            if n > network.limit:
                yield _too_long(doc, ctx, text, network.key, n, url if kit is None else kit, kit is not None)


def _disclosure(doc: Document, ctx: Context) -> str | None:
    return ctx.charter.disclosure(doc.value("lang") or ctx.setting("DEFAULT_LANG"))


def texts_disclosed(doc: Document, ctx: Context) -> Iterator[Finding]:
    """With the charter's ``share_disclosure_mode`` 'require', every text says the disclosure."""
    if ctx.charter.share_disclosure_mode != "require":
        return
    words = _disclosure(doc, ctx)
    if not words:
        return
    for text in share_texts(doc.entries):
        if text.text and not discloses(text.text, words):
            yield Finding(
                ctx.where(doc),
                text.line,
                text.col,
                "share-disclosure",
                _("the share text does not say '%(words)s'", words=words),
                _("the charter asks every ready-to-post text to say it: add '%(words)s' to it", words=words),
            )


def _too_long(
    doc: Document, ctx: Context, text: ShareText, key: str, n: int, url: str, from_kit: bool = False
) -> Finding:
    network = NETWORKS[key]
    if from_kit:
        link = _("as the share kit posts it, with the disclosure and the link")
    elif network.url_length:
        link = _("%(n)s + 1 for the article's link", n=network.url_length)
    else:
        link = _("%(n)s for ' %(url)s'", n=len(url) + 1, url=url)
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


# --- near-duplicates -------------------------------------------------------------------------

WORD_RE = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
COMMON_SHINGLE = 50
"""A run of three words found in more texts than this says nothing about two of them (a slogan)."""


@dataclass(frozen=True)
class Said:
    """One share text, as the near-duplicate rule compares it."""

    where: str
    line: int
    col: int
    network: str | None
    words: tuple[str, ...]


def said(doc: Document, ctx: Context) -> list[Said]:
    """``doc``'s share texts as words: cased, links and the disclosure left out."""
    words = _disclosure(doc, ctx)
    out = []
    for text in share_texts(doc.entries):
        body = URL_RE.sub(" ", text.text)
        if words:
            body = re.sub(re.escape(words), " ", body, flags=re.IGNORECASE)
        out.append(
            Said(ctx.where(doc), text.line, text.col, text.network, tuple(WORD_RE.findall(body.casefold())))
        )
    return out


def similarity(a: Sequence[str], b: Sequence[str]) -> float:
    """How alike two texts are, 0 to 1: the words they have in the same order (difflib's ratio)."""
    if not a or not b:
        return 0.0
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def _shingles(words: tuple[str, ...]) -> set[tuple[str, ...]]:
    return {words[i : i + 3] for i in range(max(len(words) - 2, 1))}


def near_duplicates(texts: Sequence[Sequence[Said]], threshold: float) -> list[Finding]:
    """A warning for each text nearly the same as an earlier one: a variant of the same file shared on
    the same network, or a text of another file.

    ``texts`` holds each file's texts, in the order of the files. Two texts are
    compared only when they share a run of three words: near-duplicates always
    do, and a site's thousands of texts are not compared two by two.
    """
    flat = [(n, t) for n, doc in enumerate(texts) for t in doc if t.words]
    index: dict[tuple[str, ...], list[int]] = {}
    for i, (_doc, text) in enumerate(flat):
        for shingle in _shingles(text.words):
            index.setdefault(shingle, []).append(i)
    out = []
    for i, (doc_i, text) in enumerate(flat):
        candidates = sorted(
            {
                j
                for shingle in _shingles(text.words)
                if len(index[shingle]) <= COMMON_SHINGLE
                for j in index[shingle]
                if j < i
            }
        )
        for j in candidates:
            doc_j, other = flat[j]
            same = doc_i == doc_j
            if same and text.network != other.network:
                continue  # variants are texts for the same network: the kit offers them in turn
            if similarity(text.words, other.words) < threshold:
                continue
            if same:
                message = _("this variant says nearly the same as the one on line %(line)d", line=other.line)
                expected = _("variants worded differently, so that colleagues do not all post the same words")
            else:
                message = _(
                    "this text says nearly the same as a text of %(path)s (line %(line)d)",
                    path=other.where,
                    line=other.line,
                )
                expected = _("words of its own: readers who follow several colleagues see both")
            out.append(
                Finding(
                    text.where, text.line, text.col, "share-duplicate", message, expected, Severity.WARNING
                )
            )
            break
    return out
