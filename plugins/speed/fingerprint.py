"""A stable digest of everything templates can reach, article bodies and profiles excepted.

Used as the key of a page's last rendering: if the digest of the whole context
is the same as last time, and the bodies and profile fields a page read last
time are the same, the page renders to the same bytes. Every object reachable
from the context is walked once (by identity), its data fields included
whatever its depth: lists, dicts, dataclasses, Pelican's content objects
(metadata and attributes set by plugins), URL wrappers, dates, paths. Functions
and classes count by their qualified name (their code is covered by
:func:`code_digest`). Left out on purpose, because which of them a page reads
is recorded while it renders (reads.py): article and page bodies
(``_content``), so that an edit to one article's text keeps every page that
does not show that text; and the fields of profiles (``ambassade.profiles.Expert``,
named by their slug, met here as :attr:`Fingerprinter.profiles`), so that an
edit to one person's role keeps every page that does not show that person's role.
What is made from a profile before pages render (a list sorted by name, an
expert page's links) is data of its own, walked here.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import sys
import types
from collections import deque
from pathlib import Path, PurePath
from typing import Any

from pelican.contents import Content
from pelican.urlwrappers import URLWrapper

from ambassade.profiles import Expert

from . import compat

_SIMPLE = (str, int, float, bool, bytes, type(None), complex)
_VALUES = (dt.date, dt.time, dt.timedelta, PurePath, dt.tzinfo)
_SIMPLE_CATEGORY, _VALUE_CATEGORY, _PROFILE_CATEGORY, _OBJECT_CATEGORY = (
    "simple",
    "value",
    "profile",
    "object",
)
_CATEGORIES: dict[type, str] = {}
"""How each type met is described, found once per type: millions of references are made per build."""


def _category(kind: type) -> str:
    if issubclass(kind, _SIMPLE):
        found = _SIMPLE_CATEGORY
    elif issubclass(kind, _VALUES):
        found = _VALUE_CATEGORY
    elif kind is Expert:
        found = _PROFILE_CATEGORY
    else:
        found = _OBJECT_CATEGORY
    _CATEGORIES[kind] = found
    return found


# Attributes that are not data of the object itself: the shared context and
# settings (fingerprinted once, as the context), and the body.
_SKIP_ATTRS = {"settings", *compat.CONTENT_INTERNALS}
_OPAQUE_MODULES = (
    "jinja2",
    "logging",
    "threading",
    "multiprocessing",
    "_thread",
    "markdown",
    "blinker",
    "babel",
    "gettext",
    "concurrent",
    "subprocess",
    "socket",
    "io",
    "_io",
)


class Fingerprinter:
    """Walks an object graph breadth first, each object described once with references as tokens.

    Tokens are numbers in order of discovery, so two walks of graphs of the same
    shape and data give the same digests, in this process or another one; no
    recursion, so long chains (article → topic → article …) cost nothing extra.
    Objects reached only from one page's own arguments are numbered and
    described again for each page (:meth:`page_digest`).
    """

    def __init__(self, aliases: dict[str, str] | None = None, unordered: list[Any] = ()) -> None:
        # Strings that name the same thing from one build to the next (the staging folder).
        self._aliases = aliases or {}
        # Dicts whose order is the file system's (Pelican reads files from a set): described sorted.
        self._unordered = {id(d) for d in unordered}
        self._ids: dict[int, int] = {}
        self._keep: list[Any] = []  # keeps numbered objects alive, so that ids are not reused
        self._local: dict[int, int] | None = None
        self._queue: deque = deque()
        self.profiles: dict[str, Any] = {}
        """Every profile met, by slug (None where two objects have one slug)."""

    def digest(self, root: Any) -> str:
        """Digest of ``root`` and of everything reachable from it."""
        h = hashlib.sha1(self.ref(root).encode("utf-8", "surrogatepass"))
        self._drain(h)
        return h.hexdigest()

    def page_digest(self, base: str, items: list[tuple[str, Any]]) -> str:
        """``base`` plus ``items``; objects not reached by :meth:`digest` are described here again."""
        self._local = {}
        try:
            h = hashlib.sha1(base.encode())
            for name, value in items:
                h.update(f"{name}={self.ref(value)};".encode("utf-8", "surrogatepass"))
            self._drain(h)
            return h.hexdigest()
        finally:
            self._local = None

    def ref(self, obj: Any) -> str:
        kind = type(obj)
        category = _CATEGORIES.get(kind)
        if category is None:
            category = _category(kind)
        if category is _SIMPLE_CATEGORY:
            if kind is str and obj in self._aliases:
                obj = self._aliases[obj]
            return f"{kind.__name__}:{obj!r}"
        if category is _VALUE_CATEGORY:
            return _value(obj)
        if category is _PROFILE_CATEGORY:
            return self._profile(obj)
        key = id(obj)
        token = self._ids.get(key)
        if token is not None:
            return f"#{token}"
        if self._local is not None:
            token = self._local.get(key)
            if token is None:
                token = self._local[key] = len(self._ids) + len(self._local)
                self._keep.append(obj)
                self._queue.append(obj)
            return f"@{token}"
        token = self._ids[key] = len(self._keep)
        self._keep.append(obj)
        self._queue.append(obj)
        return f"#{token}"

    def _profile(self, expert: Expert) -> str:
        """A profile stands for itself by its slug: its fields are what pages read of it (reads.py)."""
        slug = object.__getattribute__(expert, "__dict__").get("slug")
        if self.profiles.setdefault(slug, expert) is not expert:
            self.profiles[slug] = None
        return f"profile:{slug!r}"

    def _drain(self, h) -> None:
        while self._queue:
            h.update(self._describe(self._queue.popleft()).encode("utf-8", "surrogatepass"))
            h.update(b"\n")

    def _fields(self, obj: Any, skip: set[str]) -> str:
        fields = sorted((k, v) for k, v in vars(obj).items() if k not in skip)
        return ",".join(f"{k}={self.ref(v)}" for k, v in fields)

    def _describe(self, obj: Any) -> str:
        ref = self.ref
        kind = type(obj)
        if kind is list or kind is tuple:  # most of what is described: no isinstance to try
            return f"{kind.__name__}[" + ",".join(map(ref, obj)) + "]"
        if kind is dict and id(obj) not in self._unordered:
            return "dict{" + ",".join(f"{ref(k)}={ref(v)}" for k, v in obj.items()) + "}"
        if isinstance(obj, (list, tuple)):
            return f"{type(obj).__name__}[" + ",".join(ref(x) for x in obj) + "]"
        if isinstance(obj, (set, frozenset)):
            # Numbered in an order of their own (a set's order changes from one process to the next).
            return f"{type(obj).__name__}{{" + ",".join(ref(x) for x in sorted(obj, key=_stable_key)) + "}"
        if isinstance(obj, dict) and id(obj) in self._unordered:
            items = sorted(obj.items(), key=lambda kv: _stable_key(kv[0]))
            return f"{type(obj).__name__}{{" + ",".join(f"{ref(k)}={ref(v)}" for k, v in items) + "}"
        if isinstance(obj, dict):
            return f"{type(obj).__name__}{{" + ",".join(f"{ref(k)}={ref(v)}" for k, v in obj.items()) + "}"
        if isinstance(
            obj,
            (
                types.FunctionType,
                types.BuiltinFunctionType,
                types.MethodType,
                type,
                types.ModuleType,
                functools.partial,
            ),
        ) or (callable(obj) and not hasattr(obj, "__dict__")):
            module = getattr(obj, "__module__", None) or getattr(obj, "__name__", "")
            name = getattr(obj, "__qualname__", None) or getattr(obj, "__name__", type(obj).__qualname__)
            bound = getattr(obj, "__self__", None)
            extra = ref(bound) if isinstance(obj, types.MethodType) and bound is not None else ""
            if isinstance(obj, types.FunctionType):
                # What a function closes over or defaults to is data it can render.
                cells = [c.cell_contents for c in obj.__closure__ or () if _filled(c)]
                extra = ref(cells) + ref(list(obj.__defaults__ or ())) + ref(dict(obj.__kwdefaults__ or {}))
            if isinstance(obj, functools.partial):
                extra = ref(obj.func) + ref(list(obj.args)) + ref(dict(obj.keywords))
            return f"callable:{module}.{name}:{extra}"
        module = type(obj).__module__ or ""
        if module.split(".")[0] in _OPAQUE_MODULES:
            return f"opaque:{module}.{type(obj).__qualname__}"
        if isinstance(obj, Content):
            return f"content:{type(obj).__qualname__}:" + self._fields(obj, _SKIP_ATTRS)
        if isinstance(obj, URLWrapper):
            return f"url:{type(obj).__qualname__}:" + self._fields(obj, _SKIP_ATTRS)
        if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
            return f"dc:{type(obj).__qualname__}:" + ",".join(
                f"{f.name}={ref(getattr(obj, f.name, None))}" for f in dataclasses.fields(obj)
            )
        slots = getattr(type(obj), "__slots__", ())
        names = [slots] if isinstance(slots, str) else list(slots or ())
        slot_text = ",".join(f"{n}={ref(getattr(obj, n))}" for n in names if hasattr(obj, n))
        if hasattr(obj, "__dict__"):
            return (
                f"obj:{module}.{type(obj).__qualname__}:" + self._fields(obj, _SKIP_ATTRS) + ";" + slot_text
            )
        if names:
            return f"slots:{module}.{type(obj).__qualname__}:" + slot_text
        return f"repr:{module}.{type(obj).__qualname__}:{obj!r}"


def _stable_key(obj: Any) -> tuple:
    """A key to sort members of a set by, the same in every process."""
    if isinstance(obj, _SIMPLE):
        return (0, type(obj).__name__, repr(obj))
    if isinstance(obj, Content):
        return (1, str(getattr(obj, "source_path", "")), type(obj).__qualname__)
    if isinstance(obj, URLWrapper):
        return (2, type(obj).__qualname__, obj.name)
    if isinstance(obj, (tuple, frozenset)) or (dataclasses.is_dataclass(obj) and not isinstance(obj, type)):
        return (3, type(obj).__qualname__, repr(obj))
    return (4, type(obj).__qualname__, "")


def _filled(cell) -> bool:
    try:
        cell.cell_contents  # noqa: B018 - an empty cell raises
    except ValueError:
        return False
    return True


def _value(obj: Any) -> str | None:
    """Immutable values described in place (no identity of their own)."""
    if isinstance(obj, (dt.datetime, dt.time)):
        return f"{type(obj).__name__}:{obj.isoformat()}:{obj.tzinfo!r}"
    if isinstance(obj, dt.date):
        return f"date:{obj.isoformat()}"
    if isinstance(obj, dt.timedelta):
        return f"td:{obj.total_seconds()}"
    if isinstance(obj, PurePath):
        return f"path:{obj}"
    if isinstance(obj, dt.tzinfo):
        return f"tz:{obj!r}"
    return None


def _hash_tree(h, root: Path, suffixes: tuple[str, ...] | None) -> None:
    if not root.exists():
        return
    files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
    for path in files:
        if "__pycache__" in path.parts or (suffixes and path.suffix not in suffixes):
            continue
        h.update(str(path).encode())
        h.update(path.read_bytes())


def code_digest(settings: dict) -> str:
    """Templates, theme files and plugin code: what renders the data."""
    import jinja2
    import markdown
    import pelican

    h = hashlib.sha1()
    h.update(repr((sys.version, pelican.__version__, jinja2.__version__, markdown.__version__)).encode())
    for root, suffixes in code_roots(settings):
        _hash_tree(h, Path(root), suffixes)
    return h.hexdigest()


def code_roots(settings: dict) -> list[tuple[str, tuple[str, ...] | None]]:
    """The folders of the code that renders the data, each with the file suffixes that count (None: all)."""
    roots = [(settings["THEME"], None)]
    roots += [(extra, None) for extra in settings.get("THEME_TEMPLATES_OVERRIDES") or []]
    roots += [(path, (".py",)) for path in settings.get("PLUGIN_PATHS") or []]
    roots += [(path, (".py",)) for path in _package_folders(settings)]
    return roots


def _package_folders(settings: dict) -> list[str]:
    """The folders of the application and of every plugin package named in ``PLUGINS``."""
    import importlib.util

    import ambassade

    folders = list(ambassade.__path__)
    for plugin in settings.get("PLUGINS") or ():
        name = plugin if isinstance(plugin, str) else getattr(plugin, "__name__", "")
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            continue
        if spec is not None and spec.submodule_search_locations:
            folders += [f for f in spec.submodule_search_locations if f not in folders]
        elif spec is not None and spec.origin:
            folders.append(spec.origin)
    return folders
