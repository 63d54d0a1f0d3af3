"""What a page reads while it renders, besides the context: article bodies and profiles' fields.

A page's key (fingerprint.py) leaves article bodies and profiles out, so that
an edit to one article's text, or to one person's role, keeps every page that
does not show it. Reads of a body (``Content.get_content``, ``get_summary``,
``_content``) and of a profile's field (any attribute of an
``ambassade.profiles.Expert``, through an expert page or not:
``ambassade.profiles.watch_reads``) are recorded
while a page renders (:func:`begin_page`, :func:`end_page`), each with the
digest of what was read. A page's dependencies map a body's source path to the
digest of the body, and ``("profile", slug, field)`` to the digest of that field.

While no page renders (generation), :func:`track_outside` records which bodies
and which profiles' fields are read: what is made from them then (a sorted
list, a count, a page per topic) is not a page's own reading, and nothing but a
full build can tell what depends on it (quick.py). Reading a profile's whole
state (``vars()``, a copy, a pickle) counts as reading each of its fields.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Iterator
from pathlib import PurePath
from typing import Any

from ambassade.profiles import watch_reads

from . import compat
from .fingerprint import Fingerprinter

_current: dict | None = None  # dependencies of the page being rendered (see the module's text)
_body_digests: dict[int, str] = {}
_field_digests: dict[tuple[int, str], str] = {}


def body_digest(content) -> str:
    key = id(content)
    found = _body_digests.get(key)
    if found is None:
        body = compat.body(content) or ""
        found = hashlib.sha1(body.encode("utf-8", "surrogatepass")).hexdigest()[:20]
        _body_digests[key] = found
    return found


# Reading one of these reads every field: the state itself, or, while a page renders, a copy or
# a pickle of it. Outside rendering a copy counts by what is read of it (the reads of every object
# of a slug count for that slug), and a copy the context holds is found by the page keys' walk
# (fingerprint.py): profiles.py keeps a pickle of each profile it reads, which is no use of it.
_WHOLE = frozenset({"__dict__", "__getstate__", "__reduce__", "__reduce_ex__", "__copy__", "__deepcopy__"})
_MISSING = "-"  # the digest of a field the profile does not have


def fields_of(expert) -> dict:
    """A profile's fields (its own ``__dict__``), read without counting as a read."""
    return object.__getattribute__(expert, "__dict__")


_PLAIN = (str, int, float, bool, type(None), PurePath)


def _plain(value: Any) -> bool:
    """True for a value its ``repr`` describes whole, the same in every process (what YAML gives)."""
    if isinstance(value, _PLAIN):
        return True
    if type(value) in (list, tuple):
        return all(_plain(item) for item in value)
    if type(value) is dict:
        return all(_plain(key) and _plain(item) for key, item in value.items())
    return False


def value_digest(value: Any) -> str:
    """The digest of a profile field's value (the same in every process)."""
    text = repr(value) if _plain(value) else Fingerprinter().digest(value)
    return hashlib.sha1(f"{type(value).__name__}:{text}".encode("utf-8", "surrogatepass")).hexdigest()[:20]


def field_digest(expert, name: str) -> str:
    """The digest of ``expert``'s field ``name`` as it is now (kept until the next flush)."""
    key = (id(expert), name)
    found = _field_digests.get(key)
    if found is None:
        fields = fields_of(expert)
        found = _field_digests[key] = value_digest(fields[name]) if name in fields else _MISSING
    return found


PROFILE = "profile"


def profile_dependency(slug: str, name: str) -> tuple[str, str, str]:
    """What a page that read the field ``name`` of the profile ``slug`` depends on."""
    return (PROFILE, slug, name)


def _profile_read(expert, name: str) -> None:
    current = _current
    if current is None and _outside_saved is None:
        return
    fields = object.__getattribute__(expert, "__dict__")
    if name[:2] == "__":
        if name not in _WHOLE or (current is None and name != "__dict__"):
            return
        names: Any = list(fields)
        if not names:  # an object being unpickled: nothing to read yet
            return
    else:
        names = (name,)
    slug = fields.get("slug")
    if current is not None:
        for field in names:
            dependency = (PROFILE, slug, field)
            if dependency not in current:
                current[dependency] = field_digest(expert, field)
    elif _redo_fields is not None:
        # A derivation the fast path can make again (ambassade.fastpath.REDO_CONTEXT).
        _redo_fields.setdefault(slug, set()).update(names)
        _redone_objects[slug] = expert
    elif _outside_fields is not None and not _output_phase:
        if _outside_seen.setdefault(slug, expert) is not expert:
            _outside_ambiguous.add(slug)
        _outside_fields.setdefault(slug, set()).update(names)


def _record(content) -> None:
    if _current is not None:
        path = getattr(content, "source_path", None)
        if path is not None:
            _current[str(path)] = body_digest(content)
    elif _outside is not None and not _paused:
        path = getattr(content, "source_path", None)
        if path is not None:
            _outside.add(os.path.abspath(str(path)))


@contextlib.contextmanager
def reads_apart():
    """The bodies read within, recorded apart (a dict, or None when no page renders) and for the page."""
    global _current
    outer = _current
    _current = inner = None if outer is None else {}
    try:
        yield inner
    finally:
        _current = outer
        add_reads(inner)


def add_reads(reads: dict | None) -> None:
    """Bodies the page rendering depends on, read earlier (partials.py: a card kept from another page)."""
    if _current is not None and reads:
        _current.update(reads)


# Bodies and profiles' fields read while no page renders (generation, recording the
# pages): nothing but a full build can tell what depends on them (quick.py).
_outside: set[str] | None = None
_outside_fields: dict[str, set[str]] | None = None  # slug -> fields read
_outside_seen: dict[str, Any] = {}  # slug -> the profile object read
_outside_ambiguous: set[str] = set()  # slugs of which two objects were read
_outside_saved: Any = None
_paused = False
_redo_fields: dict[str, set[str]] | None = None  # slug -> fields read by a derivation made again
_redone: dict[str, set[str]] = {}  # the same, for the whole build
_redone_objects: dict[str, Any] = {}  # slug -> the profile such a derivation read (and may write)
# The output phase (every generator's generate_output, then finalized) runs again in a quick rebuild:
# a field it reads outside a page (a vCard, a calendar written beside the pages) is read again then.
_output_phase = False


@contextlib.contextmanager
def redoing() -> Iterator[None]:
    """Profiles' fields read within are read by a derivation a quick rebuild makes again: recorded
    apart (:func:`redone_fields`), not as reads outside the pages."""
    global _redo_fields
    outer, _redo_fields = _redo_fields, {}
    try:
        yield
    finally:
        for slug, names in _redo_fields.items():
            _redone.setdefault(slug, set()).update(names)
        _redo_fields = outer


def redone_fields() -> tuple[dict[str, set[str]], dict[str, Any]]:
    """The fields read by derivations a quick rebuild makes again, by slug; the profiles they read."""
    return {slug: set(names) for slug, names in _redone.items()}, dict(_redone_objects)


def output_phase(on: bool) -> None:
    """From the writer on (``True``), profiles' fields read outside pages are read again by a quick
    rebuild too: not recorded as reads made before the pages."""
    global _output_phase
    _output_phase = on


def track_outside(on: bool) -> None:
    """Record which bodies and fields are read outside page rendering, from now until the flush
    (or ``False``)."""
    global _outside, _outside_saved, _outside_fields
    if on and _outside_saved is None:
        _outside, _outside_fields = set(), {}
        _outside_seen.clear()
        _outside_ambiguous.clear()
        _redone.clear()
        _redone_objects.clear()
        output_phase(False)
        _outside_saved = install_tracking(memo=False)
    elif not on and _outside_saved is not None:
        remove_tracking(_outside_saved)
        _outside_saved = None


def outside_reads() -> set[str]:
    return set(_outside or ())


def outside_profiles() -> tuple[dict[str, set[str]], dict[str, Any], set[str]]:
    """The profiles read outside page rendering: the fields read (by slug), the object read (by
    slug), and the slugs of which more than one object was read."""
    return (
        {slug: set(fields) for slug, fields in (_outside_fields or {}).items()},
        dict(_outside_seen),
        set(_outside_ambiguous),
    )


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """Reads that are no dependency: Pelican's own look for static links, as it reads the site
    (quick.py compares what it finds as such)."""
    global _paused
    _paused = True
    try:
        yield
    finally:
        _paused = False


def install_tracking(memo: bool = True) -> Any:
    """Record reads of bodies and profiles from now on; with ``memo``, URLs worked out once (nothing
    changes metadata while pages render). Returns what :func:`remove_tracking` needs."""
    replaced = watch_reads(_profile_read)
    return compat.track_reads(_record, _quiet, urls_once=memo), replaced


def remove_tracking(saved) -> None:
    reads, replaced = saved
    compat.untrack_reads(reads)
    watch_reads(replaced)


def begin_page() -> dict:
    """From now on, the bodies read are the dependencies of the page being rendered (the dict returned)."""
    global _current
    _current = {}
    return _current


def end_page() -> None:
    global _current
    _current = None


def forget_digests() -> None:
    """Bodies and fields are digested anew from now on (a new flush: the objects are not the last
    one's, or were changed in place)."""
    _body_digests.clear()
    _field_digests.clear()
