"""Settings of the social feed fetcher, read from Pelican's ``SOCIAL`` dict.

All knobs live in one namespaced dict so that a typo is caught: an unknown
key is an error, not a silently ignored setting (a misspelt ``x_bridge``
would otherwise just make every X feed vanish). Values are type- and
range-checked here once, so the fetcher can trust them.
"""

from __future__ import annotations

import re
import string
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

_DEFAULT_USER_AGENT = "ambassade/1.0 (+{site_url})"
_FORMATTER = string.Formatter()


class SettingsError(ValueError):
    """Raised by :meth:`SocialSettings.from_settings`; ``errors`` lists every problem found."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class SocialSettings:
    """Every tunable of the fetch, with production defaults.

    ``metadata["min"]`` is the smallest accepted value of a numeric setting.
    """

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
    user_agent: str = _DEFAULT_USER_AGENT
    retries: int = field(default=2, metadata={"min": 0})
    backoff_max: float = field(default=5.0, metadata={"min": 0})
    stale_days: int = field(default=14, metadata={"min": 1})
    posts_per_expert: int = field(default=40, metadata={"min": 1})
    snapshot_dir: str = "data/social"
    # Rendering: how many posts a profile shows, how many the home page shows
    # (a random pick among ``recent_posts`` when JavaScript runs).
    posts_on_profile: int = field(default=6, metadata={"min": 0})
    home_posts: int = field(default=6, metadata={"min": 0})
    recent_posts: int = field(default=30, metadata={"min": 1})

    @classmethod
    def from_settings(cls, pelican_settings: Mapping[str, Any]) -> SocialSettings:
        """Build settings from Pelican's settings (``SOCIAL`` dict and ``SITEURL``).

        Raises :class:`SettingsError` listing every unknown key and bad value,
        so one run shows all mistakes at once.
        """
        raw = pelican_settings.get("SOCIAL") or {}
        if not isinstance(raw, Mapping):
            raise SettingsError([f"SOCIAL must be a dict, not {type(raw).__name__}"])
        hints = typing.get_type_hints(cls)
        known = {f.name: f for f in fields(cls)}
        errors = [f"SOCIAL: unknown setting {key!r}" for key in raw if key not in known]
        for key, value in raw.items():
            if key in known:
                errors.extend(_check_value(key, value, hints[key], known[key].metadata))
        if errors:
            raise SettingsError(errors)
        settings = replace(cls(), **raw)
        errors = settings._template_errors()
        if errors:
            raise SettingsError(errors)
        site_url = str(pelican_settings.get("SITEURL") or "")
        return replace(settings, user_agent=_resolve_user_agent(settings.user_agent, site_url))

    def _template_errors(self) -> list[str]:
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
                placeholders = {p for _, p, _, _ in _FORMATTER.parse(template) if p is not None}
            except ValueError as error:
                errors.append(f"SOCIAL: {name} {template!r} is not a valid template ({error})")
                continue
            allowed = required | ({"site_url"} if name == "user_agent" else set())
            if placeholders - allowed or required - placeholders:
                errors.append(
                    f"SOCIAL: {name} {template!r} must use exactly the placeholders "
                    f"{sorted(allowed)}, found {sorted(placeholders)}"
                )
        return errors


def _check_value(name: str, value: Any, hint: Any, metadata: Mapping[str, Any]) -> list[str]:
    if not _has_type(value, hint):
        return [f"SOCIAL: {name} must be {_type_name(hint)}, not {value!r}"]
    minimum = metadata.get("min")
    if minimum is not None and value < minimum:
        return [f"SOCIAL: {name} must be at least {minimum}, not {value!r}"]
    return []


def _has_type(value: Any, hint: Any) -> bool:
    if isinstance(hint, types.UnionType):
        return any(_has_type(value, arg) for arg in typing.get_args(hint))
    if hint is type(None):
        return value is None
    # bool is a subclass of int: `workers = True` is a mistake, not 1.
    if isinstance(value, bool):
        return hint is bool
    if hint is float:
        return isinstance(value, (int, float))
    return isinstance(value, hint)


def _type_name(hint: Any) -> str:
    if isinstance(hint, types.UnionType):
        return " or ".join(_type_name(arg) for arg in typing.get_args(hint))
    return "None" if hint is type(None) else hint.__name__


def _resolve_user_agent(template: str, site_url: str) -> str:
    # Without SITEURL (local development) "(+)" would be noise: drop the
    # contact part of the default rather than send an empty one.
    if not site_url:
        template = re.sub(r"\s*\(\+\{site_url\}\)", "", template)
    return template.format(site_url=site_url).strip()
