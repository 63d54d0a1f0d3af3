"""The ``SPEED`` settings: how the fast path builds (the same site either way)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ambassade.settings import Section, default


@dataclass(frozen=True)
class SpeedSettings(Section):
    NAME: ClassVar[str] = "SPEED"

    enabled: bool = default(True, doc="False builds exactly as plain sequential Pelican")
    workers: int = default(0, min=0, doc="processes that convert and render; 0: one per core")
    cache: bool = default(True, doc="keep conversions and page keys under CACHE_PATH/speed/ between runs")
    skip_unchanged: bool = default(True, doc="do not render again a page whose inputs did not change")
    quick: bool = default(
        True, doc="in livereload, after edits to article text only, do not read the site again"
    )
