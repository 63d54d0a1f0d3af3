"""Social posts: fetch each expert's public feeds (``invoke fetch``), keep a
snapshot in data/social/, and show the latest posts on profiles and the home page.

Settings: ``SOCIAL`` (see settings.py; an unknown key is an error).
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from pelican import signals
from pelican.generators import Generator

from .render import attach_posts, home_selection
from .settings import SettingsError, SocialSettings

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
    generator = generators[0]
    settings = _settings(generator.settings)
    experts = generator.context.get("experts", [])
    root = Path(generator.settings["EXPERTS"]["path"]).parent
    for problem in attach_posts(experts, root / settings.snapshot_dir, settings.posts_on_profile):
        log.error("%s", problem)
    pool = home_selection(experts, settings.recent_posts)
    generator.context["home_posts"] = pool[: settings.home_posts]
    generator.context["recent_posts"] = pool


class RecentPostsGenerator(Generator):
    """``social/recent-<lang>.json``: posts the home page's script picks from at random.

    Each entry is the card as the page itself renders it (same partial, same
    language), so the script only chooses; it never builds markup.
    """

    def generate_output(self, writer) -> None:
        pool = self.context.get("recent_posts") or []
        if not pool:
            return
        default = self.settings["DEFAULT_LANG"]
        template = self.env.from_string(
            '{% with posts = [post], show_author = True %}{% include "partials/social_posts.html" %}{% endwith %}'
        )
        for lang in self.settings.get("LANGUAGES", (default,)):
            home = "" if lang == default else f"{lang}/"
            siteurl = self.settings["SITEURL"] or (".." if home else ".")
            cards = [
                template.render({**self.context, "SITEURL": siteurl, "lang": lang, "post": post}).strip()
                for post in pool
            ]
            path = Path(self.output_path) / "social" / f"recent-{lang}.json"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps({"cards": cards}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def get_generators(pelican):
    return RecentPostsGenerator


def register() -> None:
    """Attach posts at ``all_generators_finalized`` (expert pages exist, nothing rendered yet)."""
    signals.all_generators_finalized.connect(attach)
    signals.get_generators.connect(get_generators)
