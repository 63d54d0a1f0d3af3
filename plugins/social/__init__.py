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


def _snapshots(pelican_settings, settings: SocialSettings) -> Path:
    """The folder of the snapshots, beside the experts' one."""
    return Path(pelican_settings["EXPERTS"]["path"]).parent / settings.snapshot_dir


def declare(pelican) -> None:
    """At ``initialized``: the plugin reads the snapshots' folder (ambassade.inputs)."""
    from ambassade import inputs
    from ambassade.rules.check import experts_dir

    try:
        settings = SocialSettings.from_settings(pelican.settings)
    except SettingsError:  # said by attach
        settings = SocialSettings()
    inputs.declare(
        pelican.settings, experts_dir(pelican.settings).parent / settings.snapshot_dir, by=__name__
    )


def attach(generators) -> None:
    """After every context exists and before anything is written: posts onto pages."""
    from .render import attach_posts, home_selection

    generator = generators[0]
    settings = _settings(generator.settings)
    experts = generator.context.get("experts", [])
    for problem in attach_posts(experts, _snapshots(generator.settings, settings), settings.posts_on_profile):
        log.error("%s", problem)
    pool = home_selection(experts, settings.recent_posts)
    generator.context["home_posts"] = pool[: settings.home_posts]
    generator.context["recent_posts"] = pool


def read_posts(generator) -> None:
    """While the articles are read: pick and sanitize the posts each profile will show.

    At ``article_generator_init``, after the profiles are loaded; with the speed
    plugin, the main process would only wait for the articles' conversions. What
    is found is kept for :func:`attach` (problems are reported there).
    """
    from ambassade.snapshots import SnapshotError, snapshot_path

    from .render import latest_posts
    from .sources import consents_to_feed

    registry = generator.context.get("experts_registry")
    try:
        settings = SocialSettings.from_settings(generator.settings)
    except SettingsError:  # said by attach
        return
    directory = _snapshots(generator.settings, settings)
    for slug, expert in (registry or {}).items():
        if consents_to_feed(vars(expert)):
            try:
                latest_posts(snapshot_path(directory, slug), settings.posts_on_profile)
            except SnapshotError:
                pass


def get_generators(pelican):
    from .recent import RecentPostsGenerator

    return RecentPostsGenerator


def register() -> None:
    """Say what the plugin reads at ``initialized``; read posts with the articles; attach them at
    ``all_generators_finalized`` (expert pages exist, nothing rendered yet)."""
    from pelican import signals

    signals.initialized.connect(declare)
    signals.article_generator_init.connect(read_posts)
    signals.all_generators_finalized.connect(attach)
    signals.get_generators.connect(get_generators)
