"""What a person does in public besides writing here, as their profile states it.

Talks and events, publications, media appearances, whether they accept to
speak, and how visitors may reach them. ``experts/schema.json`` says what may
be written; this module turns a profile's checked values into objects, and
owns the one reading of the dates these fields use (:func:`when`).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, Literal

_WHEN = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2})"
    r"(?:[T ](?P<time>\d{2}:\d{2}(?::\d{2})?)(?P<offset>Z|[+-]\d{2}:\d{2})?)?$"
)

When = dt.date | dt.datetime
"""A day (an all-day event), or an instant: naive when it is the site's local time."""


def when(text: str) -> When | None:
    """``2026-06-12``, ``2026-06-12T14:30`` or ``2026-06-12T14:30+02:00`` read; None if it is no real date."""
    match = _WHEN.match(text)
    if match is None:
        return None
    try:
        if match["time"] is None:
            return dt.date.fromisoformat(match["date"])
        offset = match["offset"] or ""
        return dt.datetime.fromisoformat(
            f"{match['date']}T{match['time']}{'+00:00' if offset == 'Z' else offset}"
        )
    except ValueError:
        return None


# The schema's formats say that a date is real (no 30 February); how it is written is its
# pattern's to say, so that one mistake is one finding.
def is_date(text: Any) -> bool:
    """The schema's ``date`` format: a day that exists."""
    return not isinstance(text, str) or len(text) != 10 or not _WHEN.match(text) or when(text) is not None


def is_when(text: Any) -> bool:
    """The schema's ``date-time-or-date`` format: a day, or a time of a day, that exists."""
    return not isinstance(text, str) or not _WHEN.match(text) or when(text) is not None


FORMATS = {"date": is_date, "date-time-or-date": is_when}
"""The formats the profile schema names, as the validator checks them."""


def day_of(value: When) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def aware(value: When, zone: dt.tzinfo) -> When:
    """An instant written without its offset, in ``zone`` (the site's time zone); days as they are."""
    if isinstance(value, dt.datetime) and value.tzinfo is None:
        return value.replace(tzinfo=zone)
    return value


@dataclass(frozen=True)
class Talk:
    """A talk or an event the person speaks at."""

    title: str
    start: When
    end: When | None = None
    event: str = ""
    place: str = ""
    online: bool = False
    url: str = ""
    slides: str = ""
    video: str = ""
    language: str = ""

    @property
    def all_day(self) -> bool:
        return not isinstance(self.start, dt.datetime)

    @property
    def last_day(self) -> dt.date:
        """The day it ends: it is upcoming until that day is over."""
        return day_of(self.end or self.start)


@dataclass(frozen=True)
class Publication:
    title: str
    date: dt.date
    kind: Literal["article", "paper", "book", "chapter", "report"] = "article"
    publisher: str = ""
    url: str = ""
    language: str = ""
    """ISO 639-1; empty: the site's language."""


@dataclass(frozen=True)
class Appearance:
    """An interview, a podcast, a quote in the press."""

    title: str
    outlet: str
    date: dt.date
    kind: Literal["interview", "podcast", "radio", "tv", "video", "press"] = "interview"
    url: str = ""
    language: str = ""
    """ISO 639-1; empty: the site's language."""


@dataclass(frozen=True)
class Speaking:
    """Whether the person accepts to speak, on what and in which languages."""

    available: bool = False
    topics: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    formats: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Contact:
    """How visitors reach the person: through comms (the default), their own address, or not at all."""

    via: Literal["comms", "self", "none"] = "comms"
    email: str = ""
    """Their own address, only when they chose to give it."""


def read(data: dict[str, Any], *, expertise: list[str], languages: list[str]) -> dict[str, Any]:
    """The fields of a checked profile that this module owns, as objects; newest first."""
    talks = [
        Talk(
            title=t["title"].strip(),
            start=when(t["date"]),
            end=when(t["end"]) if t.get("end") else None,
            event=t.get("event", "").strip(),
            place=t.get("place", "").strip(),
            online=t.get("online", False),
            url=t.get("url", ""),
            slides=t.get("slides", ""),
            video=t.get("video", ""),
            language=t.get("language", ""),
        )
        for t in data.get("talks", [])
    ]
    publications = [
        Publication(
            title=p["title"].strip(),
            date=dt.date.fromisoformat(p["date"]),
            kind=p.get("kind", "article"),
            publisher=p.get("publisher", "").strip(),
            url=p.get("url", ""),
            language=p.get("language", ""),
        )
        for p in data.get("publications", [])
    ]
    media = [
        Appearance(
            title=m["title"].strip(),
            outlet=m["outlet"].strip(),
            date=dt.date.fromisoformat(m["date"]),
            kind=m.get("kind", "interview"),
            url=m.get("url", ""),
            language=m.get("language", ""),
        )
        for m in data.get("media", [])
    ]
    speaking = data.get("speaking") or {}
    contact = data.get("contact", "comms")
    return {
        "talks": sorted(talks, key=lambda t: (day_of(t.start), t.title), reverse=True),
        "publications": sorted(publications, key=lambda p: (p.date, p.title), reverse=True),
        "media": sorted(media, key=lambda m: (m.date, m.title), reverse=True),
        "speaking": Speaking(
            available=speaking.get("available", False),
            topics=list(speaking.get("topics") or expertise),
            languages=list(speaking.get("languages") or languages),
            formats=list(speaking.get("formats", [])),
        ),
        "contact": Contact("self", contact["email"]) if isinstance(contact, dict) else Contact(contact),
    }


def problems(data: dict[str, Any]) -> list[tuple[list[Any], str, str]]:
    """What the schema cannot say of these fields: (where, what, expected) for each problem."""
    from .i18n import _

    out = []
    for index, talk in enumerate(data.get("talks", [])):
        start, end = when(talk.get("date", "")), when(talk.get("end", "")) if talk.get("end") else None
        if start is None or end is None:
            continue
        if type(start) is not type(end) or (
            isinstance(start, dt.datetime) and (start.tzinfo is None) != (end.tzinfo is None)
        ):
            out.append(
                (
                    ["talks", index, "end"],
                    _(
                        "the end '%(end)s' is not written like the start '%(start)s'",
                        end=talk["end"],
                        start=talk["date"],
                    ),
                    _("both days (2026-06-12), or both a day and a time (2026-06-12T14:30)"),
                )
            )
        elif end < start:
            out.append(
                (
                    ["talks", index, "end"],
                    _(
                        "the talk ends (%(end)s) before it starts (%(start)s)",
                        end=talk["end"],
                        start=talk["date"],
                    ),
                    _("an end after the start"),
                )
            )
    return out
