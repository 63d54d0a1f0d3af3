"""Dates as people write them: the one reading of ``Date:`` and ``Modified:`` that the content
rules, the build and the scheduled marks share.

A contributor writes ``2026-03-14``, ``2026-03-14 09:30`` or the full
``2026-03-14T09:30:00+01:00``; each means the same moment to ``check``, to the
build and to the review. A date without a zone is in the site's ``TIMEZONE``;
a date without a time goes live at ``SITE["publish_time"]``.

Pelican reads the header itself (``dateutil``) and hands plugins the value as
a naive ``datetime`` when no zone was written: it cannot tell ``2026-03-14``
from ``2026-03-14 00:00``. So both readings here agree on one rule, that a
date at midnight without a zone has no time of its own. Midnight exactly is
written with its zone: ``2026-03-14T00:00+01:00``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .site import SiteSettings

#: What people write: a day, then maybe a time (after a space or a T), then maybe a zone.
DATE_RE = re.compile(
    r"^(?P<day>\d{4}-\d{2}-\d{2})"
    r"(?:[T ]\s*(?P<time>\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*(?P<zone>Z|[+-]\d{2}:?\d{2})?)?$"
)
#: The example every date error shows: the two short forms people use.
EXAMPLE = "2026-03-14 09:30"


def zone(settings: Mapping[str, Any]) -> dt.tzinfo:
    """The site's time zone (``TIMEZONE``), UTC when it names none Python knows."""
    try:
        return ZoneInfo(settings.get("TIMEZONE") or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return dt.UTC


def publish_time(settings: Mapping[str, Any]) -> dt.time:
    """The time of day a date written without one goes live (``SITE["publish_time"]``)."""
    return dt.time.fromisoformat(SiteSettings.of(settings).publish_time)


def parse(text: str, settings: Mapping[str, Any]) -> dt.datetime | None:
    """The moment ``text`` names, with a zone; None when it is not a date people write."""
    match = DATE_RE.match(text.strip())
    if match is None:
        return None
    try:
        day = dt.date.fromisoformat(match["day"])
        clock = dt.time.fromisoformat(_two_digit_hour(match["time"])) if match["time"] else dt.time()
        zone_text = match["zone"]
        if zone_text:
            offset = dt.datetime.fromisoformat(f"2000-01-01T00:00{_colon(zone_text)}").tzinfo
            return dt.datetime.combine(day, clock, offset)
    except ValueError:  # 2026-02-30, 25:00
        return None
    return settled(dt.datetime.combine(day, clock), settings)


def settled(value: dt.datetime, settings: Mapping[str, Any]) -> dt.datetime:
    """A date as Pelican read it, made what :func:`parse` makes of the same text.

    Naive midnight (no time written, no zone) moves to the publish time; a naive
    date takes the site's time zone. A date with a zone is left as written.
    """
    if value.tzinfo is not None:
        return value
    if value.time() == dt.time():
        value = dt.datetime.combine(value.date(), publish_time(settings))
    return value.replace(tzinfo=zone(settings))


def _two_digit_hour(clock: str) -> str:
    return clock if clock.index(":") == 2 else f"0{clock}"


def _colon(zone_text: str) -> str:
    if zone_text == "Z":
        return "+00:00"
    return zone_text if ":" in zone_text else f"{zone_text[:3]}:{zone_text[3:]}"
