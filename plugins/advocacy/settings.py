"""The ``ADVOCACY`` settings: share links, the programme's internal pages, and how contributions score."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import ClassVar, Literal

from ambassade.i18n import _
from ambassade.settings import Problem, Section, default

NETWORKS = ("linkedin", "x", "mastodon", "bluesky", "email")
Network = Literal["linkedin", "x", "mastodon", "bluesky", "email"]
WEIGHTS = {"article": 10, "coauthored_article": 6, "share_text": 2, "social_post": 1}


@dataclass(frozen=True)
class AdvocacySettings(Section):
    NAME: ClassVar[str] = "ADVOCACY"

    public: bool = default(
        False,
        doc="build the share kit, leaderboard and dashboard in production too; they "
        "are internal by default: built by the preview and by an internal build",
    )
    internal: bool = default(
        False,
        doc="this build is the intranet copy: build those pages even though PREVIEW "
        "is off (`invoke build --internal` sets it)",
    )
    share_links: bool = default(
        True,
        doc="share links at the end of every published article (plain links that "
        "load nothing until the visitor clicks one)",
    )
    networks: list[Network] = default(list(NETWORKS), doc="which share links, in order")
    weights: dict[str, int] = default(
        dict(WEIGHTS),
        doc="points per contribution: article (sole author), "
        "coauthored_article (each co-author), share_text (each author of the "
        "article, per text), social_post",
    )
    today: dt.date | str | None = default(
        None,
        doc="the build's date ('YYYY-MM-DD'), which periods and the "
        "dashboard are relative to; else the ADVOCACY_TODAY "
        "environment variable; else today in TIMEZONE. Tests pin it",
    )
    months: int = default(12, min=1, doc="months the dashboard charts show (contributors, articles)")
    weeks: int = default(12, min=1, doc="weeks the dashboard charts show (posts)")
    top_topics: int = default(10, min=1, doc="topics the dashboard lists")
    share_kit_save_as: str = "share-kit/index.html"
    leaderboard_save_as: str = "leaderboard/index.html"
    dashboard_save_as: str = "dashboard/index.html"
    dashboard_json_save_as: str = "dashboard.json"

    def problems(self) -> list[Problem]:
        out = [
            Problem(
                ("weights", key),
                _("is not a kind of contribution"),
                _("one of %(keys)s", keys=", ".join(WEIGHTS)),
            )
            for key in self.weights
            if key not in WEIGHTS
        ]
        out += [
            Problem(("weights", key), _("is %(value)r", value=value), _("a whole number, 0 or more"))
            for key, value in self.weights.items()
            if value < 0
        ]
        if isinstance(self.today, str):
            try:
                dt.date.fromisoformat(self.today)
            except ValueError:
                out.append(
                    Problem(("today",), _("is %(value)r", value=self.today), _("a date such as '2026-03-14'"))
                )
        return out

    @property
    def points(self) -> dict[str, int]:
        """Every weight: the defaults, with those the settings give."""
        return {**WEIGHTS, **self.weights}
