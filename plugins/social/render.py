"""Posts as the site shows them: attached to expert pages, picked for the home page.

Reads the snapshots written by ``invoke fetch`` and never the network. Every
post shown is sanitized again here, so a hand-edited or old snapshot cannot bring
active content past a newer policy; an image is shown only under the name fetch
gives it (a digest), from the site's own folder. A post with neither words nor
images is not shown, and a long one is cut at a word (``post_max_chars``).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from markupsafe import Markup

from ambassade.i18n import _
from ambassade.snapshots import SnapshotError, load_snapshot, post_date, snapshot_path

from .images import IMAGES_FOLDER, SUFFIX
from .markup import has_words, shorten
from .sanitize import clean_html

NETWORK_LABELS = {"mastodon": "Mastodon", "bluesky": "Bluesky", "x": "X", "feed": "Blog"}
IMAGES_URL = "social/images"
_IMAGE_FILE = re.compile(r"[0-9a-f]{32}" + re.escape(SUFFIX))


@dataclass(frozen=True)
class AccountView:
    """Someone a post names (whose post it shares, whom it answers), with their profile if known."""

    name: str
    url: str | None


@dataclass(frozen=True)
class ImageView:
    """An image of a post, served from the site (``IMAGES_URL``/``file``)."""

    file: str
    width: int
    height: int
    alt: str | None


@dataclass(frozen=True)
class PostView:
    network: str
    network_label: str
    url: str
    date: datetime
    html: Markup
    repost: bool
    expert: Any
    """The ExpertPage of its author."""
    original: AccountView | None = None
    reply_to: AccountView | None = None
    images: tuple[ImageView, ...] = ()
    truncated: bool = False


def _linkable(post: dict[str, Any]) -> bool:
    return post.get("url", "").startswith(("https://", "http://"))


def _account(value: Any) -> AccountView | None:
    if not isinstance(value, dict) or not isinstance(value.get("name"), str) or not value["name"].strip():
        return None
    url = value.get("url")
    return AccountView(
        value["name"].strip(), url if isinstance(url, str) and _linkable({"url": url}) else None
    )


def _images(post: dict[str, Any], folder: Path) -> tuple[ImageView, ...]:
    # Only names fetch gives (a digest), of files it kept: a hand-edited snapshot cannot
    # point anywhere else, and a page never shows a broken image.
    out = []
    for image in post.get("images") or []:
        if not isinstance(image, dict) or not _IMAGE_FILE.fullmatch(str(image.get("file"))):
            continue
        if not (folder / image["file"]).is_file():
            continue
        width, height, alt = image.get("width"), image.get("height"), image.get("alt")
        if isinstance(width, int) and isinstance(height, int) and width > 0 and height > 0:
            out.append(
                ImageView(image["file"], width, height, alt.strip() or None if isinstance(alt, str) else None)
            )
    return tuple(out)


@dataclass(frozen=True)
class _Shown:
    """A post as a profile shows it, before it is attached to its expert's page."""

    date: datetime
    post: dict[str, Any]
    html: Markup
    truncated: bool
    images: tuple[ImageView, ...]


def _view(shown: _Shown, expert: Any) -> PostView:
    post = shown.post
    return PostView(
        network=post.get("network", "feed"),
        network_label=NETWORK_LABELS.get(post.get("network", "feed"), "Blog"),
        url=post["url"],
        date=shown.date,
        html=shown.html,
        repost=bool(post.get("repost")),
        expert=expert,
        original=_account(post.get("original")),
        reply_to=_account(post.get("reply_to")),
        images=shown.images,
        truncated=shown.truncated,
    )


# Per snapshot file: a digest of its text, and the posts a profile shows from it.
_shown: dict[str, tuple[bytes, int, int, list[_Shown]]] = {}


def latest_posts(path: Path, count: int, max_chars: int) -> list[_Shown]:
    """The ``count`` latest posts of the snapshot at ``path`` that link to their network, sanitized.

    A post with neither words nor images is left out; one longer than
    ``max_chars`` is cut at a word. Kept while the file holds the same text.
    Raises :class:`SnapshotError`.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    digest = hashlib.sha1(text.encode("utf-8", "surrogatepass")).digest()
    kept = _shown.get(str(path))
    if kept is not None and kept[:3] == (digest, count, max_chars):
        return kept[3]
    snapshot = load_snapshot(path, text)
    # Picked by date first: only the posts shown are sanitized (a snapshot keeps more).
    dated = []
    for post in snapshot.get("posts", []):
        if _linkable(post):
            try:
                dated.append((post_date(post), post["url"], post))
            except (AttributeError, TypeError, ValueError):
                raise SnapshotError(
                    path,
                    _(
                        "post %(id)r: date %(date)r is not an ISO 8601 date "
                        "(such as 2026-03-14T09:30:00+01:00)",
                        id=post["id"],
                        date=post["date"],
                    ),
                ) from None
    picked = []
    for date, _order, post in sorted(dated, key=lambda d: d[:2], reverse=True):
        if len(picked) == count:
            break
        html = clean_html(post.get("html", ""))
        images = _images(post, path.parent / IMAGES_FOLDER)
        if not has_words(html) and not images:
            continue
        html, truncated = shorten(html, max_chars)
        picked.append(_Shown(date, post, Markup(html), truncated, images))
    _shown[str(path)] = (digest, count, max_chars, picked)
    return picked


def attach_posts(experts: list, directory: Path, per_profile: int, max_chars: int) -> list[SnapshotError]:
    """Give each consenting expert page its latest posts; return problems with snapshots."""
    problems = []
    for page in experts:
        if not page.profile.social_feed:
            continue
        try:
            picked = latest_posts(snapshot_path(directory, page.slug), per_profile, max_chars)
        except SnapshotError as error:
            problems.append(error)
            continue
        page.posts = [_view(shown, page) for shown in picked]
    return problems


def home_selection(experts: list, count: int) -> list[PostView]:
    """The latest original post of each expert, most recent first, then their next ones.

    Round-robin across experts so that one prolific person does not fill the
    strip; reposts only when originals run out.
    """
    queues = [
        sorted(page.posts, key=lambda v: (v.repost, -v.date.timestamp(), v.url))
        for page in experts
        if page.posts
    ]
    picked: list[PostView] = []
    depth = 0
    while len(picked) < count and any(len(q) > depth for q in queues):
        layer = [q[depth] for q in queues if len(q) > depth]
        layer.sort(key=lambda v: (v.repost, -v.date.timestamp(), v.expert.slug))
        picked.extend(layer[: count - len(picked)])
        depth += 1
    return picked
