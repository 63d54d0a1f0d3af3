"""The programme's figures: one structure for the dashboard page and dashboard.json.

The page draws its charts and tables from the same :class:`Dashboard` that
:func:`as_json` writes out, so the two can never disagree. No figure names
anyone: the dashboard counts people, it does not list them.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from babel.dates import format_date

from .scoring import Contribution, points_by_expert
from .sources import ArticleFacts, Topic


@dataclass(frozen=True)
class Bar:
    key: str
    """The period, as dashboard.json names it: ``2026-11`` (month) or ``2026-W47`` (ISO week)."""
    label: str
    """The period in words, in the page's language: ``novembre 2026``, ``23 nov. 2026``."""
    tick: str
    """The same, short, under the bar (the chart adds the year where it changes)."""
    value: int
    start: dt.date


@dataclass(frozen=True)
class TopicCount:
    topic: Topic
    articles: int


@dataclass(frozen=True)
class Dashboard:
    as_of: dt.date
    contributors_per_month: list[Bar]
    articles_per_month: list[Bar]
    posts_per_week: list[Bar]
    top_topics: list[TopicCount]
    reach: dict[str, int]
    """Declared audience per network, summed over published experts."""
    reach_experts: int
    totals: dict[str, int]

    @property
    def reach_total(self) -> int:
        return sum(self.reach.values())


def month_starts(today: dt.date, n: int) -> list[dt.date]:
    """The first day of the ``n`` months up to ``today``'s, oldest first."""
    out, year, month = [], today.year, today.month
    for _ in range(n):
        out.append(dt.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return out[::-1]


def week_starts(today: dt.date, n: int) -> list[dt.date]:
    """The Monday of the ``n`` ISO weeks up to ``today``'s, oldest first."""
    monday = today - dt.timedelta(days=today.weekday())
    return [monday - dt.timedelta(weeks=k) for k in range(n - 1, -1, -1)]


def _month_key(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def _week_key(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year:04d}-W{week:02d}"


def build(
    facts: Iterable[ArticleFacts],
    contribs: list[Contribution],
    audiences: Mapping[str, Mapping[str, int]],
    *,
    today: dt.date,
    months: int,
    weeks: int,
    top_topics: int,
    weights: Mapping[str, int],
    locale: str,
    sort_key: Callable[[str], str],
) -> Dashboard:
    """The figures up to ``today``; ``audiences`` holds published experts' declared audiences by slug."""
    originals = [f for f in facts if f.original and f.day <= today]

    active: dict[str, set[str]] = {}
    for c in contribs:
        active.setdefault(_month_key(c.day), set()).add(c.expert)
    articles = Counter(_month_key(f.day) for f in originals)
    posts = Counter(_week_key(c.day) for c in contribs if c.kind == "social_post")
    month_bars = [
        (_month_key(d), format_date(d, "MMMM y", locale=locale), format_date(d, "MMM", locale=locale), d)
        for d in month_starts(today, months)
    ]

    topic_counts: Counter[str] = Counter()
    topics: dict[str, Topic] = {}
    for f in originals:
        for topic in f.topics:
            topics.setdefault(topic.slug, topic)
            topic_counts[topic.slug] += 1
    ranked = sorted(topic_counts, key=lambda s: (-topic_counts[s], sort_key(topics[s].name), s))

    reach: Counter[str] = Counter()
    for audience in audiences.values():
        reach.update(audience)

    return Dashboard(
        as_of=today,
        contributors_per_month=[
            Bar(k, label, tick, len(active.get(k, ())), d) for k, label, tick, d in month_bars
        ],
        articles_per_month=[Bar(k, label, tick, articles[k], d) for k, label, tick, d in month_bars],
        posts_per_week=[
            Bar(
                _week_key(d),
                format_date(d, "d MMM y", locale=locale),
                format_date(d, "d MMM", locale=locale),
                posts[_week_key(d)],
                d,
            )
            for d in week_starts(today, weeks)
        ],
        top_topics=[TopicCount(topics[s], topic_counts[s]) for s in ranked[:top_topics]],
        reach=dict(sorted(reach.items())),
        reach_experts=sum(1 for a in audiences.values() if any(a.values())),
        totals={
            "articles": len(originals),
            "share_texts": sum(f.share_texts for f in facts if f.day <= today),
            "social_posts": sum(1 for c in contribs if c.kind == "social_post"),
            "contributors": len({c.expert for c in contribs}),
            "points": sum(points_by_expert(contribs, weights).values()),
        },
    )


def as_json(d: Dashboard) -> dict[str, Any]:
    """dashboard.json: the same figures, with ISO keys instead of the page's labels."""
    return {
        "as_of": d.as_of.isoformat(),
        "contributors_per_month": [{"month": b.key, "count": b.value} for b in d.contributors_per_month],
        "articles_per_month": [{"month": b.key, "count": b.value} for b in d.articles_per_month],
        "posts_per_week": [
            {"week": b.key, "start": b.start.isoformat(), "count": b.value} for b in d.posts_per_week
        ],
        "top_topics": [
            {"slug": t.topic.slug, "name": t.topic.name, "url": t.topic.url, "articles": t.articles}
            for t in d.top_topics
        ],
        "reach": {"by_network": d.reach, "total": d.reach_total, "experts": d.reach_experts},
        "totals": d.totals,
    }
