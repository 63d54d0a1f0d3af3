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
from pathlib import Path

from pelican import signals

from ambassade import dates, inputs
from ambassade.git import git_state
from ambassade.site import experts_path

from .containment import contain
from .report import generators, wanted
from .settings import ReviewSettings

SETTINGS = (ReviewSettings,)


def declare(pelican) -> None:
    """Say what the plugin reads (ambassade.inputs): nothing, but for the review report, which
    reads the text of every source itself and asks git what changed."""
    settings = pelican.settings
    if not wanted(settings):
        inputs.reads_nothing(settings, by=__name__)
        return
    for folder in (settings["PATH"], experts_path(settings)):
        inputs.declare(settings, folder, by=__name__, reads_text=True)
    for path, kind in git_state(Path(settings["PATH"])):
        inputs.declare(settings, path, kind, by=__name__)


def settle_dates(generator, metadata) -> None:
    """A header's dates as ``check`` reads them (``ambassade.dates``): without a zone, the site's;
    without a time, ``SITE["publish_time"]``. Before the content object is made, so that
    Pelican's own decisions (future dates, order, feeds) see the same moment."""
    for key in ("date", "modified"):
        value = metadata.get(key)
        if isinstance(value, dt.datetime):
            metadata[key] = dates.settled(value, generator.settings)


def mark_scheduled(generator) -> None:
    """Flag future-dated articles; only the preview build has them (WITH_FUTURE_DATES)."""
    now = dt.datetime.now(dt.UTC)
    for attr in ("articles", "translations", "drafts", "drafts_translations"):
        for article in getattr(generator, attr, []):
            article.scheduled = article.date > now


def register() -> None:
    """Connect the plugin.

    What it reads at ``initialized``; dates settled at ``article_generator_context`` and
    ``page_generator_context`` (the metadata read, the article not made yet); scheduled marks at
    ``article_generator_finalized`` (dates are final, nothing is rendered yet); the report's generator
    through ``get_generators``; it writes at output time, once every generator has read its content.
    """
    signals.initialized.connect(declare)
    signals.article_generator_context.connect(settle_dates)
    signals.page_generator_context.connect(settle_dates)
    signals.article_generator_finalized.connect(mark_scheduled)
    signals.get_generators.connect(generators)
    # Before anything is copied: the static files found, every one inside the site (containment.py).
    signals.static_generator_finalized.connect(contain)
