"""A rebuild after edits to article text only, without reading the whole site again.

In the livereload loop the build runs again in the same process after every
save, and most saves change the text of one article. Reading 5,000 articles,
1,000 profiles and their posts again to find that out is most of the rebuild.
When the last build of this output succeeded in this process, it is kept, and
the next build reuses it if all of these hold:

* the settings and the environment are the same, and so is the day;
* every plugin declared what it reads (ambassade.inputs), and those files
  (stamped before the last build read them: stamps.py) are unchanged, except
  Markdown sources it converted, and no file was added to or removed from a
  folder declared;
* each changed source has the same header (its metadata, converted as Pelican
  converts it) and links the same static files; only its body differs;
* nothing read that body outside of rendering a page (the tracking in
  reads.py), and no plugin declared that it reads that file's text itself
  (``reads_text``, as the review report does), so nothing but pages can
  depend on it;
* no article or page date has come due since the last full build (a
  scheduled article would now be published).

The kept content objects then take their new bodies, and the output phase runs
as Pelican runs it (every generator's ``generate_output``, then ``finalized``):
the pages that read a changed body render again, the others are linked, and
their keys are the last build's: what they digest is the same (the context,
and page values worked out from it). Any other change, or any doubt, and the
build is a full one.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from ambassade import inputs

from . import compat, undeclared
from .stamps import Stamp, Stamps, file_stamp, skipping

log = logging.getLogger(__name__)


@dataclass
class _Build:
    """What a full build leaves for the next one."""

    target: str
    settings_digest: str
    pelican: Any = None
    generators: list = field(default_factory=list)
    siteurls: list[tuple[dict, Any]] = field(default_factory=list)
    started: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    days: tuple = ()
    stamps: Stamps = field(default_factory=Stamps)
    sources: dict[str, tuple] = field(default_factory=dict)  # absolute path -> conversion key
    read_outside: set[str] = field(default_factory=set)
    undeclared: list[str] = field(default_factory=list)  # plugins that declared nothing they read
    finished: bool = False


_last: _Build | None = None
_current: _Build | None = None
_stats: dict[str, int] = {}


def _days(settings: dict) -> tuple:
    now = dt.datetime.now(dt.UTC)
    zone = settings.get("TIMEZONE") or "UTC"
    return (now.date(), dt.datetime.now().date(), now.astimezone(ZoneInfo(zone)).date())


def settings_digest(settings: dict) -> str:
    from .fingerprint import Fingerprinter

    return Fingerprinter().digest([settings, dict(os.environ)])


def enabled(settings: dict) -> bool:
    from . import conf
    from . import enabled as speed_enabled

    return speed_enabled(settings) and conf(settings).quick and hasattr(os, "fork")


# -- a full build, recorded ------------------------------------------------------------------------


def begin(settings: dict, target: str, digest: str) -> None:
    """Before a full build: forget the last one, record what this one reads."""
    global _last, _current
    _last = None
    _stats.clear()
    skip = skipping([settings["OUTPUT_PATH"], target, settings.get("CACHE_PATH") or ""])
    _current = _Build(target=target, settings_digest=digest, days=_days(settings), stamps=Stamps(skip=skip))
    from .reads import track_outside

    track_outside(True)


def initialized(pelican) -> None:
    if _current is not None:
        _current.pelican = pelican


def reading_starts(settings: dict) -> None:
    """Every plugin has declared what it reads (at ``initialized``), nothing is read yet: stamp it."""
    if _current is None:
        return
    _current.stamps.add(inputs.declared(settings))
    if undeclared.wanted():
        undeclared.watch()


def generators_ready(generators) -> None:
    if _current is not None:
        _current.generators = list(generators)


def output_starts() -> None:
    """When the writer is made: each context's ``localsiteurl`` as the output phase finds it."""
    if _current is None:
        return
    contexts = {
        id(g.context): g.context for g in _current.generators if isinstance(getattr(g, "context", None), dict)
    }
    _current.siteurls = [(ctx, ctx.get("localsiteurl")) for ctx in contexts.values()]


def finished(settings: dict) -> None:
    """At ``finalized`` of a full build: what it read; kept once the build has succeeded."""
    global _current
    build = _current
    if build is None:
        return
    from . import markdown
    from .reads import outside_reads, track_outside

    track_outside(False)
    declared = inputs.declared(settings)
    build.stamps.add(declared)  # declared late: stamped as they are now
    if undeclared.wanted():
        undeclared.report(declared, build.stamps.skip)
    build.sources = markdown.current_keys()  # by absolute path, as declarations name files
    # A body read outside rendering may have made anything: no quick rebuild of its file.
    build.read_outside = outside_reads()
    build.undeclared = inputs.undeclared_plugins(settings, list(settings.get("PLUGINS") or ()))
    build.finished = True
    if build.undeclared:
        log.info("speed: no quick rebuilds: %s declared nothing they read", ", ".join(build.undeclared))


def commit() -> None:
    """The build succeeded and its output is in place: keep it for the next."""
    global _last, _current
    if _current is not None and _current.finished and _current.pelican is not None:
        _last = _current
    _current = None


def forget() -> None:
    global _last, _current
    if _current is not None:
        from .reads import track_outside

        track_outside(False)
        undeclared.stop()
    _last = _current = None


# -- the quick rebuild -----------------------------------------------------------------------------


@dataclass
class Plan:
    last: _Build
    swaps: list[tuple[Any, str]]  # content object, new body
    changed: dict[str, tuple]  # absolute path -> new conversion key
    stamps: dict[str, Stamp | None]  # the changed files as they were before they were read


def plan(settings: dict, target: str) -> Plan | None:
    """A quick rebuild of ``target`` if the last build allows one, else None (and a full build recorded)."""
    if not enabled(settings):
        forget()
        return None
    digest = settings_digest(settings)  # before _plan may change the settings as Pelican would
    try:
        found = _plan(settings, target, digest)
    except Exception as exc:  # an edited file that cannot be read now: the full build says why
        log.debug("speed: no quick rebuild (%s)", exc)
        found = None
    if found is None:
        begin(settings, target, digest)
    return found


def _plan(settings: dict, target: str, digest: str) -> Plan | None:
    last = _last
    if last is None or last.target != target or settings.get("TYPOGRIFY"):
        return None  # (typogrify rewrites bodies as Pelican reads them)
    if last.days != _days(settings) or last.settings_digest != digest or last.undeclared:
        return None
    files, folders = last.stamps.changed()
    if folders or any(
        path not in last.sources or path in last.read_outside or last.stamps.read_as_text(path)
        for path in files
    ):
        return None
    context = last.generators[0].context if last.generators else None
    if context is None:
        return None
    objects: dict[str, list] = {}
    now = dt.datetime.now(dt.UTC)
    zone = ZoneInfo(settings.get("TIMEZONE") or "UTC")
    for content in (context.get("generated_content") or {}).values():
        if content is None:
            continue
        date = getattr(content, "date", None)
        if isinstance(date, dt.datetime):
            aware = date if date.tzinfo is not None else date.replace(tzinfo=zone)
            if last.started < aware <= now:
                return None  # come due since: its status or scheduled mark would change
        objects.setdefault(os.path.abspath(str(content.source_path)), []).append(content)
    from . import markdown

    paths = sorted(files)
    before = {path: file_stamp(path) for path in paths}  # before reading: a later save is a change
    converted = markdown.convert(settings, paths)
    keys = markdown.current_keys()
    swaps = []
    for path in paths:
        old = markdown.conversion(last.sources[path])
        new = converted.get(path)
        if old is None or new is None or old[1] != new[1] or path not in objects:
            return None
        for content in objects[path]:
            if compat.static_links_with(content, old[0]) != compat.static_links_with(content, new[0]):
                return None
            swaps.append((content, new[0]))
    return Plan(last, swaps, {path: keys[path] for path in paths}, before)


def run(found: Plan) -> None:
    """The output phase of the last build again, with the new bodies."""
    from pelican import signals

    from . import markdown
    from . import writer as writer_module
    from .timing import mark

    last = found.last
    mark(f"quick rebuild: {len(found.changed)} source(s) changed")
    from .check import text_changed

    text_changed(found.changed)
    markdown.start_rules()
    for content, body in found.swaps:
        compat.set_body(content, body)
    for ctx, value in last.siteurls:
        ctx["localsiteurl"] = value
    for key in found.changed.values():
        # What the conversion logged, as Pelican's reader would have (an error fails the build).
        for name, level, message in markdown.conversion_records(key):
            logging.getLogger(name).log(level, "%s", message)
    pelican = last.pelican
    writer = compat.get_writer(pelican)
    writer_module.reuse_keys(True)
    try:
        for generator in last.generators:
            if hasattr(generator, "generate_output"):
                generator.generate_output(writer)
        signals.finalized.send(pelican)
    finally:
        writer_module.reuse_keys(False)
    last.sources.update(found.changed)
    last.stamps.update(found.stamps)
    _stats.update(quick=1, changed=len(found.changed))


def stats() -> dict[str, int]:
    return dict(_stats)
