"""Markdown sources converted in forked processes, handed to Pelican by a reader subclass.

A worker runs Pelican's own ``MarkdownReader.read`` with metadata processing
switched off (values are returned as the reader would pass them to
``process_metadata``); the main process then applies ``process_metadata``
itself, so Tag, Author and date objects are made where they are used, exactly
as the plain reader makes them. Log records a worker emits are replayed when
the file is read, so warnings come out once, from the main process.

A conversion is kept under the digest of the bytes it was made from, read once:
the worker hashes what it converts (:func:`_convert`). A file saved while it is
being converted is then kept as the version that was converted, never under
the other version's digest (which the next build would find and trust). What
the main process hashes is only a look-up among the conversions kept.
"""

from __future__ import annotations

import copy
import datetime
import hashlib
import logging
import multiprocessing
import os
import re
from pathlib import Path
from typing import Any

from pelican.readers import MarkdownReader

from . import compat, store
from .check import text_digest
from .collection import frozen
from .settings import SpeedSettings

# (absolute path, sha1 of the bytes, settings digest) ->
# (content, raw metadata, log records, sha1 of the text converted: check.py hands the content to the rules)
_results: dict[tuple[str, str, str], tuple[Any, dict, list, str]] = {}
_digest = ""  # the settings digest of the conversions under way
_dirty = False
_pending: dict[str, Any] = {}
_loaded_from: set[str] = set()
_worker_settings: dict | None = None
_VERSION = "2"
INLINE_BELOW = 16


class _RawReader(compat.TextMarkdownReader):
    """Pelican's Markdown reader, minus metadata processing."""

    def process_metadata(self, name, value):
        return value


class _ReusingReader(_RawReader, compat.ReusingMarkdownReader):
    """The same reader, with its two Markdown instances made once per process (compat.py).

    ``Markdown.reset()`` clears a document's state between files for Markdown's
    own extensions; an extension from elsewhere may keep some, so only those are
    trusted (:func:`_reusable`). Their inline patterns are tried only on text
    that may match them (inline.py).
    """

    def __init__(self, settings: dict) -> None:
        from .inline import install

        super().__init__(settings, install)


def _reusable(markdown_settings: dict) -> bool:
    """True when every extension is one of Markdown's own (their ``reset`` forgets a document), or
    the contributors' HTML policy (a last postprocessor that keeps nothing: ambassade/html_policy.py)."""
    from ambassade.html_policy import EXTENSION

    names = list(markdown_settings.get("extensions") or []) + list(
        markdown_settings.get("extension_configs") or {}
    )
    return all(
        isinstance(name, str) and (name.startswith("markdown.extensions.") or name == EXTENSION)
        for name in names
    )


_reader: MarkdownReader | None = None


def _worker_reader() -> MarkdownReader:
    """This process's reader: made once when its Markdown instances can be reused, else per file."""
    global _reader
    if _reader is not None:
        return _reader
    settings = copy.deepcopy(_worker_settings)
    if not _reusable(settings["MARKDOWN"]):
        return _RawReader(settings)
    _reader = _ReusingReader(settings)
    return _reader


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.WARNING:
            self.records.append((record.name, record.levelno, record.getMessage()))


def settings_digest(settings: dict) -> str:
    """What a conversion depends on besides the file: Markdown settings and library versions."""
    import markdown
    import pelican

    probe = _RawReader(_conversion_settings(settings))
    text = repr(
        (
            _VERSION,
            markdown.__version__,
            pelican.__version__,
            probe.settings["MARKDOWN"],
            list(settings["FORMATTED_FIELDS"]),
        )
    )
    return hashlib.sha1(text.encode()).hexdigest()


def _convert(path: str) -> tuple[str, str, Any, dict, list, str]:
    """In a worker (or inline): read one file as Pelican's reader would, from bytes read once.

    Returns the path, the sha1 of the bytes converted (the conversion's key), the
    content, the raw metadata, the log records and the sha1 of the text converted.
    """
    with open(path, "rb") as fh:
        data = fh.read()
    text = compat.source_text(data)
    capture = _Capture()
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    root.handlers[:] = [capture]
    root.setLevel(logging.WARNING)
    try:
        content, metadata = _worker_reader().read_text(path, text)
    finally:
        root.handlers[:], root.level = saved
    return path, _sha1(data), content, metadata, capture.records, text_digest(text)


def _sha1(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()


def _key(path: str, digest: str) -> tuple[str, str, str]:
    """The key a conversion of ``path`` as it is now would be kept under (a look-up only)."""
    with open(path, "rb") as fh:
        return path, _sha1(fh.read()), digest


def cache_file(settings: dict) -> Path:
    return store.path(settings, "markdown.pickle")


def _load(settings: dict) -> None:
    if not SpeedSettings.of(settings).cache:
        return
    path = cache_file(settings)
    if str(path) in _loaded_from:
        return
    _loaded_from.add(str(path))
    kept = store.load(path)
    for key, value in (kept if isinstance(kept, dict) else {}).items():
        if _entry(key, value):
            _results.setdefault(key, value)


def _entry(key, value) -> bool:
    """True for a conversion in the shape this version keeps (anything else is dropped, made again)."""
    return (
        isinstance(key, tuple)
        and len(key) == 3
        and all(isinstance(part, str) for part in key)
        and isinstance(value, tuple)
        and len(value) == 4
        and isinstance(value[0], str)
        and isinstance(value[1], dict)
        and isinstance(value[2], list)
        and isinstance(value[3], str)
    )


def save(settings: dict) -> None:
    """Keep the conversions of the files this build read, for the next process."""
    global _dirty
    if not (_dirty and SpeedSettings.of(settings).cache):
        return
    store.save(cache_file(settings), {key: value for key, value in _results.items() if key[0] in _live})
    _dirty = False


_live: set[str] = set()
_keys: dict[str, tuple[str, str, str]] = {}


def prefetch(generator) -> None:
    """Convert every article and page source not already converted, on every core."""
    global _worker_settings, _dirty, _reader, _digest
    from . import workers
    from .timing import mark

    mark("articles generator created")
    settings = generator.settings
    _load(settings)
    digest = settings_digest(settings)
    extensions = MarkdownReader.file_extensions
    files = set()
    for paths, excludes in (
        (settings["ARTICLE_PATHS"], settings["ARTICLE_EXCLUDES"]),
        (settings["PAGE_PATHS"], settings["PAGE_EXCLUDES"]),
    ):
        files |= {
            os.path.abspath(os.path.join(generator.path, f))
            for f in generator.get_files(paths, exclude=excludes, extensions=extensions)
        }
    _keys.clear()
    _live.update(files)
    _worker_settings, _reader, _digest = _conversion_settings(settings), None, digest
    count = workers(settings)
    if not _results and len(files) >= INLINE_BELOW and count > 1:
        # Nothing kept (a first build): every file is converted, and keyed by its worker.
        missing = sorted(files)
        _start(missing, count)
        mark(f"prefetch: {len(missing)} of {len(files)} sources to convert")
        return
    missing = []
    for path in sorted(files):
        key = _keys[path] = _key(path, digest)
        if key not in _results:
            missing.append(path)
    mark(f"prefetch: {len(missing)} of {len(files)} sources to convert")
    if not missing:
        return
    _dirty = True
    if len(missing) < INLINE_BELOW or count == 1:
        for path in missing:
            _store(_convert(path))
        return
    _start(missing, count)


def _start(missing: list[str], count: int) -> None:
    """Convert ``missing`` in ``count`` forked workers; :func:`_wait` collects them."""
    global _dirty
    _dirty = True
    with frozen():
        pool = multiprocessing.get_context("fork").Pool(count)
    chunk = max(1, min(32, len(missing) // (count * 8)))
    _pending["pool"] = pool
    _pending["result"] = pool.map_async(_convert, missing, chunksize=chunk)


def current_keys() -> dict[str, tuple[str, str, str]]:
    """The conversion key of every source of the last reading, by absolute path."""
    return dict(_keys)


def conversion(key: tuple[str, str, str]) -> tuple[Any, dict] | None:
    """A kept conversion: (HTML, raw metadata), or None."""
    entry = _results.get(key)
    return None if entry is None else (entry[0], entry[1])


def converted_text(key: tuple[str, str, str]) -> str | None:
    """The digest of the text a kept conversion was made from (:func:`text_digest`)."""
    entry = _results.get(key)
    return None if entry is None else entry[3]


def conversion_records(key: tuple[str, str, str]) -> list:
    """What a kept conversion logged: (logger, level, message)."""
    entry = _results.get(key)
    return list(entry[2]) if entry else []


def convert(settings: dict, paths: list[str]) -> dict[str, tuple[Any, dict]]:
    """Convert ``paths`` here and now (a few edited files, quick.py)."""
    global _worker_settings, _dirty, _reader, _digest

    # What Pelican's readers do to the settings they are given (extensions listed): the
    # rules' renders are keyed by these settings, as a full build leaves them.
    _RawReader(settings)
    _digest = settings_digest(settings)
    wanted = _conversion_settings(settings)
    if _worker_settings != wanted:
        _worker_settings, _reader = wanted, None
    converted = {}
    for path in paths:
        _keys[path] = _key(path, _digest)
        _live.add(path)
        if _keys[path] not in _results:
            _dirty = True
            _store(_convert(path))  # keyed anew by what was converted
        converted[path] = conversion(_keys[path])
    return converted


def start_rules() -> None:
    """Fork the rules, every source being converted; they look through Pelican's HTML of each body.

    Called before every file Pelican reads: once the rules are forked, nothing to do.
    """
    from .check import hand_bodies, launch_waiting, rules_waiting

    if not rules_waiting():
        return
    hand_bodies(
        copy.deepcopy(_worker_settings["MARKDOWN"]) if _worker_settings else {},
        {path: (_results[key][3], _results[key][0]) for path, key in _keys.items() if key in _results},
    )
    launch_waiting()


def _conversion_settings(settings: dict) -> dict:
    """A copy of what a conversion depends on among the settings."""
    return {k: copy.deepcopy(settings[k]) for k in ("MARKDOWN", "FORMATTED_FIELDS")}


def _store(result: tuple[str, str, Any, dict, list, str]) -> None:
    path, sha1, content, metadata, records, text = result
    key = _keys[path] = (path, sha1, _digest)
    _results[key] = (content, metadata, records, text)


def _wait() -> None:
    """Wait for the conversions; then start the content rules, which reuse them."""
    from .timing import mark

    result = _pending.pop("result", None)
    pool = _pending.pop("pool", None)
    if result is not None:
        mark("first read: waiting for conversions")
        try:
            for item in result.get():
                _store(item)
        finally:
            pool.terminate()
            pool.join()
            mark("conversions done")
    start_rules()


class FastMarkdownReader(MarkdownReader):
    """Serves conversions made by :func:`prefetch`; reads the file itself otherwise."""

    def read(self, source_path):
        _wait()
        key = _keys.get(os.path.abspath(source_path))
        entry = _results.get(key) if key else None
        if entry is None:
            return super().read(source_path)
        content, raw, records, _text = entry
        for name, level, message in records:
            logging.getLogger(name).log(level, "%s", message)
        # A copy: list values become attributes of the content, and the cache outlives this build.
        return content, {
            name: self.process_metadata(name, copy.deepcopy(value)) for name, value in raw.items()
        }


def install_reader(readers) -> None:
    """At ``readers_init``: our reader for every extension Pelican gives its Markdown reader."""
    for ext in MarkdownReader.file_extensions:
        if readers.reader_classes.get(ext) is MarkdownReader:
            readers.reader_classes[ext] = FastMarkdownReader
    _cache_dates()


def _cache_dates() -> None:
    """Dates parsed once per text and day, the usual ones without dateutil (:func:`iso_date`,
    5 µs where dateutil takes 33)."""
    compat.cache_dates(iso_date)


_ISO_DATE = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})"
    r"(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:([+-])(\d{2}):?(\d{2}))?)?"
)


def iso_date(text: str) -> datetime.datetime | None:
    """``text`` as Pelican's ``get_date`` reads it when it is a plain ISO 8601 date; else None.

    "2025-04-12", "2025-04-12 14:37", "2025-04-12T14:37:00+02:00": the same
    SafeDatetime, with dateutil's own tzoffset, as dateutil makes. A zero offset
    or a "Z" is left to dateutil (it reads them as UTC or as the local zone), as
    is any date that does not exist (its error message is the one shown).
    """
    from dateutil.tz import tzoffset
    from pelican.utils import SafeDatetime

    found = _ISO_DATE.fullmatch(text)
    if found is None:
        return None
    year, month, day, hour, minute, second, sign, off_hours, off_minutes = found.groups()
    zone = None
    if sign:
        offset = (int(off_hours) * 60 + int(off_minutes)) * 60
        if offset == 0 or int(off_hours) > 23 or int(off_minutes) > 59:
            return None
        zone = tzoffset(None, offset if sign == "+" else -offset)
    try:
        return SafeDatetime(
            int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0), tzinfo=zone
        )
    except ValueError:
        return None
