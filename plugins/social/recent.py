"""What the posts bring to the output besides pages: the home page's pool of recent
posts, written as JSON for its script to pick from, and the images the posts show."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from pelican.generators import Generator

from ambassade.site import social_path

from .images import IMAGES_FOLDER
from .render import IMAGES_URL


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


class PostImagesGenerator(Generator):
    """``social/images/<digest>.webp``: the images of the posts shown, from beside the snapshots.

    Only what a page shows is copied (a snapshot keeps more posts than a
    profile shows). A hard link when the output is on the same disk: the files
    never change under their name (it is their digest), and a build copies
    nothing it does not have to.
    """

    def generate_output(self, writer) -> None:
        files = {
            image.file
            for page in self.context.get("experts", [])
            for post in page.posts
            for image in post.images
        }
        if not files:
            return
        source = social_path(self.settings) / IMAGES_FOLDER
        target = Path(self.output_path) / IMAGES_URL
        target.mkdir(parents=True, exist_ok=True)
        for name in sorted(files):
            if (target / name).exists() or not (source / name).is_file():
                continue
            try:
                os.link(source / name, target / name)
            except OSError:
                shutil.copyfile(source / name, target / name)
