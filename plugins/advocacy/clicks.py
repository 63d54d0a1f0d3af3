"""Clicks on the kit's short links, counted from access logs: the stats file and what is read from it.

``invoke stats LOG…`` (stats.py) writes the file ``ADVOCACY["stats_file"]``
(``data/stats.json``); the build reads it for the dashboard and the
leaderboard. It holds counts only::

    {"format": 1,
     "clicks": {"2026-12-01": {"<code>": {"linkedin": {"": 3, "claire-martin": 2}}}},
     "sources": {"<fingerprint of a log>": <lines already counted>}}

per day (on the site's clock), item (its short code), network and person: a
colleague's slug only when their profile says ``share_stats: true`` (and is
published), else ``""``. No address, agent, referrer or time of day is kept.
``sources`` lets the same log be given again (``access.log`` then
``access.log.1`` then ``access.log.2.gz``) without counting a line twice.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ambassade.i18n import _

FORMAT = 1


@dataclass(frozen=True, order=True)
class Click:
    day: dt.date
    code: str
    network: str
    person: str
    """A consenting colleague's slug, or ``""``."""
    count: int


@dataclass
class Stats:
    clicks: dict[tuple[str, str, str, str], int] = field(default_factory=dict)
    """(day ISO, code, network, person) → clicks."""
    sources: dict[str, int] = field(default_factory=dict)

    def add(self, day: dt.date, code: str, network: str, person: str, n: int = 1) -> None:
        key = (day.isoformat(), code, network, person)
        self.clicks[key] = self.clicks.get(key, 0) + n

    def rows(self) -> list[Click]:
        return sorted(
            Click(dt.date.fromisoformat(d), code, net, person, n)
            for (d, code, net, person), n in self.clicks.items()
        )

    def without_people(self, consenting: Iterable[str]) -> Stats:
        """The same counts, each colleague who does not consent (any more) folded into ``""``."""
        keep = set(consenting)
        out = Stats(sources=dict(self.sources))
        for (d, code, net, person), n in self.clicks.items():
            out.add(dt.date.fromisoformat(d), code, net, person if person in keep else "", n)
        return out

    def as_json(self) -> dict[str, Any]:
        days: dict[str, dict] = {}
        for (d, code, net, person), n in sorted(self.clicks.items()):
            days.setdefault(d, {}).setdefault(code, {}).setdefault(net, {})[person] = n
        return {"format": FORMAT, "clicks": days, "sources": dict(sorted(self.sources.items()))}


class StatsFileError(ValueError):
    """The stats file exists but is not one."""


def parse(data: Any) -> Stats:
    if not isinstance(data, Mapping) or data.get("format") != FORMAT:
        raise StatsFileError(_("not a stats file of format %(format)s", format=FORMAT))
    out = Stats(sources={str(k): int(v) for k, v in (data.get("sources") or {}).items()})
    for day, codes in (data.get("clicks") or {}).items():
        when = dt.date.fromisoformat(day)
        for code, networks in codes.items():
            for network, people in networks.items():
                for person, n in people.items():
                    out.add(when, str(code), str(network), str(person), int(n))
    return out


def load(path: Path) -> Stats | None:
    """The stats at ``path``; None when the file does not exist (``invoke stats`` never ran).

    Raises :class:`StatsFileError` when it is not a stats file.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    try:
        return parse(json.loads(text))
    except (ValueError, TypeError, AttributeError) as exc:
        raise StatsFileError(f"{path}: {exc}") from None


def save(path: Path, stats: Stats) -> None:
    """Write ``stats`` to ``path`` at once: a reader sees the old file or the new one, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(stats.as_json(), ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# --- what the dashboard shows ----------------------------------------------------------------


def total(clicks: Iterable[Click], start: dt.date | None = None, end: dt.date | None = None) -> int:
    return sum(c.count for c in clicks if (start is None or c.day >= start) and (end is None or c.day <= end))


def by(clicks: Iterable[Click], key) -> Counter:
    out: Counter = Counter()
    for c in clicks:
        out[key(c)] += c.count
    return out
