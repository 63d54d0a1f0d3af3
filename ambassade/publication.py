"""What goes live, and when: the one answer that ``check``, the build and ``publish`` share.

A draft never goes live (production builds leave it out, at its own address
``DRAFT_URL``); a dated article goes live at its date (``ambassade.dates``: the
first build after it publishes it); a page without a date is live with the
build. A link is only good if what it points to is live whenever the page
holding it is: the content rules report, at the line of the link, what
``publish`` would otherwise find broken in the built site.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from typing import Any

from . import dates

#: The Pelican URL settings of drafts: a file at one of these URLs is a draft.
DRAFT_URL_SETTINGS = ("DRAFT_URL", "DRAFT_LANG_URL", "DRAFT_PAGE_URL", "DRAFT_PAGE_LANG_URL")

NEVER = None
"""What :func:`live_from` says of a draft."""


def live_from(
    status: str, date: str | None, settings: Mapping[str, Any], now: dt.datetime | None = None
) -> dt.datetime | None:
    """When a source with this ``Status:`` and ``Date:`` goes live; None for never (a draft).

    A source without a date (a page), or whose date is not one (the date rule
    reports it), counts as live with this build, ``now``.
    """
    if status == "draft":
        return NEVER
    now = now or dt.datetime.now(dt.UTC)
    parsed = dates.parse(date, settings) if date else None
    return parsed or now


def url_pattern(template: str) -> re.Pattern[str]:
    """A Pelican URL setting (``{lang}/brouillons/{slug}/``) as a pattern matching its files' paths."""
    parts = re.split(r"\{[^}]*\}", template)
    return re.compile("^" + "[^/]+".join(re.escape(p) for p in parts))


def url_patterns(settings: Mapping[str, Any], names: Iterable[str]) -> list[re.Pattern[str]]:
    """The patterns of the URL settings ``names`` that the settings give."""
    return [url_pattern(settings[n]) for n in names if settings.get(n)]


def is_draft_url(path: str, settings: Mapping[str, Any]) -> bool:
    """Is ``path`` (relative to the site's root, no leading /) where a draft is built?"""
    return any(p.match(path) for p in url_patterns(settings, DRAFT_URL_SETTINGS))
