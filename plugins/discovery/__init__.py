"""Discoverability: structured data, canonical links, sitemap, robots.txt, search.

Settings (``DISCOVERY``, defaults below): ``search`` builds the Pagefind index,
in parts of at most ``search_part_pages`` pages (search.py);
``sitemap`` writes sitemap.xml; robots.txt is always written, and shuts
crawlers out of preview builds.
"""

from __future__ import annotations

from pathlib import Path

from pelican import signals

from ambassade import inputs
from ambassade.settings import namespaced

from . import sitemap
from .jsonld import jsonld
from .search import build_index

DEFAULTS = {"search": True, "search_part_pages": 500, "sitemap": True}


def declare(pelican) -> None:
    """No input of the site is read here: the output is, and the index's own cache (ambassade.inputs)."""
    inputs.reads_nothing(pelican.settings, by=__name__)


def install(generator) -> None:
    env = getattr(generator, "env", None)
    if env is not None:
        env.globals["jsonld"] = jsonld


def finish(pelican) -> None:
    """After every page is written: index them for search, then list them for crawlers."""
    conf = namespaced(pelican.settings, "DISCOVERY", DEFAULTS)
    output = Path(pelican.output_path)
    if conf["search"]:
        build_index(
            output,
            pelican.settings["DEFAULT_LANG"],
            cache=Path(pelican.settings["CACHE_PATH"]).resolve() / "discovery",
            pages_per_part=int(conf["search_part_pages"]),
        )
    sitemap.write(
        output,
        pelican.settings["SITE_ORIGIN"],
        indexable=conf["sitemap"] and not pelican.settings.get("PREVIEW"),
    )


def register() -> None:
    """What it reads at ``initialized``; JSON-LD at ``generator_init`` (before rendering); index and
    sitemap at ``finalized``."""
    signals.initialized.connect(declare)
    signals.generator_init.connect(install)
    signals.finalized.connect(finish)
