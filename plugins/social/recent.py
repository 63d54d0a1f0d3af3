"""The home page's pool of recent posts, written as JSON for its script to pick from."""

from __future__ import annotations

import json
from pathlib import Path

from pelican.generators import Generator


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
            "{% with posts = [post], show_author = True %}"
            '{% include "partials/social_posts.html" %}{% endwith %}'
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
            path.write_text(
                json.dumps({"cards": cards}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
            )
