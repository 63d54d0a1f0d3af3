"""A rebuild after edits to article text or to profiles, without reading the whole site again.

In the livereload loop the build runs again in the same process after every
save, and most saves change the text of one article, or a person's own
profile. Reading 5,000 articles, 1,000 profiles and their posts again to find
that out is most of the rebuild. When the last build of this output succeeded
in this process, it is kept, and the next build reuses it if all of these hold:

* the settings and the environment are the same, and so is the day;
* every plugin declared what it reads (ambassade.inputs), and those files
  (stamped before the last build read them: stamps.py) are unchanged, except
  Markdown sources it converted and profiles (``experts/<slug>.yml``), and no
  file was added to or removed from a folder declared;
* no plugin declared that it reads the text of a changed file itself
  (``reads_text``, as the review report does);
* each changed source has the same header (its metadata, converted as Pelican
  converts it) and links the same static files; only its body differs; and
  nothing read that body outside of rendering a page (the tracking in
  reads.py), so nothing but pages can depend on it;
* each changed profile is valid (``ambassade.profiles``, the schema and the
  photo), and the fields that changed in it are fields nothing read outside of
  rendering a page in the last full build: read only where a page shows them,
  so nothing made before the pages (a sorted list, an expert page's links, a
  topic page) depends on them;
* no article or page date has come due since the last full build (a
  scheduled article would now be published).

The kept content objects then take their new bodies, the kept profiles their
new fields (in place: every page and card holding the person sees them), and
the output phase runs as Pelican runs it (every generator's
``generate_output``, then ``finalized``): the pages that read a changed body or
field render again, the others are linked, and their keys are the last
build's: what they digest is the same (the context, and page values worked out
from it; bodies and profiles are not part of it). The content rules run again
on the changed files, and on the files whose links reach into them.

Any other change, or any doubt, and the build is a full one, which renders
only the pages whose inputs changed. For a profile, with the project's plugins,
that is an edit to the fields read as the site is read: ``name`` (bylines,
sorted lists), ``published``, ``expertise`` (topic pages), ``team``,
``location`` and ``languages`` (the directory's pages per team, city and
language), ``talks`` and ``speaking`` (the agenda, the speakers' view),
``photo``, ``links``, ``bio`` (converted once, while the articles are),
``social_feed`` (posts), ``contact``, ``redirect_from``, and ``leaderboard`` and
``audience`` when the programme's pages are built; a profile added, removed or
renamed (a new slug), a photo added or changed, or a profile with an error (the
full build reports it). ``role`` is read by pages and by the link-preview
cards, which a quick rebuild draws again (``ambassade.fastpath.REDO_CONTEXT``:
the redoable generators run again with the edited profiles; what they derived
outside profiles must come out the same); ``photo_alt``, ``photo_focus`` and
``feeds`` are read by pages only. Reads in the output phase (vCards and
calendars written beside the pages) are made again by the quick rebuild.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from ambassade import fastpath, inputs
from ambassade.profiles import PROFILE_SUFFIXES, load_profiles
from ambassade.site import experts_path

from . import compat, reads, undeclared
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
    # Profiles read outside rendering: fields by slug, the object by slug, slugs of two objects.
    fields_outside: dict[str, set[str]] = field(default_factory=dict)
    profiles: dict[str, Any] = field(default_factory=dict)
    ambiguous: set[str] = field(default_factory=set)
    in_context: dict[str, int | None] = field(default_factory=dict)  # writer.profiles_met()
    # Read by derivations made again in a quick rebuild (ambassade.fastpath.REDO_CONTEXT): fields by
    # slug, and the profiles they read.
    fields_redo: dict[str, set[str]] = field(default_factory=dict)
    redone: dict[str, Any] = field(default_factory=dict)
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
    reads.output_phase(True)


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
    # So may a profile's field: no quick rebuild of an edit to it.
    build.fields_outside, build.profiles, build.ambiguous = reads.outside_profiles()
    build.fields_redo, build.redone = reads.redone_fields()
    from .writer import profiles_met

    build.in_context = profiles_met()
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
    profiles: list[tuple[Any, dict[str, Any]]] = field(default_factory=list)  # kept profile, new fields
    profile_paths: list[str] = field(default_factory=list)  # absolute
    derived: dict[tuple, str] = field(default_factory=dict)  # ("profile", slug, "derived") -> digest now


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
    profile_paths = sorted(path for path in files if _is_profile(path, settings))
    sources = sorted(files.difference(profile_paths))
    if (
        folders
        or any(path not in last.sources or path in last.read_outside for path in sources)
        or any(last.stamps.read_as_text(path) for path in files)
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

    before = {path: file_stamp(path) for path in sorted(files)}  # before reading: a later save is a change
    profiles = _profile_swaps(settings, last, profile_paths)
    if profiles is None:
        return None
    paths = sources
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
    derived = _redo(last, profiles)  # last: it changes the kept profiles when it succeeds
    if derived is None:
        return None
    return Plan(last, swaps, {path: keys[path] for path in paths}, before, profiles, profile_paths, derived)


def _is_profile(path: str, settings: dict) -> bool:
    """True for a profile's file: ``experts/<slug>.yml`` (absolute, as declarations name files)."""
    return os.path.dirname(path) == os.path.abspath(experts_path(settings)) and path.endswith(
        PROFILE_SUFFIXES
    )


def _profile_swaps(settings: dict, last: _Build, paths: list[str]) -> list[tuple[Any, dict]] | None:
    """The kept profile of each edited file and its new fields; None when one calls for a full build."""
    if not paths:
        return []
    # Cached by file stamp: only the edited profiles are read and checked again.
    experts, _findings = load_profiles(experts_path(settings), default_lang=settings["DEFAULT_LANG"])
    swaps = []
    for path in paths:
        slug = Path(path).stem
        kept, new = last.profiles.get(slug), experts.get(slug)
        if kept is None or new is None or slug in last.ambiguous or last.in_context.get(slug) != id(kept):
            # A profile with an error (the full build says which), or not the one object of its
            # slug that the build read and that its context holds (a copy would keep the old fields).
            return None
        old_fields, new_fields = reads.fields_of(kept), reads.fields_of(new)
        changed = {
            name
            for name in (old_fields.keys() | new_fields.keys()) - {DERIVED}
            if name not in old_fields
            or name not in new_fields
            or type(old_fields[name]) is not type(new_fields[name])
            or old_fields[name] != new_fields[name]
        }
        if changed & last.fields_outside.get(slug, set()) or not changed <= new_fields.keys():
            return None  # something was made of these fields before the pages: read the site again
        swaps.append((kept, {name: new_fields[name] for name in sorted(changed)}))
    return swaps


DERIVED = "derived"
"""The profile's field of what plugins derive from it (ambassade.profiles.Expert.derived): not in its file."""


def _redoable(last: _Build) -> list:
    return [g for g in last.generators if getattr(type(g), fastpath.REDO_CONTEXT, False)]


def _derived_digests(last: _Build) -> dict[str, str]:
    return {slug: reads.value_digest(reads.fields_of(p).get(DERIVED)) for slug, p in last.redone.items()}


def _redo(last: _Build, swaps: list[tuple[Any, dict]]) -> dict[tuple, str] | None:
    """Make again what the redoable generators derive, with the edited profiles, when an edit reaches
    it: what changed in profiles (dependency -> digest now), or None when something else changed
    (a full build, the profiles put back as they were)."""
    if not any(
        values.keys() & last.fields_redo.get(reads.fields_of(kept)["slug"], set()) for kept, values in swaps
    ):
        return {}
    generators = _redoable(last)
    elsewhere = [g.derived_elsewhere() for g in generators]
    before = _derived_digests(last)
    missing = object()
    kept_fields = [
        (kept, {n: reads.fields_of(kept).get(n, missing) for n in values}) for kept, values in swaps
    ]
    for kept, values in swaps:
        reads.fields_of(kept).update(values)
    for generator in generators:
        generator.generate_context()
    if [g.derived_elsewhere() for g in generators] == elsewhere:
        after = _derived_digests(last)
        return {
            reads.profile_dependency(slug, DERIVED): digest
            for slug, digest in after.items()
            if digest != before.get(slug)
        }
    for kept, values in kept_fields:
        fields = reads.fields_of(kept)
        for name, value in values.items():
            if value is missing:
                fields.pop(name, None)
            else:
                fields[name] = value
    for generator in generators:
        generator.generate_context()
    return None


def redo_recorded(generator) -> None:
    """At ``generator_init``: a redoable generator's reads of profiles are recorded apart."""
    if getattr(type(generator), fastpath.REDO_CONTEXT, False):
        compat.around_context(generator, reads.redoing)


def run(found: Plan) -> None:
    """The output phase of the last build again, with the new bodies."""
    from pelican import signals

    from . import markdown
    from . import writer as writer_module
    from .timing import mark

    last = found.last
    mark(f"quick rebuild: {len(found.changed)} source(s) changed")
    from .check import text_changed

    text_changed([*found.changed, *found.profile_paths])
    markdown.start_rules()
    for content, body in found.swaps:
        compat.set_body(content, body)
    fields = {}
    for profile, values in found.profiles:
        reads.fields_of(profile).update(values)
        slug = reads.fields_of(profile)["slug"]
        fields.update(
            {reads.profile_dependency(slug, name): reads.value_digest(v) for name, v in values.items()}
        )
    fields.update(found.derived)
    for ctx, value in last.siteurls:
        ctx["localsiteurl"] = value
    for key in found.changed.values():
        # What the conversion logged, as Pelican's reader would have (an error fails the build).
        for name, level, message in markdown.conversion_records(key):
            logging.getLogger(name).log(level, "%s", message)
    pelican = last.pelican
    writer = compat.get_writer(pelican)
    writer_module.reuse_keys(True, fields)
    try:
        for generator in last.generators:
            if hasattr(generator, "generate_output"):
                generator.generate_output(writer)
        signals.finalized.send(pelican)
    finally:
        writer_module.reuse_keys(False)
    last.sources.update(found.changed)
    last.stamps.update(found.stamps)
    _stats.update(quick=1, changed=len(found.changed) + len(found.profile_paths))


def stats() -> dict[str, int]:
    return dict(_stats)
