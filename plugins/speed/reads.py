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
from typing import Any

_current: dict | None = None  # dependencies of the page being rendered (source path -> body digest)
_body_digests: dict[int, str] = {}


def body_digest(content) -> str:
    key = id(content)
    found = _body_digests.get(key)
    if found is None:
        body = content.__dict__.get("_content") or ""
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


class _Body:
    """``Content._content`` as a data descriptor: a read is a dependency of the page rendering."""

    def __get__(self, obj, objtype=None):
        if obj is None:
            return self
        _record(obj)
        try:
            return obj.__dict__["_content"]
        except KeyError:
            raise AttributeError("_content") from None

    def __set__(self, obj, value):
        obj.__dict__["_content"] = value


def install_tracking(memo: bool = True) -> Any:
    from pelican.contents import Content

    names = ("get_content", "get_summary", "_content", "get_static_links") + (
        ("url", "save_as") if memo else ()
    )
    saved = {name: Content.__dict__.get(name) for name in names}
    memo_content, memo_summary, static_links = (
        saved["get_content"],
        saved["get_summary"],
        saved["get_static_links"],
    )

    def get_content(self, siteurl):
        _record(self)
        return memo_content.__get__(self, type(self))(siteurl)

    def get_summary(self, siteurl):
        if "summary" not in self.metadata:  # a summary given in metadata does not read the body
            _record(self)
        return memo_summary.__get__(self, type(self))(siteurl)

    def get_static_links(self):
        # Pelican's own read of every body while it reads the site: what it finds is
        # compared as such by quick.py, it is not a dependency.
        global _paused
        _paused = True
        try:
            return static_links(self)
        finally:
            _paused = False

    Content.get_content = get_content
    Content.get_summary = get_summary
    Content.get_static_links = get_static_links
    Content._content = _Body()
    if memo:
        # Nothing changes a content's metadata while pages render, so its URL is worked
        # out once (Pelican formats it anew on every read, dozens of times a page).
        for name in ("url", "save_as"):
            setattr(Content, name, _memo_property(saved[name]))
    return saved


def _memo_property(prop: property) -> property:
    values: dict[int, Any] = {}

    def get(self):
        key = id(self)
        try:
            return values[key]
        except KeyError:
            value = values[key] = prop.fget(self)
            return value

    return property(get)


def remove_tracking(saved) -> None:
    from pelican.contents import Content

    for name, value in saved.items():
        if value is None:
            delattr(Content, name)
        else:
            setattr(Content, name, value)


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
