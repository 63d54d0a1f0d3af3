"""What a release is: its name, the commit it was built from, when and by whom it was published.

Every publish writes one :class:`Release` record beside the release (folder
and rsync targets: ``releases/<name>.meta/release.json``; gh-pages: the
commit's trailers), so that ``invoke releases`` can say what is live and
``invoke rollback --to`` what each kept release is. A publish that went
through a refusal (``--force``) says so in its record.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from ambassade.i18n import _, day


@dataclass(frozen=True)
class Release:
    name: str
    """``20261128-101500-1a2b3c4``: the publish's time (UTC), then the commit; sorts in publishing order."""
    date: str = ""
    """When it was published, ISO 8601 in UTC."""
    commit: str = ""
    """The commit the site was built from (full hash); empty when the site is not in git."""
    branch: str = ""
    published_by: str = ""
    forced: tuple[str, ...] = ()
    """The refusals ``--force`` overrode, as they were said."""
    withdrawn: bool = False
    """Rolled back from: kept for a roll-forward, skipped by a plain rollback."""
    live: bool = field(default=False, compare=False)
    """Set when listing: the release the site serves now."""

    def to_json(self) -> str:
        data = asdict(self)
        data.pop("live")
        data["forced"] = list(self.forced)
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"

    @classmethod
    def from_json(cls, name: str, text: str) -> Release:
        """The record of release ``name``; a record that cannot be read gives the name alone."""
        try:
            data: Any = json.loads(text)
        except ValueError:
            return cls(name)
        if not isinstance(data, dict):
            return cls(name)
        return cls(
            name=name,
            date=str(data.get("date") or ""),
            commit=str(data.get("commit") or ""),
            branch=str(data.get("branch") or ""),
            published_by=str(data.get("published_by") or ""),
            forced=tuple(str(f) for f in data.get("forced") or ()),
            withdrawn=bool(data.get("withdrawn")),
        )

    def with_state(self, *, withdrawn: bool | None = None, live: bool | None = None) -> Release:
        return replace(
            self,
            withdrawn=self.withdrawn if withdrawn is None else withdrawn,
            live=self.live if live is None else live,
        )

    def line(self) -> str:
        """One line of ``invoke releases``: live mark, name, date, commit, who, forced."""
        mark = "*" if self.live else " "
        parts = [f"{mark} {self.name}"]
        when = _when(self.date)
        if when:
            parts.append(when)
        if self.commit:
            parts.append(
                _("commit %(commit)s", commit=self.commit[:12]) + (f" ({self.branch})" if self.branch else "")
            )
        if self.published_by:
            parts.append(_("by %(name)s", name=self.published_by))
        if self.live:
            parts.append(_("live"))
        if self.withdrawn:
            parts.append(_("rolled back"))
        if self.forced:
            parts.append(_("forced: %(reasons)s", reasons="; ".join(self.forced)))
        return "  ".join(parts)


def release_name(now: datetime, commit: str = "") -> str:
    """``20261128-101500-1a2b3c4``: the time of the publish in UTC, then the commit's short hash."""
    stamp = now.astimezone(UTC).strftime("%Y%m%d-%H%M%S")
    return f"{stamp}-{commit[:7]}" if commit else stamp


def _when(date: str) -> str:
    try:
        moment = datetime.fromisoformat(date)
    except ValueError:
        return ""
    return f"{day(moment, fmt='medium')} {moment.astimezone(UTC).strftime('%H:%M')} UTC"


def previous(releases: list[Release], live: str | None) -> Release | None:
    """The release to roll back to: the newest older than the live one that was not rolled back from."""
    older = [r for r in releases if (live is None or r.name < live) and not r.withdrawn]
    return max(older, key=lambda r: r.name, default=None)
