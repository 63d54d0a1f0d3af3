"""Which article bodies a page reads while it renders: what its key depends on besides the context.

A page's key (fingerprint.py) leaves article bodies out, so that an edit to
one article's text keeps every page that does not show it. Reads of a body
(``Content.get_content``, ``get_summary``, ``_content``) are recorded while a
page renders (:func:`begin_page`, :func:`end_page`), and while no page renders
(generation) when :func:`track_outside` asks: nothing but a full build can tell
what depends on those (quick.py).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Iterator
from typing import Any

from . import compat

_current: dict | None = None  # dependencies of the page being rendered (source path -> body digest)
_body_digests: dict[int, str] = {}


def body_digest(content) -> str:
    key = id(content)
    found = _body_digests.get(key)
    if found is None:
        body = compat.body(content) or ""
        found = hashlib.sha1(body.encode("utf-8", "surrogatepass")).hexdigest()[:20]
        _body_digests[key] = found
    return found


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


# Bodies read while no page renders (generation, recording the pages): nothing but a
# full build can tell what depends on them (quick.py).
_outside: set[str] | None = None
_outside_saved: dict | None = None
_paused = False


def track_outside(on: bool) -> None:
    """Record which bodies are read outside page rendering, from now until the flush (or ``False``)."""
    global _outside, _outside_saved
    if on and _outside_saved is None:
        _outside = set()
        _outside_saved = install_tracking(memo=False)
    elif not on and _outside_saved is not None:
        remove_tracking(_outside_saved)
        _outside_saved = None


def outside_reads() -> set[str]:
    return set(_outside or ())


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
    """Record reads of bodies from now on; with ``memo``, URLs worked out once (nothing changes
    metadata while pages render). Returns what :func:`remove_tracking` needs."""
    return compat.track_reads(_record, _quiet, urls_once=memo)


def remove_tracking(saved) -> None:
    compat.untrack_reads(saved)


def begin_page() -> dict:
    """From now on, the bodies read are the dependencies of the page being rendered (the dict returned)."""
    global _current
    _current = {}
    return _current


def end_page() -> None:
    global _current
    _current = None


def forget_digests() -> None:
    """Bodies are digested anew from now on (a new flush: the objects are not the last one's)."""
    _body_digests.clear()
