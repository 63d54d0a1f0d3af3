"""Social posts: fetch each expert's public feeds (``invoke fetch``), keep a
snapshot in data/social/, and show the latest posts on profiles and the home page.

Settings: ``SOCIAL`` (see settings.py; an unknown key is an error).
"""

from __future__ import annotations

import logging
from pathlib import Path

from .settings import SettingsError, SocialSettings

# Pelican is imported where it is used: ``invoke fetch`` imports this package and
# needs none of Pelican (a sixth of a second of imports).

log = logging.getLogger(__name__)


def _settings(pelican_settings) -> SocialSettings:
    try:
        return SocialSettings.from_settings(pelican_settings)
    except SettingsError as error:
        for message in error.errors:
            log.error("%s", message)
        return SocialSettings()


def attach(generators) -> None:
    """After every context exists and before anything is written: posts onto pages."""
    from .render import attach_posts, home_selection

    generator = generators[0]
    settings = _settings(generator.settings)
    experts = generator.context.get("experts", [])
    root = Path(generator.settings["EXPERTS"]["path"]).parent
    for problem in attach_posts(experts, root / settings.snapshot_dir, settings.posts_on_profile):
        log.error("%s", problem)
    pool = home_selection(experts, settings.recent_posts)
    generator.context["home_posts"] = pool[: settings.home_posts]
    generator.context["recent_posts"] = pool


def get_generators(pelican):
    from .recent import RecentPostsGenerator

    return RecentPostsGenerator


def register() -> None:
    """Attach posts at ``all_generators_finalized`` (expert pages exist, nothing rendered yet)."""
    from pelican import signals

    signals.all_generators_finalized.connect(attach)
    signals.get_generators.connect(get_generators)
