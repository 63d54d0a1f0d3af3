"""Every table of the dashboard, once: the page shows it and a CSV file exports it.

A table's headers are in the page's language; so are its CSV's numbers, and
its separator is the one a spreadsheet of that language expects (a semicolon
where the decimal mark is a comma, as in French), with a byte-order mark so that
spreadsheets read the accents right. Figures are counts: no table names anyone.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from babel.numbers import format_decimal, get_decimal_symbol

from .dashboard import Dashboard


@dataclass(frozen=True)
class Column:
    label: str
    kind: str = "text"
    """``text``, ``number`` (a count) or ``percent`` (a fraction, shown as a percentage)."""

    @property
    def numeric(self) -> bool:
        return self.kind != "text"


@dataclass(frozen=True)
class Table:
    id: str
    """Its anchor on the page and its CSV's name: ``clicks-by-item`` → ``clicks-by-item.csv``."""
    title: str
    columns: list[Column]
    rows: list[list[Any]]
    """Values as they are (numbers as numbers, ``None`` for none), one list per row."""
    links: list[str | None] | None = None
    """A link for the first cell of each row, where it has one."""

    @property
    def csv_name(self) -> str:
        return f"{self.id}.csv"


def tables(d: Dashboard, _: Callable[[str], str], network_names: dict[str, str]) -> list[Table]:
    """The dashboard's tables, titled and headed with ``_`` (the page language's gettext)."""
    out = []
    if d.period is not None:
        names = {
            "participants": _("People who wrote or shared"),
            "articles": _("Articles"),
            "shares": _("Shares"),
            "social_posts": _("Public posts"),
            "clicks": _("Clicks"),
        }
        out.append(
            Table(
                "period",
                _("This period and the one before"),
                [
                    Column(_("Figure")),
                    Column(_("This period"), "number"),
                    Column(_("Period before"), "number"),
                ],
                [[names[c.key], c.now, c.before] for c in d.compared],
            )
        )
    if d.clicks is not None:
        c = d.clicks
        out.append(
            Table(
                "clicks-by-campaign",
                _("Clicks per campaign"),
                [
                    Column(_("Campaign")),
                    Column(_("Clicks"), "number"),
                    Column(_("Goal"), "number"),
                    Column(_("Of the goal"), "percent"),
                    Column(_("Shares"), "number"),
                ],
                [[r.label, r.clicks, r.goal, r.progress, r.shares] for r in c.by_campaign],
            )
        )
        out.append(
            Table(
                "clicks-by-item",
                _("Clicks per item"),
                [
                    Column(_("Item")),
                    Column(_("Clicks"), "number"),
                    Column(_("Period before"), "number"),
                    Column(_("Shares"), "number"),
                ],
                [[r.label, r.clicks, r.before, r.shares] for r in c.by_item],
                [r.url or None for r in c.by_item],
            )
        )
        out.append(
            Table(
                "clicks-by-network",
                _("Clicks per network"),
                [
                    Column(_("Network")),
                    Column(_("Clicks"), "number"),
                    Column(_("Share of clicks"), "percent"),
                ],
                [[r.label, r.clicks, r.clicks / c.total if c.total else None] for r in c.by_network],
            )
        )
        out.append(_series("clicks-per-month", _("Clicks per month"), _("Month"), _("Clicks"), c.per_month))
    out += [
        _series(
            "contributors-per-month",
            _("Active contributors per month"),
            _("Month"),
            _("Contributors"),
            d.contributors_per_month,
        ),
        _series(
            "articles-per-month", _("Articles per month"), _("Month"), _("Articles"), d.articles_per_month
        ),
        _series("posts-per-week", _("Public posts per week"), _("Week of"), _("Posts"), d.posts_per_week),
        Table(
            "top-topics",
            _("Top topics"),
            [Column(_("Topic")), Column(_("Articles"), "number")],
            [[t.topic.name, t.articles] for t in d.top_topics],
            [t.topic.url for t in d.top_topics],
        ),
        Table(
            "declared-audience",
            _("Declared audience"),
            [Column(_("Network")), Column(_("Declared followers"), "number")],
            [[network_names.get(k, k), v] for k, v in d.reach.items()],
        ),
    ]
    return out


def _series(id: str, title: str, period: str, value: str, bars) -> Table:
    return Table(id, title, [Column(period), Column(value, "number")], [[b.label, b.value] for b in bars])


def as_csv(table: Table, lang: str, limit: int) -> str:
    """``table`` as a CSV file for a spreadsheet in ``lang``: its first ``limit`` rows."""
    comma = get_decimal_symbol(lang) == ","
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";" if comma else ",", lineterminator="\r\n")
    writer.writerow([f"{c.label} (%)" if c.kind == "percent" else c.label for c in table.columns])
    for row in table.rows[:limit]:
        writer.writerow(
            [_cell(value, column, lang) for value, column in zip(row, table.columns, strict=True)]
        )
    return "\ufeff" + out.getvalue()


def _cell(value: Any, column: Column, lang: str) -> str:
    if value is None:
        return ""
    if column.kind == "percent":
        return format_decimal(round(value * 100, 1), format="0.#", locale=lang)
    return str(value)
