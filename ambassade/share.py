"""Ready-to-post texts of an article, and their length as each network counts it.

An article carries its share texts in its metadata header, one per line, and a
key may repeat to offer several texts::

    Share: A text for every network
    Share-X: A shorter text, for X only
    Share-LinkedIn: A longer text, for LinkedIn only

A network with texts of its own (``Share-<Network>:``) uses those; every other
network uses the ``Share:`` texts. Keys are case-insensitive. The article's own
link is appended to a text when it is shared, so :func:`length` counts it when
given ``url``.

``invoke check`` (plugins/review) rejects a text longer than its network's
limit; the share kit reads the same texts through :func:`share_texts`. Each
network counts differently:

- X: NFC text; an emoji (a whole ZWJ sequence, a flag) weighs 2, a character
  outside Latin and common punctuation ranges weighs 2, every URL weighs 23.
- Mastodon: grapheme clusters; every URL counts 23, ``@user@domain`` counts as
  ``@user``.
- Bluesky: grapheme clusters of the text as written, URLs included.
- LinkedIn: characters (code points).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, ClassVar
from urllib.parse import quote

from .i18n import _
from .settings import Problem, Section, default


@dataclass(frozen=True)
class Network:
    key: str
    """Lower-cased suffix of the metadata key: ``Share-X`` → ``x``."""
    label: str
    limit: int
    url_length: int | None = None
    """What one URL counts, when the network shortens links; None: counted as written."""


NETWORKS: dict[str, Network] = {
    n.key: n
    for n in (
        Network("x", "X", 280, url_length=23),
        Network("bluesky", "Bluesky", 300),
        Network("mastodon", "Mastodon", 500, url_length=23),
        Network("linkedin", "LinkedIn", 3000),
    )
}
KEY = "share"
"""``Share:`` gives a text for every network, ``Share-<Network>:`` for one."""
ALIASES = {"twitter": "x"}
NOT_TEXTS = ("share-until",)
"""Keys that start like a text's but are not one: ``Share-Until`` ends a share item's time in the kit."""
"""Names people may write for a network, with the key to use instead."""


@dataclass(frozen=True)
class ShareText:
    network: str | None
    """Key of the network this text is for (see :data:`NETWORKS`), None for every network.

    A key that is not in :data:`NETWORKS` is kept (``Share-Facebook`` → ``facebook``) so
    that the check can name it; the check rejects it, so a built site never has one.
    """
    text: str
    line: int
    """Where the text is in its file (1-based); 0 when read from Pelican's metadata."""
    col: int
    lines: int = 1
    """How many lines of the file the text spans."""


UTM_KEYS = ("source", "medium", "campaign")
UTM_PLACEHOLDERS = ("network", "campaign", "item")
"""What a UTM tag may name in braces: ``{"source": "{network}"}`` tags each network's link with its name."""
PERSON_PARAM = "p"
"""The query parameter of a short link that names the colleague who shared it (who chose to be counted)."""


@dataclass(frozen=True)
class SharingSettings(Section):
    """``SHARING``: what is shared and how every shared link is made, the same for the share links,
    the share kit, the short links and the length rules."""

    NAME: ClassVar[str] = "SHARING"

    utm: dict[str, str] | None = default(
        None,
        doc="UTM tags of the links the share links and the kit give out: "
        "{'source': …, 'medium': …, 'campaign': …}, any of the three; a value may name "
        "{network}, {campaign} (the item's campaign) or {item} (its short code); None for none",
    )
    tag_outside_links: bool = default(
        True, doc="add the UTM tags to the outside pages that share items point to, too"
    )
    items_path: str = default(
        "shares",
        doc="the folder of the share items (outside pages to share), in the content folder: one "
        "Markdown file per item",
    )
    campaigns_file: str = default(
        "shares/campaigns.yml",
        doc="the campaigns that share items and articles belong to, in the content folder",
    )
    short_links: bool = default(
        True,
        doc="the kit's links go through a page of our own, /go/<code>/<network>/, that sends the "
        "reader on: `invoke stats` counts the clicks in the web server's access log, without a "
        "cookie or a script",
    )
    short_links_path: str = default("go", doc="the folder of the short links in the site")
    person_links: bool = default(
        True,
        doc="a colleague who set 'share_stats: true' in their profile may pick their name in the kit: "
        "their links then carry ?p=<their slug>, and the clicks count for them",
    )

    def problems(self) -> list[Problem]:
        out = [
            Problem(("utm", key), _("is not a UTM tag"), _("one of %(keys)s", keys=", ".join(UTM_KEYS)))
            for key in (self.utm or {})
            if key not in UTM_KEYS
        ]
        for key, value in (self.utm or {}).items():
            for name in re.findall(r"{([^}]*)}", value):
                if name not in UTM_PLACEHOLDERS:
                    out.append(
                        Problem(
                            ("utm", key),
                            _("names {%(name)s}", name=name),
                            _("one of %(names)s", names=", ".join(f"{{{n}}}" for n in UTM_PLACEHOLDERS)),
                        )
                    )
        if not re.fullmatch(r"[a-z0-9-]+", self.short_links_path):
            out.append(
                Problem(
                    ("short_links_path",),
                    _("is %(value)r", value=self.short_links_path),
                    _("one folder name: small letters, digits and dashes"),
                )
            )
        return out


def shared_url(url: str, utm: Mapping[str, str] | None, **values: str | None) -> str:
    """The URL a share text carries: ``url`` with the UTM tags of the settings, in a fixed order.

    ``values`` fill the tags' placeholders (``network``, ``campaign``, ``item``); a tag that
    names one left without a value is left out rather than sent half-filled. One
    definition for the share links, the kit, the short links and the length checks, so
    that a text checked to fit is the text posted.
    """
    if not utm:
        return url
    tags = []
    for key in UTM_KEYS:
        value = utm.get(key)
        if not value:
            continue
        names = re.findall(r"{([^}]*)}", value)
        if any(not values.get(name) for name in names):
            continue
        for name in names:
            value = value.replace(f"{{{name}}}", str(values[name]))
        tags.append(f"utm_{key}={quote(value, safe='')}")
    if not tags:
        return url
    return f"{url}{'&' if '?' in url else '?'}{'&'.join(tags)}"


# --- short links ---------------------------------------------------------------------------

CODE_RE = re.compile(r"[a-z0-9][a-z0-9-]{1,39}")
"""A short link's code, as a share item may choose it (``Code:``)."""
CODE_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"
"""No 0/o, 1/l: a code read aloud or copied by hand stays right."""


def item_code(key: str) -> str:
    """The short code of a shared item: six characters, the same on every build for the same ``key``.

    ``key`` is ``article:<slug>:<lang>`` or ``share:<file name>``; a share item may choose its own.
    """
    digest = int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "big")
    out = []
    for _position in range(6):
        digest, index = divmod(digest, len(CODE_ALPHABET))
        out.append(CODE_ALPHABET[index])
    return "".join(out)


def article_key(slug: str, lang: str) -> str:
    return f"article:{slug}:{lang}"


def short_link(origin: str, code: str, network: str, path: str = "go") -> str:
    """The short link of ``code`` on ``network``: a page of our own that sends the reader on."""
    return f"{origin}/{path}/{code}/{network}/"


def short_link_save_as(code: str, network: str, path: str = "go") -> str:
    return f"{path}/{code}/{network}/index.html"


# --- disclosure ----------------------------------------------------------------------------


def discloses(text: str, words: str) -> bool:
    """Whether ``text`` already says ``words`` (in any case, blanks folded)."""
    return " ".join(words.casefold().split()) in " ".join(text.casefold().split())


def with_disclosure(text: str, words: str | None) -> str:
    """``text`` as the kit gives it out: with the charter's disclosure after it when it lacks one."""
    if not words or discloses(text, words):
        return text
    return f"{text} {words}"


def share_texts(fields: Mapping[str, Any] | Iterable[tuple[str, Any]]) -> list[ShareText]:
    """Every share text of an article's metadata, in order.

    ``fields`` maps keys to values, or is a sequence of ``(key, value)`` pairs (a key
    may then repeat). A value is a text, an object with ``value``, ``line`` and ``col``
    (review's ``frontmatter.Field``), or a list of either: Pelican's own metadata
    (``article.metadata``) works as it is, without positions.
    """
    pairs = fields.items() if isinstance(fields, Mapping) else fields
    texts = []
    for key, value in pairs:
        network = _network_of(key)
        if network is False:
            continue
        for item in value if isinstance(value, (list, tuple)) else [value]:
            if isinstance(item, str):
                texts.append(ShareText(network, item.strip(), 0, 0))
            else:
                texts.append(
                    ShareText(network, item.value.strip(), item.line, item.col, getattr(item, "lines", 1))
                )
    return texts


def _network_of(key: str) -> str | None | bool:
    """None for ``Share``, the network's key for ``Share-<Network>``, False for any other key."""
    key = key.strip().lower()
    if key == KEY:
        return None
    if key in NOT_TEXTS:
        return False
    if key.startswith(KEY + "-") and len(key) > len(KEY) + 1:
        return key[len(KEY) + 1 :]
    return False


def texts_for(texts: Iterable[ShareText], network: str) -> list[ShareText]:
    """The texts shared on ``network``: its own when it has some, else those for every network."""
    texts = list(texts)
    own = [t for t in texts if t.network == network]
    return own or [t for t in texts if t.network is None]


def length(text: str, network: str, url: str | None = None) -> int:
    """How long ``network`` says the post is: ``text``, then a space and ``url`` when given.

    ``url`` is the article's own link, which sharing appends to the text.
    """
    post = unicodedata.normalize("NFC", f"{text} {url}" if url else text)
    return COUNTERS[network](post)


# --- URLs ----------------------------------------------------------------------------------

URL_RE = re.compile(r"https?://[^\s<>\"]+", re.IGNORECASE)
# Networks leave sentence punctuation out of a link, as a reader would.
URL_TRAILING = ".,:;!?'\")]}»…"
MENTION_RE = re.compile(
    r"(?<![\w@])(?P<user>@[A-Za-z0-9_]+(?:[.-]+[A-Za-z0-9_]+)*)@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"
)


def _split_urls(text: str) -> list[tuple[str, bool]]:
    """``text`` cut into ``(piece, is_url)`` pieces."""
    pieces: list[tuple[str, bool]] = []
    pos = 0
    for match in URL_RE.finditer(text):
        url = match.group().rstrip(URL_TRAILING)
        if len(url) <= len("https://"):
            continue
        pieces.append((text[pos : match.start()], False))
        pieces.append((url, True))
        pos = match.start() + len(url)
    pieces.append((text[pos:], False))
    return [p for p in pieces if p[0]]


# --- grapheme clusters ---------------------------------------------------------------------
# A careful subset of Unicode's extended grapheme clusters (UAX #29), enough for
# what people write in posts: combining marks, emoji with skin tones, variation
# selectors and ZWJ sequences, flags (regional-indicator pairs and tag
# sequences), keycaps, Hangul jamo. The `regex` package's \X would do it, at the
# price of a dependency for one function.

ZWJ = "\u200d"
VS16 = "\ufe0f"
KEYCAP = "\u20e3"
RI = "\U0001f1e6-\U0001f1ff"
SKIN_TONES = "\U0001f3fb-\U0001f3ff"
# Extended_Pictographic, by ranges: the emoji blocks and the older symbols that
# emoji sequences start with.
PICTOGRAPHIC = (
    "\u00a9\u00ae\u203c\u2049\u2122\u2139\u2194-\u2199\u21a9\u21aa\u231a\u231b\u2328\u2388\u23cf"
    "\u23e9-\u23f3\u23f8-\u23fa\u24c2\u25aa\u25ab\u25b6\u25c0\u25fb-\u25fe\u2600-\u27bf\u2934\u2935"
    "\u2b05-\u2b07\u2b1b\u2b1c\u2b50\u2b55\u3030\u303d\u3297\u3299"
    "\U0001f000-\U0001f1e5\U0001f200-\U0001f3fa\U0001f400-\U0001faff\U0001fc00-\U0001fffd"
)


@lru_cache(maxsize=1)
def _cluster_re() -> re.Pattern[str]:
    marks = _ranges(c for c in range(0x20000) if unicodedata.category(chr(c)) in ("Mn", "Me", "Mc"))
    # Extend: marks, variation selectors, emoji modifiers, tags; Hangul V/T jamo attach to L.
    extend = (
        f"{marks}\ufe00-\ufe0f\U000e0100-\U000e01ef{SKIN_TONES}\U000e0020-\U000e007f"
        "\u1160-\u11ff\ud7b0-\ud7ff"
    )
    # A ZWJ always joins the previous cluster, and pulls in the pictograph after it (👩‍💻).
    return re.compile(rf"\r\n|[{RI}]{{2}}|.(?:[{extend}]|{ZWJ}[{PICTOGRAPHIC}]?)*", re.DOTALL)


def _ranges(codes: Iterable[int]) -> str:
    out, start, prev = [], None, None
    for code in codes:
        if start is None:
            start = prev = code
        elif code == prev + 1:
            prev = code
        else:
            out.append((start, prev))
            start = prev = code
    if start is not None:
        out.append((start, prev))
    return "".join(
        re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in out
    )


def clusters(text: str) -> list[str]:
    """``text`` cut into grapheme clusters: what a reader counts as one character."""
    return _cluster_re().findall(text)


def graphemes(text: str) -> int:
    return len(clusters(text))


# --- X's weighted length -------------------------------------------------------------------
# twitter-text v3: a code point in these ranges weighs 1, any other 2; an emoji
# (whatever its sequence) weighs 2; the limit is 280.
X_LIGHT = ((0, 4351), (8192, 8205), (8208, 8223), (8242, 8247))
_PICTO_RE = re.compile(f"[{PICTOGRAPHIC}{RI}{SKIN_TONES}]")


def _is_emoji(cluster: str) -> bool:
    if VS16 in cluster or KEYCAP in cluster or ZWJ in cluster:
        return True
    # A pictograph of the emoji planes, not one of the older symbols a text may use as such (©).
    return bool(_PICTO_RE.match(cluster)) and ord(cluster[0]) >= 0x1F000


def _x_weight(cluster: str) -> int:
    if _is_emoji(cluster):
        return 2
    return sum(1 if any(a <= ord(c) <= b for a, b in X_LIGHT) else 2 for c in cluster)


def _x_length(post: str) -> int:
    url_length = NETWORKS["x"].url_length
    return sum(
        url_length if is_url else sum(map(_x_weight, clusters(piece))) for piece, is_url in _split_urls(post)
    )


# --- Mastodon ------------------------------------------------------------------------------


def _mastodon_length(post: str) -> int:
    post = MENTION_RE.sub(r"\g<user>", post)
    url_length = NETWORKS["mastodon"].url_length
    return sum(url_length if is_url else graphemes(piece) for piece, is_url in _split_urls(post))


COUNTERS = {"x": _x_length, "mastodon": _mastodon_length, "bluesky": graphemes, "linkedin": len}
"""How each network counts a post (NFC-normalised first)."""
