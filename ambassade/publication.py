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
    """From when a source with this ``Status:`` and ``Date:`` is live, as of ``now``; None for never.

    A draft is never live. A date to come is when the first build after it
    publishes the source; a date gone by, a source without a date (a page) or
    with a date that is not one (the date rule reports it): live with this
    build, ``now``. So a link is good when its target's moment is not after
    its source's.
    """
    if status == "draft":
        return NEVER
    now = now or dt.datetime.now(dt.UTC)
    parsed = dates.parse(date, settings) if date else None
    return max(parsed, now) if parsed else now


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
