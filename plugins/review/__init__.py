"""Review: the content rules (rules.py), ``invoke check`` (check.py), and what
the preview build shows reviewers: scheduled articles marked as such."""

from __future__ import annotations

import datetime as dt

from pelican import signals


def mark_scheduled(generator) -> None:
    """Flag future-dated articles; only the preview build has them (WITH_FUTURE_DATES)."""
    now = dt.datetime.now(dt.timezone.utc)
    for attr in ("articles", "translations", "drafts", "drafts_translations"):
        for article in getattr(generator, attr, []):
            article.scheduled = article.date > now


def register() -> None:
    """Mark at ``article_generator_finalized``: dates are final, nothing is rendered yet."""
    signals.article_generator_finalized.connect(mark_scheduled)
