"""Review: what the preview build shows reviewers: scheduled articles marked as such, and
the review report at /review/ (report.py).

The content rules themselves (``invoke check``, and the build before it writes
anything) are the application's (``ambassade.rules``): the charter they enforce
is ``CHARTER`` (``ambassade.rules.context.CharterSettings``). This plugin's
settings are ``REVIEW`` (settings.py): ``report`` writes the report, ``base`` is
the branch it compares with.
"""

from __future__ import annotations

import datetime as dt

from pelican import signals

from .containment import contain
from .report import generators
from .settings import ReviewSettings

SETTINGS = (ReviewSettings,)


def mark_scheduled(generator) -> None:
    """Flag future-dated articles; only the preview build has them (WITH_FUTURE_DATES)."""
    now = dt.datetime.now(dt.UTC)
    for attr in ("articles", "translations", "drafts", "drafts_translations"):
        for article in getattr(generator, attr, []):
            article.scheduled = article.date > now


def register() -> None:
    """Connect the plugin.

    Scheduled marks at ``article_generator_finalized``
    (dates are final, nothing is rendered yet); the report's generator through
    ``get_generators``; it writes at output time, once every generator has read its content.
    """
    signals.article_generator_finalized.connect(mark_scheduled)
    signals.get_generators.connect(generators)
    # Before anything is copied: the static files found, every one inside the site (containment.py).
    signals.static_generator_finalized.connect(contain)
