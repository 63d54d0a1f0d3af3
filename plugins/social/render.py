"""Posts as the site shows them: attached to expert pages, picked for the home page.

Reads the snapshots written by ``invoke fetch`` and never the network. Every
post is sanitized again here, so a hand-edited or old snapshot cannot bring
active content past a newer policy.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from markupsafe import Markup

from .sanitize import clean_html
from .snapshot import SnapshotError, load_snapshot, snapshot_path

NETWORK_LABELS = {"mastodon": "Mastodon", "bluesky": "Bluesky", "x": "X", "feed": "Blog"}


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


def _linkable(post: dict[str, Any]) -> bool:
    return post.get("url", "").startswith(("https://", "http://"))


def _date(post: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(post["date"].replace("Z", "+00:00"))


def _view(post: dict[str, Any], date: datetime, expert: Any) -> PostView:
    return PostView(
        network=post.get("network", "feed"),
        network_label=NETWORK_LABELS.get(post.get("network", "feed"), "Blog"),
        url=post["url"],
        date=date,
        html=Markup(clean_html(post.get("html", ""))),
        repost=bool(post.get("repost")),
        expert=expert,
    )


def attach_posts(experts: list, directory: Path, per_profile: int) -> list[str]:
    """Give each consenting expert page its latest posts; return problems with snapshots."""
    problems = []
    for page in experts:
        if not page.profile.social_feed:
            continue
        try:
            snapshot = load_snapshot(snapshot_path(directory, page.slug))
        except SnapshotError as error:
            problems.append(str(error))
            continue
        # Picked by date first: only the posts shown are sanitized (a snapshot keeps more).
        dated = [(_date(post), post["url"], post) for post in snapshot.get("posts", []) if _linkable(post)]
        latest = sorted(dated, key=lambda d: d[:2], reverse=True)[:per_profile]
        page.posts = [_view(post, date, page) for date, _, post in latest]
    return problems


def home_selection(experts: list, count: int) -> list[PostView]:
    """The latest original post of each expert, most recent first, then their next ones.

    Round-robin across experts so that one prolific person does not fill the
    strip; reposts only when originals run out.
    """
    queues = [
        sorted(page.posts, key=lambda v: (v.repost, -v.date.timestamp(), v.url))
        for page in experts if page.posts
    ]
    picked: list[PostView] = []
    depth = 0
    while len(picked) < count and any(len(q) > depth for q in queues):
        layer = [q[depth] for q in queues if len(q) > depth]
        layer.sort(key=lambda v: (v.repost, -v.date.timestamp(), v.expert.slug))
        picked.extend(layer[: count - len(picked)])
        depth += 1
    return picked
