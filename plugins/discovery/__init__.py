"""Discoverability: structured data, canonical links, sitemap, robots.txt, search.

Settings (``DISCOVERY``, defaults below): ``search`` builds the Pagefind index,
in parts of at most ``search_part_pages`` pages (search.py);
``sitemap`` writes sitemap.xml; robots.txt is always written, and shuts
crawlers out of preview builds.
"""

from __future__ import annotations

from pathlib import Path

from pelican import signals

from ambassade import fastpath, inputs
from ambassade.languages import in_language
from ambassade.site import SiteSettings

from . import sitemap
from .jsonld import breadcrumb_jsonld, jsonld
from .search import build_index
from .settings import DiscoverySettings

SETTINGS = (DiscoverySettings,)


def declare(pelican) -> None:
    """No input of the site is read here: the output is, and the index's own cache (ambassade.inputs)."""
    inputs.reads_nothing(pelican.settings, by=__name__)


def install(generator) -> None:
    env = getattr(generator, "env", None)
    if env is not None:
        env.globals["jsonld"] = jsonld
        env.globals["breadcrumb_jsonld"] = breadcrumb_jsonld


def _translated(settings: dict) -> tuple[str, ...]:
    """The folders of the pages in the site's other languages (``en/``), as in_language places them."""
    default = settings["DEFAULT_LANG"]
    return tuple(
        in_language("x", lang, default).removesuffix("x")
        for lang in settings.get("LANGUAGES", ())
        if lang != default
    )


def finish(pelican) -> None:
    """After every page is written: index them for search, then list them for crawlers."""
    conf = DiscoverySettings.of(pelican.settings)
    output = Path(pelican.output_path)
    if conf.search:
        build_index(
            output,
            pelican.settings["DEFAULT_LANG"],
            cache=Path(pelican.settings["CACHE_PATH"]).resolve() / "discovery",
            pages_per_part=conf.search_part_pages,
            previous=fastpath.previous_output(pelican.settings),
            translated=_translated(pelican.settings),
        )
    sitemap.write(
        output,
        SiteSettings.of(pelican.settings).origin,
        indexable=conf.sitemap and not pelican.settings.get("PREVIEW"),
    )


def register() -> None:
    """What it reads at ``initialized``; JSON-LD at ``generator_init`` (before rendering); index and
    sitemap at ``finalized``."""
    signals.initialized.connect(declare)
    signals.generator_init.connect(install)
    signals.finalized.connect(finish)
