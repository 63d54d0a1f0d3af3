"""The ``PUBLISH`` settings: where ``invoke publish`` deploys, and what it lets through.

One dict in publishconf.py, defaults here. ``target`` picks the destination;
only that target's own dict is read (and must be complete), the others may
stay as they are. Every problem is reported at once, before anything is built.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .problems import Problem, ProblemsFound

TARGETS = ("folder", "rsync", "gh-pages", "s3")

#: Pages for the programme's team, not for visitors: a production build must
#: not contain them unless ``allow_internal`` says the site is an intranet.
INTERNAL_PATHS = ["share-kit/", "leaderboard/", "dashboard/", "dashboard.json"]

DEFAULTS: dict[str, Any] = {
    # Which destination: "folder", "rsync", "gh-pages" or "s3"; its options are in the dict of that name.
    "target": "folder",
    # Releases kept on a folder or rsync destination (the live one is always kept); 2 or more to roll back.
    "keep": 5,
    # Publish the internal pages (share kit, leaderboard, dashboard) too: only for a site behind a login.
    "allow_internal": False,
    # Folders (ending in /) and files that are internal, in any language.
    "internal_paths": INTERNAL_PATHS,
    # A local or mounted folder: releases/<id>/ and a `current` link the web server serves.
    "folder": {"path": ""},
    # The same layout on another machine, over SSH (no host: a local path, as in the tests).
    "rsync": {"host": "", "user": "", "port": 22, "path": "", "ssh_options": [], "rsync_options": []},
    # A branch of a git repository (GitHub Pages), one commit per publish.
    "gh-pages": {
        "repo": "",
        "branch": "gh-pages",
        "cname": "",
        "author_name": "ambassade",
        "author_email": "ambassade@users.noreply.github.com",
        "message": "Publish release {release}",
    },
    # An S3-compatible bucket (AWS, or any endpoint_url); credentials come from the environment.
    "s3": {
        "bucket": "",
        "prefix": "",
        "endpoint_url": "",
        "region": "",
        "addressing_style": "auto",
        "html_cache_control": "public, max-age=300",
        "default_cache_control": "public, max-age=3600",
    },
}

#: The options a target cannot work without, and what to put there.
REQUIRED = {
    "folder": {"path": "the folder the web server serves (its `current` link)"},
    "rsync": {"path": "the folder on the server, e.g. /srv/site"},
    "gh-pages": {"repo": "a git URL or path, e.g. https://github.com/owner/repo.git"},
    "s3": {"bucket": "the bucket's name"},
}


@dataclass(frozen=True)
class PublishSettings:
    """The ``PUBLISH`` settings in force, with the Pelican settings they go with."""

    target: str
    keep: int
    allow_internal: bool
    internal_paths: tuple[str, ...]
    options: Mapping[str, Any]
    """The chosen target's options, defaults filled in."""
    pelican: Mapping[str, Any] = field(repr=False)
    """The Pelican settings of the build (SITEURL, URL patterns, HOSTING…)."""
    source: str = "publishconf.py"
    """The settings file, as problems name it."""

    @property
    def site_url(self) -> str:
        return str(self.pelican.get("SITEURL") or "").rstrip("/")

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(self.pelican.get("LANGUAGES") or (self.pelican.get("DEFAULT_LANG", "en"),))


def _coerce(value: Any, default: Any, where: str, source: str, problems: list[Problem]) -> Any:
    """``value`` as the type of ``default``; numbers may come as text (from the environment)."""
    if isinstance(default, bool):
        if isinstance(value, bool):
            return value
        problems.append(Problem(source, f"{where} is {value!r}", "True or False"))
    elif isinstance(default, int):
        try:
            if not isinstance(value, bool):
                return int(value)
        except (TypeError, ValueError):
            pass
        problems.append(Problem(source, f"{where} is {value!r}", "a whole number"))
    elif isinstance(default, list):
        if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
            return list(value)
        problems.append(Problem(source, f"{where} is {value!r}", "a list of strings"))
    elif isinstance(default, str):
        if isinstance(value, str | Path):
            return str(value)
        problems.append(Problem(source, f"{where} is {value!r}", "a string"))
    return default


def _merge(given: Any, defaults: dict, where: str, source: str, problems: list[Problem]) -> dict:
    if not isinstance(given, Mapping):
        problems.append(Problem(source, f"{where} is {given!r}", "a dict"))
        return copy.deepcopy(defaults)
    merged = copy.deepcopy(defaults)
    for key, value in given.items():
        here = f'{where}["{key}"]'
        if key not in defaults:
            known = ", ".join(sorted(defaults))
            problems.append(Problem(source, f"{here} is not a setting", f"one of {known}"))
        elif isinstance(defaults[key], dict):
            # Another target's dict: checked only when that target is chosen.
            merged[key] = value
        else:
            merged[key] = _coerce(value, defaults[key], here, source, problems)
    return merged


def from_pelican(settings: Mapping[str, Any], source: str = "publishconf.py") -> PublishSettings:
    """The publish settings of a Pelican settings dict; :class:`ProblemsFound` lists every mistake."""
    problems: list[Problem] = []
    top = _merge(settings.get("PUBLISH") or {}, DEFAULTS, "PUBLISH", source, problems)
    target = top["target"]
    options: dict[str, Any] = {}
    if target not in TARGETS:
        problems.append(Problem(source, f'PUBLISH["target"] is {target!r}', f"one of {', '.join(TARGETS)}"))
    else:
        options = _merge(top[target], DEFAULTS[target], f'PUBLISH["{target}"]', source, problems)
        for key, what in REQUIRED[target].items():
            if not options[key]:
                problems.append(Problem(source, f'PUBLISH["{target}"]["{key}"] is empty', what))
    if top["keep"] < 1:
        problems.append(
            Problem(source, f'PUBLISH["keep"] is {top["keep"]}', "1 or more (2 or more to roll back)")
        )
    if problems:
        raise ProblemsFound(problems, "the settings")
    return PublishSettings(
        target=target,
        keep=top["keep"],
        allow_internal=top["allow_internal"],
        internal_paths=tuple(top["internal_paths"]),
        options=options,
        pelican=settings,
        source=source,
    )
