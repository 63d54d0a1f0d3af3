"""Social posts: fetch each expert's public feeds (``invoke fetch``), keep a
snapshot in data/social/, and show the latest posts on profiles and the home page.

Settings: ``SOCIAL`` (see settings.py; an unknown key is an error); the
snapshots' folder is the site's (``SITE["social_path"]``).
"""

from __future__ import annotations

import logging

from ambassade.site import social_path

from .settings import SocialSettings

# Pelican is imported where it is used: ``invoke fetch`` imports this package and
# needs none of Pelican (a sixth of a second of imports).

log = logging.getLogger(__name__)


SETTINGS = (SocialSettings,)


def declare(pelican) -> None:
    """At ``initialized``: the plugin reads the snapshots' folder (ambassade.inputs)."""
    from ambassade import inputs

    inputs.declare(pelican.settings, social_path(pelican.settings), by=__name__)


def attach(generators) -> None:
    """After every context exists and before anything is written: posts onto pages."""
    from .render import attach_posts, home_selection

    generator = generators[0]
    settings = SocialSettings.of(generator.settings)
    experts = generator.context.get("experts", [])
    directory = social_path(generator.settings)
    for problem in attach_posts(experts, directory, settings.posts_on_profile, settings.post_max_chars):
        log.error("%s: %s", problem.path, problem.what)
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
    settings = SocialSettings.of(generator.settings)
    directory = social_path(generator.settings)
    for slug, expert in (registry or {}).items():
        # The two fields it depends on, not the whole profile (ambassade.profiles.Expert): a fast
        # path counts what is read of a profile before pages render.
        if consents_to_feed({"published": expert.published, "social_feed": expert.social_feed}):
            try:
                latest_posts(
                    snapshot_path(directory, slug), settings.posts_on_profile, settings.post_max_chars
                )
            except SnapshotError:
                pass


def get_generators(pelican):
    from .recent import PostImagesGenerator, RecentPostsGenerator

    return [RecentPostsGenerator, PostImagesGenerator]


def register() -> None:
    """Say what the plugin reads at ``initialized``; read posts with the articles; attach them at
    ``all_generators_finalized`` (expert pages exist, nothing rendered yet)."""
    from pelican import signals

    signals.initialized.connect(declare)
    signals.article_generator_init.connect(read_posts)
    signals.all_generators_finalized.connect(attach)
    signals.get_generators.connect(get_generators)
