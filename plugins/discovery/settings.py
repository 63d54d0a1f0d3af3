"""The ``DISCOVERY`` settings: the search index and the sitemap."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ambassade.settings import Section, default


@dataclass(frozen=True)
class DiscoverySettings(Section):
    NAME: ClassVar[str] = "DISCOVERY"

    search: bool = default(True, doc="build the Pagefind search index")
    search_part_pages: int = default(500, min=1, doc="pages per part of the index, built side by side")
    sitemap: bool = default(True, doc="write sitemap.xml (production only: the preview is not indexed)")
