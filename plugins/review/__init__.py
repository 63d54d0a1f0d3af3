"""Review: the content rules (rules.py), ``invoke check`` (check.py), the scaffold
(scaffold.py), and what the preview build shows reviewers: scheduled articles
marked as such, and the review report at /review/ (report.py).

Settings (defaults here and in :data:`review.context.CHARTER_DEFAULTS`):

``CHARTER``
    The editorial charter, a dict:
    ``forbidden_terms`` ({term: wording to use instead}, default ``{}``; any case,
    whole words; an error), ``confidential_markers`` (list, default
    ``["CONFIDENTIEL", "CONFIDENTIAL", "internal only", "ne pas diffuser",
    "do not distribute"]``; a marker in capitals matches in capitals only; an
    error), ``max_title_length`` (default 90, 0 for none; a warning),
    ``require_summary`` (default True; an error when missing).
``REVIEW_REPORT``
    True writes the review report (default False); only in a build with
    ``PREVIEW = True``, since it lists drafts.
``REVIEW_BASE``
    The git branch the report compares with (default ``main``; ``origin/<base>``
    when there is no local branch of that name, as in a pull request's CI).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pelican import signals

from ambassade import inputs
from ambassade.rules.check import experts_dir
from ambassade.rules.context import CHARTER_DEFAULTS
from ambassade.settings import namespaced

from .changes import git_state
from .report import generators, wanted


def configure(pelican) -> None:
    """Merge CHARTER once at start: a misspelt key is logged as an error, which fails the build.

    And say what the plugin reads (ambassade.inputs): nothing, but for the review
    report, which reads the text of every source itself and asks git what changed.
    """
    settings = pelican.settings
    settings["CHARTER"] = namespaced(settings, "CHARTER", CHARTER_DEFAULTS)
    if not wanted(settings):
        inputs.reads_nothing(settings, by=__name__)
        return
    for folder in (settings["PATH"], experts_dir(settings)):
        inputs.declare(settings, folder, by=__name__, reads_text=True)
    for path, kind in git_state(Path(settings["PATH"])):
        inputs.declare(settings, path, kind, by=__name__)


def mark_scheduled(generator) -> None:
    """Flag future-dated articles; only the preview build has them (WITH_FUTURE_DATES)."""
    now = dt.datetime.now(dt.UTC)
    for attr in ("articles", "translations", "drafts", "drafts_translations"):
        for article in getattr(generator, attr, []):
            article.scheduled = article.date > now


def register() -> None:
    """Connect the plugin.

    Settings at ``initialized``; scheduled marks at ``article_generator_finalized``
    (dates are final, nothing is rendered yet); the report's generator through
    ``get_generators``; it writes at output time, once every generator has read its content.
    """
    signals.initialized.connect(configure)
    signals.article_generator_finalized.connect(mark_scheduled)
    signals.get_generators.connect(generators)
