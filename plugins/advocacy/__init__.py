"""Advocacy: share links on articles, the share kit, the leaderboard, the programme dashboard.

Settings: ``ADVOCACY`` (settings.py, every key documented there); the UTM tags
of shared links are the site's (``SHARING``, ``ambassade.share``), the same for
the share links, the kit and the length rules.
"""

from __future__ import annotations

import logging

from pelican import signals

from ambassade import inputs
from ambassade.site import social_path

from .generator import AdvocacyGenerator
from .settings import AdvocacySettings

log = logging.getLogger(__name__)

SETTINGS = (AdvocacySettings,)


def declare(pelican) -> None:
    """Say what the plugin reads (ambassade.inputs): the social snapshots, for the dashboard's figures."""
    inputs.declare(pelican.settings, social_path(pelican.settings), by=__name__)


def get_generators(pelican):
    return AdvocacyGenerator


def register() -> None:
    """What it reads at ``initialized``; everything else in a generator, which Pelican runs after
    the articles and (listed after ``experts`` in PLUGINS) after the experts' pages, so
    articles are read, dated, marked scheduled and attributed to experts when it starts."""
    signals.initialized.connect(declare)
    signals.get_generators.connect(get_generators)
