"""Settings: read once, checked once, typed and frozen, every mistake named with its line.

Each plugin (and the application itself) reads its settings from one
namespaced dict of ``pelicanconf.py`` (``SOCIAL = {...}``, ``REVIEW = {...}``),
declared as a frozen dataclass that subclasses :class:`Section`::

    @dataclass(frozen=True)
    class DiscoverySettings(Section):
        NAME: ClassVar[str] = "DISCOVERY"
        search: bool = field(default=True, metadata={"doc": "build the search index"})
        search_part_pages: int = field(default=500, metadata={"min": 50})

A field's type says what is accepted (``bool``, ``int``, ``float``, ``str``,
``X | None``, ``Literal[...]``, ``list[X]``, ``tuple[X, ...]``, ``dict[str, X]``,
or another section for a nested dict); ``metadata`` may add ``min``, ``max``
and ``doc``. A section may also define :meth:`Section.problems` for what types
cannot say. Defaults are the field defaults: nothing else to keep in step.

A plugin package names its sections in ``SETTINGS`` (a tuple of classes).
:func:`check` reads every section of the application and of the plugins of
``PLUGINS`` before anything is built, and reports every unknown key and wrong
value as a :class:`~ambassade.diagnostics.Finding` at its line in the settings
file: the build stops once, with all of them. Code reads a section with
``DiscoverySettings.of(settings)``: the object itself, once the build's start
has put it in place of the dict.
"""

from __future__ import annotations

import ast
import dataclasses
import difflib
import types
import typing
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Literal, Self

from .diagnostics import ContentError, Finding, display_path
from .i18n import _

SETTINGS_FILE = "AMBASSADE_SETTINGS_FILE"
"""Where :func:`read` notes the settings file it read: findings name its lines."""

RULE = "settings"


@dataclass(frozen=True)
class Problem:
    """One wrong setting: where in the section (key path), what is wrong, what is expected."""

    keys: tuple[str, ...]
    message: str
    expected: str = ""


class SettingsError(ContentError):
    """The settings have mistakes: carries every finding."""


@dataclass(frozen=True)
class Section:
    """A typed, frozen section of the settings, read from the dict named :attr:`NAME`."""

    NAME: ClassVar[str] = ""

    @classmethod
    def of(cls, settings: Mapping[str, Any]) -> Self:
        """The section in force: the object put in place at the build's start, or read now.

        Raises :class:`SettingsError` (every finding) when the dict has mistakes.
        """
        value = settings.get(cls.NAME)
        if isinstance(value, cls):
            return value
        section, problems = cls.parse(value)
        if problems:
            raise SettingsError(findings(cls.NAME, problems, settings))
        return section

    @classmethod
    def parse(cls, given: Any) -> tuple[Self, list[Problem]]:
        """The section made of ``given`` (a dict, or None for every default), and every problem found.

        A wrong value is left at its default, so that the section exists even when
        the problems are reported (and the build then stops).
        """
        if given is None:
            given = {}
        if isinstance(given, cls):
            return given, []
        if not isinstance(given, Mapping):
            return cls(), [
                Problem(
                    (),
                    _("must be a dict, not %(value)s", value=_shown(given)),
                    _("a dict of settings: %(name)s = {...}", name=cls.NAME),
                )
            ]
        problems: list[Problem] = []
        hints = typing.get_type_hints(cls)
        known = {f.name: f for f in dataclasses.fields(cls)}
        values: dict[str, Any] = {}
        for key, value in given.items():
            if key not in known:
                problems.append(_unknown(key, known))
                continue
            value, found = _value(value, hints[key], known[key].metadata, (str(key),))
            problems += found
            if not found:
                values[key] = value
        section = cls(**values)
        if not problems:
            problems = list(section.problems())
        return section, problems

    def problems(self) -> Iterable[Problem]:
        """What the types cannot say (a template's placeholders, two settings that disagree)."""
        return ()

    @classmethod
    def defaults(cls) -> dict[str, Any]:
        """Every key and its default, as a settings file would write it (for documentation and tests)."""
        return {f.name: _plain(getattr(cls(), f.name)) for f in dataclasses.fields(cls)}


def _plain(value: Any) -> Any:
    if isinstance(value, Section):
        return value.defaults()
    return value


def _unknown(key: Any, known: Mapping[str, Any]) -> Problem:
    close = difflib.get_close_matches(str(key), list(known), n=1, cutoff=0.7)
    if close:
        expected = _("did you mean '%(key)s'?", key=close[0])
    else:
        expected = _("known settings: %(keys)s", keys=", ".join(sorted(known)))
    return Problem((str(key),), _("is not a setting"), expected)


def _value(
    value: Any, hint: Any, metadata: Mapping[str, Any], keys: tuple[str, ...]
) -> tuple[Any, list[Problem]]:
    """``value`` checked against ``hint``, converted as its type says (list to tuple, dict to section)."""
    origin = typing.get_origin(hint)
    if isinstance(hint, type) and issubclass(hint, Section):
        section, problems = hint.parse(value)
        return section, [Problem(keys + p.keys, p.message, p.expected) for p in problems]
    if origin in (types.UnionType, typing.Union):
        options = typing.get_args(hint)
        if value is None and type(None) in options:
            return None, []
        for option in options:
            if option is type(None):
                continue
            converted, problems = _value(value, option, metadata, keys)
            if not problems:
                return converted, []
        return value, [_wrong(value, hint, keys)]
    if origin is Literal:
        choices = typing.get_args(hint)
        if value in choices:
            return value, []
        return value, [
            Problem(
                keys,
                _("is %(value)s", value=_shown(value)),
                _("one of %(choices)s", choices=", ".join(map(repr, choices))),
            )
        ]
    if origin in (list, tuple):
        args = typing.get_args(hint)
        item = args[0] if args else Any
        if not isinstance(value, (list, tuple)):
            return value, [_wrong(value, hint, keys)]
        items, problems = [], []
        for index, element in enumerate(value):
            converted, found = _value(element, item, {}, keys + (str(index),))
            items.append(converted)
            problems += found
        return (tuple(items) if origin is tuple else items), problems
    if origin is dict:
        key_type, item = typing.get_args(hint) or (Any, Any)
        if not isinstance(value, Mapping):
            return value, [_wrong(value, hint, keys)]
        out, problems = {}, []
        for key, element in value.items():
            if key_type is not Any and not isinstance(key, key_type):
                problems.append(
                    Problem(
                        keys + (str(key),),
                        _("the key %(key)s is not text", key=_shown(key)),
                        _("a key in quotes"),
                    )
                )
                continue
            converted, found = _value(element, item, {}, keys + (str(key),))
            out[key] = converted
            problems += found
        return out, problems
    if hint is Any:
        return value, []
    if not _has_type(value, hint):
        return value, [_wrong(value, hint, keys)]
    shown = _shown(value)
    if hint is float:
        value = float(value)
    low, high = metadata.get("min"), metadata.get("max")
    if low is not None and value < low:
        return value, [Problem(keys, _("is %(value)s", value=shown), _("at least %(bound)s", bound=low))]
    if high is not None and value > high:
        return value, [Problem(keys, _("is %(value)s", value=shown), _("at most %(bound)s", bound=high))]
    return value, []


def _has_type(value: Any, hint: Any) -> bool:
    # bool is a subclass of int: `workers = True` is a mistake, not 1.
    if isinstance(value, bool):
        return hint is bool
    if hint is float:
        return isinstance(value, (int, float))
    return isinstance(hint, type) and isinstance(value, hint)


def _wrong(value: Any, hint: Any, keys: tuple[str, ...]) -> Problem:
    return Problem(keys, _("is %(value)s", value=_shown(value)), type_name(hint))


def type_name(hint: Any) -> str:
    """What a person should write for ``hint``, in words."""
    origin = typing.get_origin(hint)
    if origin in (types.UnionType, typing.Union):
        return _(" or ").join(type_name(arg) for arg in typing.get_args(hint))
    if origin is Literal:
        return _("one of %(choices)s", choices=", ".join(map(repr, typing.get_args(hint))))
    if origin in (list, tuple):
        args = typing.get_args(hint)
        return _("a list of %(items)s", items=type_name(args[0]) if args else _("values"))
    if origin is dict:
        args = typing.get_args(hint)
        return _("a dict of %(items)s", items=type_name(args[1]) if len(args) == 2 else _("values"))
    if isinstance(hint, type) and issubclass(hint, Section):
        return _("a dict of settings")
    return {
        bool: _("True or False"),
        int: _("a whole number"),
        float: _("a number"),
        str: _("text in quotes"),
        type(None): "None",
    }.get(hint, getattr(hint, "__name__", str(hint)))


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


# -- where a setting is written -------------------------------------------------------------------------


def findings(name: str, problems: Iterable[Problem], settings: Mapping[str, Any]) -> list[Finding]:
    """``problems`` of the section ``name`` as findings at their lines in the settings file."""
    source = settings.get(SETTINGS_FILE)
    out = []
    for problem in problems:
        path, line, col = locate(source, (name, *problem.keys))
        where = name + "".join(f"[{key!r}]" for key in problem.keys)
        out.append(Finding(path, line, col, RULE, f"{where} {problem.message}", problem.expected))
    return out


def locate(settings_file: str | Path | None, keys: tuple[str, ...]) -> tuple[str, int, int]:
    """The file, line and column where ``keys`` (a setting's name, then keys in its dicts) is written.

    The nearest written part is found: the key itself when the dict is written
    out literally, else the assignment of the setting. A setting the file does
    not assign is looked for in ``pelicanconf.py`` beside it (which
    ``publishconf.py`` starts from). Line 1 when it is nowhere to be read.
    """
    if not settings_file:
        return "pelicanconf.py", 1, 1
    candidates = [Path(settings_file)]
    sibling = Path(settings_file).with_name("pelicanconf.py")
    if sibling != candidates[0]:
        candidates.append(sibling)
    for path in candidates:
        found = _position(path, keys)
        if found is not None:
            return display_path(path), *found
    return display_path(settings_file), 1, 1


def _position(path: Path, keys: tuple[str, ...]) -> tuple[int, int] | None:
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except (OSError, SyntaxError, ValueError):
        return None
    name, rest = keys[0], keys[1:]
    found = None
    for node in tree.body:  # the last assignment at the top level is the one in force
        value = _assigned(node, name)
        if value is not None:
            found = _in_dict(value, rest, (node.lineno, node.col_offset + 1))
    return found


def _assigned(node: ast.stmt, name: str) -> ast.expr | None:
    if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
        return node.value
    if (
        isinstance(node, (ast.AnnAssign, ast.AugAssign))
        and isinstance(node.target, ast.Name)
        and node.target.id == name
    ):
        return node.value
    return None


def _in_dict(value: ast.expr | None, keys: tuple[str, ...], where: tuple[int, int]) -> tuple[int, int]:
    for key in keys:
        if not isinstance(value, ast.Dict):
            break
        for key_node, item in zip(value.keys, value.values, strict=True):
            if isinstance(key_node, ast.Constant) and str(key_node.value) == key:
                where = (key_node.lineno, key_node.col_offset + 1)
                value = item
                break
        else:
            break
    return where


# -- reading and checking the settings ------------------------------------------------------------------


def read(settings_file: Path | str, overrides: Mapping[str, Any] | None = None) -> dict:
    """Pelican's settings of ``settings_file``, with ``overrides``; a dict override adds to the file's dict.

    ``overrides={"ADVOCACY": {"internal": True}}`` changes one key of the
    file's ``ADVOCACY``, where Pelican's own overrides replace whole settings.
    """
    from pelican.settings import get_settings_from_file, read_settings

    overrides = dict(overrides or {})
    try:
        if any(isinstance(value, Mapping) for value in overrides.values()):
            written = get_settings_from_file(str(settings_file))
            for name, value in overrides.items():
                if isinstance(value, Mapping) and isinstance(written.get(name), Mapping):
                    overrides[name] = _merged(written[name], value)
        settings = read_settings(str(settings_file), override=overrides)
    except Exception as exc:  # the file does not run: say where, not how Python got there
        raise SettingsError([_failure(Path(settings_file), exc)]) from None
    settings[SETTINGS_FILE] = str(Path(settings_file).resolve())
    return settings


def _failure(path: Path, exc: Exception) -> Finding:
    """What stopped ``path`` from running, at the line where it stopped."""
    line, col = 1, 1
    if isinstance(exc, SyntaxError) and exc.filename and Path(exc.filename).name == path.name:
        line, col = exc.lineno or 1, exc.offset or 1
    else:
        import traceback

        frames = [f for f in traceback.extract_tb(exc.__traceback__) if Path(f.filename).name == path.name]
        if frames:
            line, col = frames[-1].lineno or 1, (frames[-1].colno or 0) + 1
    if isinstance(exc, FileNotFoundError) and not path.exists():
        return Finding(
            display_path(path),
            1,
            1,
            RULE,
            _("the settings file does not exist"),
            _("a settings file such as pelicanconf.py"),
        )
    return Finding(
        display_path(path),
        line,
        col,
        RULE,
        _("the settings file stops with %(error)s", error=f"{type(exc).__name__}: {exc}"),
        _("valid Python, as in the project's pelicanconf.py"),
    )


def _merged(base: Mapping, extra: Mapping) -> dict:
    out = dict(base)
    for key, value in extra.items():
        out[key] = (
            _merged(out[key], value)
            if isinstance(value, Mapping) and isinstance(out.get(key), Mapping)
            else value
        )
    return out


def default(value: Any, **metadata: Any) -> Any:
    """A field whose default is ``value`` (copied for each section when it is a list or a dict)."""
    if isinstance(value, (list, dict, set)):
        return field(default_factory=lambda: type(value)(value), metadata=metadata)
    return field(default=value, metadata=metadata)
