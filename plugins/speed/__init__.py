"""Speed: the same site as a plain sequential build, on every core, redoing only what changed.

Output is byte for byte what Pelican alone writes (tests/test_speed.py builds the
demo both ways and compares every file). What changes is how the work is done:

* **Reading** (markdown.py): every Markdown source is converted in a pool of
  forked processes as soon as the articles generator exists, while the main
  process loads profiles; a reader subclass, registered at ``readers_init``,
  hands Pelican the results. Results are kept by file content, in memory and
  under ``CACHE_PATH/speed/``, so a rebuild converts only edited files. Markdown's
  inline patterns are tried only on text holding what each needs (inline.py).
* **Writing** (writer.py): the writer records every ``write_file`` and
  ``write_feed`` call and renders them once every context exists, in forked
  processes. A page whose bytes did not change is hard-linked from the
  previous output rather than written again, and a page whose inputs did not
  change (key: everything templates can reach except article bodies and
  profiles, plus the bodies and profile fields the page actually read last
  time: reads.py) is not even rendered.
* **Taxonomies** (compat.py): Pelican's tag, category and author pages list
  their articles with a linear scan per article; done with a set instead, and
  skipped when those pages are not written (``*_SAVE_AS = ""``).
* **Templates** (templates.py): compiled once per process, not once per
  generator and build. An article's or an expert's card is rendered once for
  the pages that show it alike (partials.py).
* **Checking** (check.py): ``ambassade.build`` runs the content rules in a
  forked process beside the build instead of before it, started once the
  sources are converted: the rules look through Pelican's HTML of each body
  rather than convert it again, so Markdown is converted once.
* **Edits to article text and profiles** (quick.py, stamps.py): in the
  livereload loop, when the inputs every plugin declared (``ambassade.inputs``)
  are the same but for the bodies of some articles and fields of some profiles
  that only pages read, the site is not read again: the kept content objects
  take the new bodies, the kept profiles their new fields, and only the output
  phase runs.
* **The cache** (store.py): conversions are kept under the digest of the bytes
  converted, every file under ``CACHE_PATH/speed/`` is checked when read (a
  damaged one is made again), and nothing of it is ever linked into the output.
* **Garbage collection** (collection.py): never over what a forked process inherits
  (it would write to, and so copy, every page of the parent's heap).
* **Order and repeats**: files are read in the order of their paths (Pelican's
  is a set's, different in every process, and so were the order of articles of
  the same date and every page's key); slugs, dates and URLs are worked out
  once rather than on every use.
* **One wall** (compat.py): every use of a private or replaced name of Pelican,
  Markdown or Jinja is there and nowhere else, each naming the upstream code
  it mirrors. On versions it was not checked with (``compat.CHECKED``), the
  plugin switches itself off with one warning: the build is Pelican's own.

Settings (``SPEED``, defaults below): ``enabled``; ``workers`` (0: one per
core); ``cache`` (keep results under ``CACHE_PATH/speed/`` between runs);
``skip_unchanged`` (reuse pages whose inputs did not change); ``quick`` (in the
same process, a rebuild after edits to article text or profiles only reuses the
last build's reading of the site: quick.py). Environment: ``SPEED_TIMINGS=1`` prints
the phases of a build; ``SPEED_CHECK_INPUTS=1`` warns about every file a build
reads that no plugin declared (undeclared.py).

The plugin must come before any plugin that reads the written pages at
``finalized`` only if those run earlier than the static files are copied: pages
are flushed just before Pelican copies static files, whatever the plugin order.
"""

from __future__ import annotations

import dataclasses
import logging
import os

from pelican import signals

from ambassade import inputs

from . import compat
from .settings import SpeedSettings

log = logging.getLogger(__name__)

SETTINGS = (SpeedSettings,)


def conf(settings: dict) -> SpeedSettings:
    """The SPEED settings in force (``enabled`` is False once the build found this Pelican unsupported)."""
    return SpeedSettings.of(settings)


def enabled(settings: dict) -> bool:
    """True when the fast path applies to a build with these settings (and these versions of Pelican,
    Markdown and Jinja: else one warning, and False)."""
    plugins = [getattr(p, "__name__", p) for p in settings.get("PLUGINS") or []]
    return __name__ in plugins and conf(settings).enabled and compat.supported()


class SpeedFastPath:
    """The build driver's fast path (:class:`ambassade.fastpath.FastPath`): rules checked beside
    the build (check.py), quick rebuilds of article text and profiles (quick.py)."""

    def start_check(self, settings, rules, site, again):
        from .check import start

        return start(rules, settings, site=site, again=again)

    def quick_rebuild(self, settings, target):
        from . import quick

        found = quick.plan(settings, str(target))
        return None if found is None else (lambda: quick.run(found))

    def succeeded(self) -> None:
        from . import quick

        quick.commit()

    def failed(self) -> None:
        from . import quick

        quick.forget()


def fast_path(settings: dict) -> SpeedFastPath | None:
    """The fast path for a build with these settings, or None when it does not apply."""
    return SpeedFastPath() if enabled(settings) else None


def workers(settings: dict) -> int:
    wanted = conf(settings).workers
    return wanted if wanted > 0 else (os.cpu_count() or 1)


def _configure(pelican) -> None:
    from .timing import mark

    mark("pelican initialized")
    settings = pelican.settings
    # Decided once: every later step of this build reads the same answer.
    settings["SPEED"] = dataclasses.replace(conf(settings), enabled=enabled(settings))
    _declare(settings)
    if settings["SPEED"].enabled:
        from . import quick

        compat.cache_slugs()
        compat.cache_source_paths()
        quick.initialized(pelican)
    else:
        compat.uncache()  # what an earlier build of the process cached: this one is Pelican's own


def _declare(settings: dict) -> None:
    """What Pelican itself reads (ambassade.inputs): the content, the theme and its overrides, and the
    code that renders (plugins, the application)."""
    from .fingerprint import code_roots

    inputs.declare(settings, settings["PATH"], by=__name__)
    for root, _suffixes in code_roots(settings):
        inputs.declare(settings, root, "tree" if os.path.isdir(root) else "file", by=__name__)


def _reading_starts(pelican):
    """At ``get_generators``: after every plugin's ``initialized`` (where they declare what they read),
    before any generator exists, so before anything is read. Adds no generator."""
    if conf(pelican.settings).enabled:
        from . import quick

        quick.reading_starts(pelican.settings)
    return None


def _readers(readers) -> None:
    if conf(readers.settings).enabled:
        from .markdown import install_reader

        install_reader(readers)


def _articles(generator) -> None:
    if conf(generator.settings).enabled:
        compat.taxonomy_pages_in_linear_time(generator)


def _generator(generator) -> None:
    if conf(generator.settings).enabled:
        from pelican.generators import ArticlesGenerator

        from .templates import install

        install(generator)
        from .quick import redo_recorded

        redo_recorded(generator)
        # Files read in the order of their paths: Pelican's set order changes from one process to the
        # next, and with it the order of articles of the same date, and the keys of every page.
        compat.files_in_order(generator)
        if isinstance(generator, ArticlesGenerator):
            # Before ``article_generator_init``, whose other receivers (loading every
            # profile) would otherwise run while the conversion workers wait to start.
            from . import markdown

            markdown.prefetch(generator)


def _static(generator) -> None:
    if conf(generator.settings).enabled:
        from .writer import flush_before

        flush_before(generator)


def _static_found(generator) -> None:
    if conf(generator.settings).enabled:
        # Found as a set's union: put back in the order of their paths, as the content is.
        generator.staticfiles.sort(key=lambda static: static.source_path)


def _generators_ready(generators) -> None:
    from . import quick

    quick.generators_ready(generators)


def _writer(pelican):
    if conf(pelican.settings).enabled:
        from . import quick
        from .writer import DeferredWriter

        quick.output_starts()
        return DeferredWriter
    return None


def _finalized(pelican) -> None:
    if conf(pelican.settings).enabled:
        from . import markdown
        from .timing import mark
        from .writer import settle

        mark("finalized (search index written)")
        settle()
        mark("page keys settled")
        markdown.save(pelican.settings)
        from . import quick

        quick.finished(pelican.settings)


def register() -> None:
    """Settings and Pelican's own inputs at ``initialized``; inputs stamped at ``get_generators`` (after
    every plugin declared its own); the reader at ``readers_init``; conversions start when
    the articles generator is made (``generator_init``, before any file is read); the writer from
    ``get_writer``; pages rendered just before the static generator copies files (the last generator)."""
    signals.initialized.connect(_configure)
    signals.get_generators.connect(_reading_starts)
    signals.readers_init.connect(_readers)
    signals.article_generator_init.connect(_articles)
    signals.generator_init.connect(_generator)
    signals.static_generator_init.connect(_static)
    signals.static_generator_finalized.connect(_static_found)
    signals.all_generators_finalized.connect(_generators_ready)
    signals.get_writer.connect(_writer)
    signals.finalized.connect(_finalized)
