"""Settings of the social feed fetcher, read from Pelican's ``SOCIAL`` dict.

All knobs live in one namespaced dict so that a typo is caught: an unknown
key is an error, not a silently ignored setting (a misspelt ``x_bridge``
would otherwise just make every X feed vanish). Values are type- and
range-checked here once, so the fetcher can trust them.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, ClassVar

from ambassade.i18n import _
from ambassade.settings import Problem, Section, default

from .addresses import networks

_DEFAULT_USER_AGENT = "ambassade/1.0 (+{site_url})"
_FORMATTER = string.Formatter()


@dataclass(frozen=True)
class SocialSettings(Section):
    """Every tunable of the fetch and of the posts shown, with production defaults.

    ``metadata["min"]`` is the smallest accepted value of a numeric setting. The
    snapshots' folder is the site's (``SITE["social_path"]``): the build reads
    it too.
    """

    NAME: ClassVar[str] = "SOCIAL"

    mastodon_template: str = "https://{instance}/@{user}.rss"
    bluesky_template: str = "https://bsky.app/profile/{handle}/rss"
    # No default: X has no official feed, and picking a third-party bridge
    # for the company is a decision someone has to make explicitly.
    x_bridge: str | None = None
    workers: int = field(default=8, metadata={"min": 1})
    deadline: float = field(default=10.0, metadata={"min": 0.1})
    max_bytes: int = field(default=2_000_000, metadata={"min": 1})
    max_redirects: int = field(default=3, metadata={"min": 0})
    allow_http: bool = False
    allow_addresses: list[str] = default(
        [],
        doc="networks fetch may reach besides the public Internet, e.g. ['127.0.0.1'] or "
        "['10.0.0.0/8'] for a bridge of your own; loopback, private, link-local and reserved "
        "addresses are refused otherwise",
    )
    user_agent: str = _DEFAULT_USER_AGENT
    retries: int = field(default=2, metadata={"min": 0})
    backoff_max: float = field(default=5.0, metadata={"min": 0})
    stale_days: int = field(default=14, metadata={"min": 1})
    posts_per_expert: int = field(default=40, metadata={"min": 1})
    # Rendering: how many posts a profile shows, how many the home page shows
    # (a random pick among ``recent_posts`` when JavaScript runs).
    posts_on_profile: int = field(default=6, metadata={"min": 0})
    home_posts: int = field(default=6, metadata={"min": 0})
    recent_posts: int = field(default=30, metadata={"min": 1})
    post_max_chars: int = default(
        500, min=50, doc="a post longer than this is cut at a word, with a link to read it in full"
    )
    # Images: fetched with the posts, re-encoded, kept beside the snapshots, served from the site.
    images: bool = default(True, doc="fetch the posts' images and show them from the site's own origin")
    images_per_post: int = default(4, min=0, doc="at most this many images of one post are kept")
    image_max_bytes: int = default(8_000_000, min=1, doc="an image file larger than this is not fetched")
    image_max_pixels: int = default(
        40_000_000, min=1, doc="an image of more pixels is refused (a decompression bomb)"
    )
    image_max_side: int = default(1600, min=16, doc="a larger image is scaled down to this longest side")
    health_path: str = default(
        "cache/social-feeds.json",
        doc="where fetch keeps each feed's health (validators, last error, failing since), "
        "relative to the settings file: not a file to commit, so that a quiet refresh changes none",
    )

    @classmethod
    def from_settings(cls, pelican_settings: Mapping[str, Any]) -> SocialSettings:
        """The settings in force, the user agent's ``{site_url}`` filled from ``SITEURL``.

        Raises :class:`~ambassade.settings.SettingsError` with every mistake.
        """
        settings = cls.of(pelican_settings)
        site_url = str(pelican_settings.get("SITEURL") or "")
        return replace(settings, user_agent=_resolve_user_agent(settings.user_agent, site_url))

    def problems(self) -> list[Problem]:
        found = [Problem((name,), message, expected) for name, message, expected in self._template_errors()]
        try:
            networks(self.allow_addresses)
        except ValueError as error:
            found.append(
                Problem(
                    ("allow_addresses",),
                    _("has an entry that is not an address or a network (%(error)s)", error=error),
                    _("addresses or networks such as '127.0.0.1' or '10.0.0.0/8'"),
                )
            )
        return found

    def _template_errors(self) -> list[tuple[str, str, str]]:
        # Checked here, not when the first profile is formatted, so that a
        # bad template fails the run up front instead of every feed.
        checks = [
            ("mastodon_template", self.mastodon_template, {"instance", "user"}),
            ("bluesky_template", self.bluesky_template, {"handle"}),
            ("x_bridge", self.x_bridge, {"handle"}),
            ("user_agent", self.user_agent, set()),
        ]
        errors = []
        for name, template, required in checks:
            if template is None:
                continue
            try:
                placeholders = {
                    key for _text, key, _spec, _conv in _FORMATTER.parse(template) if key is not None
                }
            except ValueError as error:
                errors.append(
                    (
                        name,
                        _("is not a valid template (%(error)s)", error=error),
                        _("a text with {placeholders} in braces"),
                    )
                )
                continue
            allowed = required | ({"site_url"} if name == "user_agent" else set())
            if placeholders - allowed or required - placeholders:
                errors.append(
                    (
                        name,
                        _("uses the placeholders %(found)s", found=sorted(placeholders)),
                        _("exactly the placeholders %(allowed)s", allowed=sorted(allowed)),
                    )
                )
        return errors


def _resolve_user_agent(template: str, site_url: str) -> str:
    # Without SITEURL (local development) "(+)" would be noise: drop the
    # contact part of the default rather than send an empty one.
    if not site_url:
        template = re.sub(r"\s*\(\+\{site_url\}\)", "", template)
    return template.format(site_url=site_url).strip()
