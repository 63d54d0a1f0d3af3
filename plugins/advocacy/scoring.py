"""Contributions, their points, the leaderboard of each period and the badges.

Consent decides who is named: a contributor is listed by name only when
their profile is published and says ``leaderboard: true``. Everyone else who
is published still counts in the period's totals, as "N other contributors";
an unpublished person counts nowhere (their facts never reach this module).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from .sources import ArticleFacts

KINDS = ("article", "coauthored_article", "translation", "share_text", "share", "social_post")
PERIODS = ("month", "quarter", "year", "all")
FIVE = 5
BADGES = (
    "first-article",
    "five-articles",
    "co-author",
    "translator",
    "first-share",
    "five-shares",
    "streak",
    "most-active-month",
)
"""Every badge, in the order the leaderboard shows and explains them."""


@dataclass(frozen=True, order=True)
class Contribution:
    day: dt.date
    expert: str
    kind: str


def contributions(
    articles: Iterable[ArticleFacts],
    posts: Mapping[str, list[dt.date]],
    today: dt.date,
    shares: Iterable[tuple[dt.date, str]] = (),
) -> list[Contribution]:
    """Every contribution up to ``today``, sorted.

    An article counts once, on its original; a translation counts as one for
    each of its authors. With several authors, each gets the co-authored weight.
    Authors are the published ones (the experts plugin drops the others): an
    article written with someone who has since hidden counts as the others' own,
    so that no figure hints at a hidden person. Each share text is credited to
    every author of the version it is written in. A repost is a post: passing a
    colleague's word on is what the programme asks for. ``shares`` are the
    items of the kit each colleague shared (shares.py), one per item and network.
    """
    out = []
    for facts in articles:
        if facts.day > today:
            continue
        if facts.original:
            kind = "article" if len(facts.authors) == 1 else "coauthored_article"
        else:
            kind = "translation"
        out += [Contribution(facts.day, slug, kind) for slug in facts.authors]
        out += [
            Contribution(facts.day, slug, "share_text")
            for slug in facts.authors
            for _ in range(facts.share_texts)
        ]
    for slug, days in posts.items():
        out += [Contribution(day, slug, "social_post") for day in days if day <= today]
    out += [Contribution(day, slug, "share") for day, slug in shares if day <= today]
    return sorted(out)


def period_start(period: str, today: dt.date) -> dt.date | None:
    """First day of the period that contains ``today``; None for all time."""
    if period == "month":
        return today.replace(day=1)
    if period == "quarter":
        return today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1)
    if period == "year":
        return today.replace(month=1, day=1)
    return None


@dataclass(frozen=True)
class Person:
    """Who a slug is, as far as the leaderboard may say."""

    name: str
    url: str
    named: bool
    """Published and opted in to the leaderboard."""


@dataclass(frozen=True)
class Row:
    rank: int
    slug: str
    name: str
    url: str
    points: int
    counts: dict[str, int]
    """Contributions of the period by kind (every kind present, zeros included)."""
    badges: tuple[str, ...]

    @property
    def articles(self) -> int:
        return self.counts["article"] + self.counts["coauthored_article"]


@dataclass(frozen=True)
class Board:
    period: str
    start: dt.date | None
    end: dt.date
    rows: list[Row]
    """Named contributors only, best first."""
    others: int
    """How many contributors of the period are not named."""
    others_points: int
    total_points: int
    contributors: int


def points_by_expert(contribs: Iterable[Contribution], weights: Mapping[str, int]) -> dict[str, int]:
    totals: dict[str, int] = defaultdict(int)
    for c in contribs:
        totals[c.expert] += weights[c.kind]
    return dict(totals)


def badges(
    contribs: list[Contribution], weights: Mapping[str, int], today: dt.date, streak: int = 3
) -> dict[str, tuple[str, ...]]:
    """Each contributor's badges, in the order of :data:`BADGES`: a first and a fifth article (all
    time), a co-written article, a translation, a first and a fifth share, ``streak`` months in a row
    with a contribution (up to this month or the last), the most points this month (every
    contributor tied at the top gets it)."""
    kinds: dict[str, Counter] = defaultdict(Counter)
    months: dict[str, set[tuple[int, int]]] = defaultdict(set)
    for c in contribs:
        kinds[c.expert][c.kind] += 1
        months[c.expert].add((c.day.year, c.day.month))
    month = points_by_expert((c for c in contribs if c.day >= period_start("month", today)), weights)
    best = max(month.values(), default=0)
    out: dict[str, tuple[str, ...]] = {}
    for slug in sorted(kinds):
        k = kinds[slug]
        articles = k["article"] + k["coauthored_article"]
        earned = {
            "first-article": articles >= 1,
            "five-articles": articles >= FIVE,
            "co-author": k["coauthored_article"] >= 1,
            "translator": k["translation"] >= 1,
            "first-share": k["share"] >= 1,
            "five-shares": k["share"] >= FIVE,
            "streak": _streak(months[slug], today) >= streak,
            "most-active-month": best > 0 and month.get(slug) == best,
        }
        out[slug] = tuple(b for b in BADGES if earned[b])
    return out


def _streak(months: set[tuple[int, int]], today: dt.date) -> int:
    """Months in a row with a contribution, ending this month (or the last, while this one starts)."""
    year, month = today.year, today.month
    if (year, month) not in months:
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    n = 0
    while (year, month) in months:
        n += 1
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return n


def leaderboard(
    contribs: list[Contribution],
    people: Mapping[str, Person],
    weights: Mapping[str, int],
    today: dt.date,
    sort_key: Callable[[str], str],
    streak: int = 3,
) -> list[Board]:
    """One board per period of :data:`PERIODS`, ending ``today``.

    Order: points (most first), then name as a French reader sorts it (``sort_key``),
    then slug, so two builds of the same data always agree. Tied contributors share
    a rank (1, 2, 2, 4). A contributor's badges are the same on every board.
    """
    earned = badges(contribs, weights, today, streak)
    boards = []
    for period in PERIODS:
        start = period_start(period, today)
        within = [c for c in contribs if (start is None or c.day >= start) and c.day <= today]
        points = points_by_expert(within, weights)
        counts: dict[str, Counter] = defaultdict(Counter)
        for c in within:
            counts[c.expert][c.kind] += 1
        contributors = sorted(s for s in points if s in people)
        named = sorted(
            (s for s in contributors if people[s].named),
            key=lambda s: (-points[s], sort_key(people[s].name), s),
        )
        rows: list[Row] = []
        for slug in named:
            tied = rows and rows[-1].points == points[slug]
            rows.append(
                Row(
                    rank=rows[-1].rank if tied else len(rows) + 1,
                    slug=slug,
                    name=people[slug].name,
                    url=people[slug].url,
                    points=points[slug],
                    counts={kind: counts[slug][kind] for kind in KINDS},
                    badges=earned.get(slug, ()),
                )
            )
        others = [s for s in contributors if not people[s].named]
        boards.append(
            Board(
                period=period,
                start=start,
                end=today,
                rows=rows,
                others=len(others),
                others_points=sum(points[s] for s in others),
                total_points=sum(points[s] for s in contributors),
                contributors=len(contributors),
            )
        )
    return boards
