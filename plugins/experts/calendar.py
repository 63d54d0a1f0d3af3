"""Talks as an iCalendar file (RFC 5545): the agenda, and each expert's talks.

A calendar application subscribes to it, or imports it. Each talk is one
``VEVENT`` whose ``UID`` stays the same from build to build (the talk's page,
date and title), so that a subscribed calendar updates it rather than adds it
again. A talk given as a day is an all-day event; one given with a time is
written in UTC, so that no time zone definition has to travel with it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from zoneinfo import ZoneInfo

from ambassade.engagements import Talk, aware
from ambassade.filecache import digest

from .contentlines import document, line, text


def calendar(
    talks: Iterable[tuple[Talk, object]],
    *,
    name: str,
    origin: str,
    timezone: str,
    lang: str,
    _: Callable[[str], str],
) -> str:
    """The calendar of ``talks`` (each with the expert page of who gives it), called ``name``."""
    zone = ZoneInfo(timezone)
    host = origin.split("://", 1)[-1] or "ambassade"
    out = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//ambassade//{host}//{lang.upper()}",
        "CALSCALE:GREGORIAN",
        line("X-WR-CALNAME", text(name)),
    ]
    for talk, expert in talks:
        out += _event(talk, expert, origin, zone, host, _)
    out.append("END:VCALENDAR")
    return document(out)


_events: dict[tuple, list[str]] = {}
"""Events already written, by all they are made of: a talk is in its speaker's calendar and the
agenda's, in each language, and the same again at every rebuild."""


def _event(talk: Talk, expert, origin: str, zone: ZoneInfo, host: str, _: Callable[[str], str]) -> list[str]:
    key = (talk, expert.url, expert.name, expert.role, origin, zone.key, host, _)
    found = _events.get(key)
    if found is not None:
        return found
    page = f"{origin}/{expert.url}"
    start = aware(talk.start, zone)
    found = [
        "BEGIN:VEVENT",
        line("UID", f"{digest(page, talk.start.isoformat(), talk.title)[:32]}@{host}"),
        # No date of revision is known, and two builds must give the same file: the
        # start stands for it. Clients tell events apart by their UID.
        line(
            "DTSTAMP",
            _utc(start if isinstance(start, dt.datetime) else dt.datetime.combine(start, dt.time(), dt.UTC)),
        ),
        *_span(talk, zone),
        line("SUMMARY", text(talk.title), **({"language": talk.language} if talk.language else {})),
        line("LOCATION", text(talk.place or _("Online"))),
        line("DESCRIPTION", text(_description(talk, expert, page, _))),
        line("URL", talk.url or page, value="URI"),
        "END:VEVENT",
    ]
    if len(_events) > 100_000:
        _events.clear()
    _events[key] = found
    return found


def _span(talk: Talk, zone: ZoneInfo) -> list[str]:
    if talk.all_day:
        # DTEND of a day is exclusive: the day after the last one.
        end = (talk.end if talk.end is not None else talk.start) + dt.timedelta(days=1)
        return [
            line("DTSTART", talk.start.strftime("%Y%m%d"), value="DATE"),
            line("DTEND", end.strftime("%Y%m%d"), value="DATE"),
        ]
    lines = [line("DTSTART", _utc(aware(talk.start, zone)))]
    if talk.end is not None:
        lines.append(line("DTEND", _utc(aware(talk.end, zone))))
    return lines


def _description(talk: Talk, expert, page: str, _: Callable[[str], str]) -> str:
    parts = [f"{expert.name}, {expert.role}"]
    if talk.event:
        parts.append(talk.event)
    if talk.place and talk.online:
        parts.append(_("Also online"))
    if talk.slides:
        parts.append(_("Slides: %(url)s") % {"url": talk.slides})
    if talk.video:
        parts.append(_("Recording: %(url)s") % {"url": talk.video})
    parts.append(page)
    return "\n".join(parts)


def _utc(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
