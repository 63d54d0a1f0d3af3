"""The programme's figures: one structure for the dashboard page and dashboard.json.

The page draws its charts and tables from the same :class:`Dashboard` that
:func:`as_json` writes out, so the two can never disagree. No figure names
anyone: the dashboard counts people, it does not list them.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from babel.dates import format_date

from . import clicks as counts
from .clicks import Click
from .scoring import Contribution, points_by_expert
from .shares import Share
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
class Compared:
    """A figure over the dashboard's period, beside the same over the period before."""

    key: str
    now: int
    before: int

    @property
    def change(self) -> float | None:
        """The change as a fraction of the figure before; None when there was none."""
        return (self.now - self.before) / self.before if self.before else None


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    before_start: dt.date
    before_end: dt.date


@dataclass(frozen=True)
class Participation:
    """People who wrote or shared over the period, among those in the programme and the headcount."""

    participants: int
    before: int
    members: int
    """Published experts: the people who joined the programme."""
    headcount: int | None

    @property
    def rate(self) -> float | None:
        return self.participants / self.members if self.members else None

    @property
    def rate_before(self) -> float | None:
        return self.before / self.members if self.members else None

    @property
    def headcount_rate(self) -> float | None:
        return self.participants / self.headcount if self.headcount else None


@dataclass(frozen=True)
class ClickRow:
    key: str
    """An item's code, a network's key, a campaign's slug."""
    label: str
    clicks: int
    before: int
    """Clicks over the period before the dashboard's."""
    shares: int = 0
    """Shares by colleagues (an item's, a campaign's)."""
    url: str = ""
    goal: int | None = None
    """A campaign's goal in clicks."""

    @property
    def progress(self) -> float | None:
        return self.clicks / self.goal if self.goal else None


@dataclass(frozen=True)
class ClickFigures:
    """Clicks on the kit's short links (``invoke stats``), as counts."""

    total: int
    per_month: list[Bar]
    by_network: list[ClickRow]
    by_item: list[ClickRow]
    by_campaign: list[ClickRow]
    last_day: dt.date | None
    """The last day the stats have clicks for."""


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
    period: Period | None = None
    compared: list[Compared] = field(default_factory=list)
    participation: Participation | None = None
    clicks: ClickFigures | None = None
    """None when ``invoke stats`` has never counted any."""

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


def period_of(today: dt.date, days: int) -> Period:
    start = today - dt.timedelta(days=days - 1)
    return Period(start, today, start - dt.timedelta(days=days), start - dt.timedelta(days=1))


def within(day: dt.date, start: dt.date, end: dt.date) -> bool:
    return start <= day <= end


def programme(
    d: Dashboard,
    *,
    facts: list[ArticleFacts],
    contribs: list[Contribution],
    shares: list[Share],
    clicks: list[Click] | None,
    members: int,
    headcount: int | None,
    days: int,
    items: Mapping[str, tuple[str, str, str | None]],
    campaigns: Mapping[str, tuple[str, int | None]],
    network_names: Mapping[str, str],
    locale: str,
) -> Dashboard:
    """``d`` with the period's figures beside the period before, participation, and the clicks.

    ``items`` maps each item's code to its title, page and campaign; ``campaigns``
    each campaign's slug to its name and goal in clicks.
    """
    p = period_of(d.as_of, days)
    now, before = (p.start, p.end), (p.before_start, p.before_end)

    def contributors(span: tuple[dt.date, dt.date], kinds: tuple[str, ...]) -> set[str]:
        return {c.expert for c in contribs if c.kind in kinds and within(c.day, *span)}

    acting = ("article", "coauthored_article", "translation", "share")
    compared = [
        Compared("participants", len(contributors(now, acting)), len(contributors(before, acting))),
        Compared(
            "articles",
            sum(1 for f in facts if f.original and within(f.day, *now)),
            sum(1 for f in facts if f.original and within(f.day, *before)),
        ),
        Compared(
            "shares", sum(within(s.day, *now) for s in shares), sum(within(s.day, *before) for s in shares)
        ),
        Compared(
            "social_posts",
            sum(1 for c in contribs if c.kind == "social_post" and within(c.day, *now)),
            sum(1 for c in contribs if c.kind == "social_post" and within(c.day, *before)),
        ),
    ]
    figures = None
    if clicks is not None:
        compared.append(Compared("clicks", counts.total(clicks, *now), counts.total(clicks, *before)))
        figures = click_figures(clicks, shares, d, p, items, campaigns, network_names, locale)
    participation = Participation(compared[0].now, compared[0].before, members, headcount)
    return replace(d, period=p, compared=compared, participation=participation, clicks=figures)


def click_figures(
    clicks: list[Click],
    shares: list[Share],
    d: Dashboard,
    p: Period,
    items: Mapping[str, tuple[str, str, str | None]],
    campaigns: Mapping[str, tuple[str, int | None]],
    network_names: Mapping[str, str],
    locale: str,
) -> ClickFigures:
    now = [c for c in clicks if c.day <= d.as_of]
    before = [c for c in now if within(c.day, p.before_start, p.before_end)]
    per_month = counts.by(now, lambda c: _month_key(c.day))
    shares_by_item = Counter(s.code for s in shares)

    def campaign_of(code: str) -> str | None:
        return items[code][2] if code in items else None

    def rows(total, previous, label, **extra) -> list[ClickRow]:
        return sorted(
            (
                ClickRow(k, label(k), n, previous.get(k, 0), **{name: f(k) for name, f in extra.items()})
                for k, n in total.items()
            ),
            key=lambda r: (-r.clicks, r.label, r.key),
        )

    by_network = rows(
        counts.by(now, lambda c: c.network),
        counts.by(before, lambda c: c.network),
        lambda k: network_names.get(k, k),
    )
    by_item = rows(
        counts.by(now, lambda c: c.code),
        counts.by(before, lambda c: c.code),
        lambda k: items[k][0] if k in items else k,
        shares=lambda k: shares_by_item.get(k, 0),
        url=lambda k: items[k][1] if k in items else "",
    )
    in_campaigns = [c for c in now if campaign_of(c.code)]
    by_campaign = rows(
        counts.by(in_campaigns, lambda c: campaign_of(c.code)),
        counts.by([c for c in before if campaign_of(c.code)], lambda c: campaign_of(c.code)),
        lambda k: campaigns[k][0] if k in campaigns else k,
        shares=lambda k: sum(n for code, n in shares_by_item.items() if campaign_of(code) == k),
        goal=lambda k: campaigns[k][1] if k in campaigns else None,
    )
    # Campaigns without a click yet are listed too: their goal is still to reach.
    listed = {r.key for r in by_campaign}
    by_campaign += [
        ClickRow(slug, name, 0, 0, goal=goal)
        for slug, (name, goal) in sorted(campaigns.items())
        if slug not in listed
    ]
    month_bars = [
        Bar(
            _month_key(m),
            format_date(m, "MMMM y", locale=locale),
            format_date(m, "MMM", locale=locale),
            per_month.get(_month_key(m), 0),
            m,
        )
        for m in month_starts(d.as_of, len(d.articles_per_month))
    ]
    return ClickFigures(
        total=counts.total(now),
        per_month=month_bars,
        by_network=by_network,
        by_item=by_item,
        by_campaign=by_campaign,
        last_day=max((c.day for c in now), default=None),
    )


def as_json(d: Dashboard) -> dict[str, Any]:
    """dashboard.json: the same figures, with ISO keys instead of the page's labels."""
    extra: dict[str, Any] = {}
    if d.period is not None:
        extra["period"] = {
            "start": d.period.start.isoformat(),
            "end": d.period.end.isoformat(),
            "before": {"start": d.period.before_start.isoformat(), "end": d.period.before_end.isoformat()},
            "figures": {c.key: {"now": c.now, "before": c.before} for c in d.compared},
        }
    if d.participation is not None:
        extra["participation"] = {
            "participants": d.participation.participants,
            "before": d.participation.before,
            "members": d.participation.members,
            "headcount": d.participation.headcount,
        }
    extra["clicks"] = None
    if d.clicks is not None:
        extra["clicks"] = {
            "total": d.clicks.total,
            "last_day": d.clicks.last_day.isoformat() if d.clicks.last_day else None,
            "per_month": [{"month": b.key, "count": b.value} for b in d.clicks.per_month],
            "by_network": {r.key: r.clicks for r in d.clicks.by_network},
            "by_item": [
                {"code": r.key, "title": r.label, "clicks": r.clicks, "shares": r.shares}
                for r in d.clicks.by_item
            ],
            "by_campaign": [
                {"slug": r.key, "clicks": r.clicks, "goal": r.goal} for r in d.clicks.by_campaign
            ],
        }
    return extra | {
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
