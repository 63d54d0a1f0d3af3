"""The ``ADVOCACY`` settings: share links, the programme's internal pages, and how contributions score."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import ClassVar, Literal

from ambassade.i18n import _
from ambassade.settings import Problem, Section, default

NETWORKS = ("linkedin", "x", "mastodon", "bluesky", "email")
Network = Literal["linkedin", "x", "mastodon", "bluesky", "email"]
WEIGHTS = {
    "article": 10,
    "coauthored_article": 6,
    "translation": 4,
    "share_text": 2,
    "share": 3,
    "social_post": 1,
}


@dataclass(frozen=True)
class DigestSettings(Section):
    """``ADVOCACY["digest"]``: the weekly e-mail and chat message of what is new in the share kit."""

    kit_url: str = default(
        "",
        doc="where colleagues open the share kit (the intranet copy, `invoke build --internal`); "
        "'' for SITE's origin followed by the kit's path",
    )
    sender: str = default("", doc="the From address; else the DIGEST_FROM environment variable")
    subject_prefix: str = default("", doc="put before the subject, e.g. '[Clairvoie]'")
    retries: int = default(3, min=1, max=10, doc="tries of each sending before it is reported as failed")
    retry_delay: float = default(
        2.0, min=0.0, doc="seconds before the second try, doubled before each next one"
    )
    timeout: float = default(20.0, min=1.0, doc="seconds an SMTP server or a webhook may take to answer")


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
        "coauthored_article (each co-author), translation (each author of a translation), "
        "share_text (each author of the article, per text), share (each item of the kit a colleague "
        "shared on a network: a public post linking to it, or clicks on their own link), social_post",
    )
    streak_months: int = default(
        3, min=2, doc="months in a row with a contribution that earn the 'streak' badge"
    )
    period_days: int = default(
        30, min=7, doc="the dashboard's period: its figures over these last days, beside the days before"
    )
    eligible_headcount: int | None = default(
        None,
        min=1,
        doc="how many people could join the programme (the company's headcount, or a team's): "
        "the dashboard gives the share of them who took part",
    )
    stats_file: str = default(
        "data/stats.json",
        doc="the click counts `invoke stats` writes and the build reads (from the settings file's folder)",
    )
    bots: list[str] = default(
        [],
        doc="words of user agents that are not people, besides those ambassade knows "
        "(plugins/advocacy/bots.py)",
    )
    digest: DigestSettings = field(default_factory=DigestSettings)
    today: dt.date | str | None = default(
        None,
        doc="the build's date ('YYYY-MM-DD'), which periods and the "
        "dashboard are relative to; else the ADVOCACY_TODAY "
        "environment variable; else today in TIMEZONE. Tests pin it",
    )
    months: int = default(12, min=1, doc="months the dashboard charts show (contributors, articles)")
    weeks: int = default(12, min=1, doc="weeks the dashboard charts show (posts)")
    top_topics: int = default(10, min=1, doc="topics the dashboard lists")
    csv_lines: int = default(
        1000, min=10, doc="rows at most in each CSV export of the dashboard's tables (the top ones)"
    )
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
