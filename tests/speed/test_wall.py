"""One wall: only plugins/speed/compat.py touches what Pelican, Markdown and Jinja keep private,
and the plugin stands aside on versions that wall was not checked against.

The check reads the code (its syntax tree, not its text). Outside compat.py,
no module of ``plugins/`` or ``ambassade/`` may

* read, set or define a private name of those libraries: an attribute, a
  method overridden in a subclass, a name imported, a string naming one (as
  ``getattr`` or ``obj.__dict__`` take it). The private names are the ones
  the installed libraries' own code defines, found the same way;
* assign to an attribute of those libraries' modules and classes (or of
  ``builtins``, ``io`` and ``os``: wrapping ``open`` or ``listdir``), directly,
  through a subscript or with ``setattr``/``delattr``;
* replace a method of any object by assignment (``obj.method = function``).
"""

from __future__ import annotations

import ast
import builtins
import importlib
import logging
import os
import sys
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pytest

from tests.speed import site
from tests.speed.test_speed import _differences
from tests.support import ROOT

LIBRARIES = ("pelican", "markdown", "jinja2")
PATCHED_STDLIB = ("builtins", "io", "os")
WALL = ROOT / "plugins" / "speed" / "compat.py"


def _is_dunder(name: str) -> bool:
    return name.startswith("__") and name.endswith("__")


def _private(name: str) -> bool:
    return name.startswith("_") and not _is_dunder(name)


@cache
def library_private_names() -> frozenset[str]:
    """Every private name the libraries' code defines: methods, attributes, module globals, mangled ones."""
    names: set[str] = set()
    for library in LIBRARIES:
        root = Path(importlib.import_module(library).__file__).parent
        for path in root.rglob("*.py"):
            if "tests" in path.relative_to(root).parts:  # Pelican's own tests
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, ast.ClassDef):
                    owner = node.name.lstrip("_")
                    for item in node.body:
                        defined = []
                        if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                            defined = [item.name]
                        elif isinstance(item, (ast.Assign, ast.AnnAssign)):
                            targets = item.targets if isinstance(item, ast.Assign) else [item.target]
                            defined = [t.id for t in targets if isinstance(t, ast.Name)]
                        for name in defined:
                            if name.startswith("__") and not name.endswith("__"):
                                names.add(f"_{owner}{name}")  # Python mangles it so
                            elif _private(name):
                                names.add(name)
                elif (
                    isinstance(node, ast.Attribute)
                    and isinstance(node.ctx, ast.Store)
                    and _private(node.attr)
                ):
                    names.add(node.attr)
            for node in tree.body:  # module globals
                if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and _private(node.name):
                    names.add(node.name)
                elif isinstance(node, ast.Assign):
                    names |= {t.id for t in node.targets if isinstance(t, ast.Name) and _private(t.id)}
    return frozenset(names)


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imported(node: ast.Import | ast.ImportFrom, module: str, is_package: bool) -> dict[str, str]:
    """Names an import binds, each with what it names (a dotted path)."""
    if isinstance(node, ast.Import):
        return {
            (a.asname or a.name.split(".")[0]): (a.name if a.asname else a.name.split(".")[0])
            for a in node.names
        }
    base = node.module or ""
    if node.level:
        package = module.split(".") if is_package else module.split(".")[:-1]
        package = package[: len(package) - (node.level - 1)]
        base = ".".join([*package, *([base] if base else [])])
    return {(a.asname or a.name): f"{base}.{a.name}" for a in node.names}


def _is_library(origin: str | None, roots=LIBRARIES) -> bool:
    return origin is not None and origin.split(".")[0] in roots


@dataclass
class _Scope:
    names: dict[str, str | None] = field(default_factory=dict)  # name -> import origin, or None (a local)
    functions: set[str] = field(default_factory=set)  # names bound to a def, a lambda or a class here


def _bindings(body: list[ast.stmt], args: ast.arguments | None, module: str, is_package: bool) -> _Scope:
    """What a function's (or the module's) own statements bind, nested functions and classes left out."""
    scope = _Scope()
    if args is not None:
        for arg in [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]:
            if arg is not None:
                scope.names[arg.arg] = None
    todo = list(body)
    while todo:
        node = todo.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            scope.names.update(_imported(node, module, is_package))
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            scope.names[node.name] = None
            scope.functions.add(node.name)
            continue
        elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Lambda):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    scope.functions.add(target.id)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            scope.names.setdefault(node.id, None)
        todo.extend(ast.iter_child_nodes(node))
    return scope


@dataclass
class Problem:
    path: str
    line: int
    what: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.what}"


class _Checker(ast.NodeVisitor):
    def __init__(self, path: Path, module: str, tree: ast.Module, library_classes: set[str]) -> None:
        self.path, self.module = path, module
        self.is_package = path.name == "__init__.py"
        self.library_classes = library_classes  # dotted names of first-party classes derived from a library's
        self.scopes = [_bindings(tree.body, None, module, self.is_package)]
        self.classes: list[bool] = []  # for each enclosing class: is it derived from a library class?
        self.kinds: list[str] = []  # "class" or "function", innermost last
        self.docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
            and node.body
            and isinstance(node.body[0], ast.Expr)
            and isinstance(node.body[0].value, ast.Constant)
        }
        self.problems: list[Problem] = []

    def _say(self, node: ast.AST, what: str) -> None:
        self.problems.append(Problem(str(self.path.relative_to(ROOT)), node.lineno, what))

    # -- names ---------------------------------------------------------------------------------------

    def origin(self, node: ast.expr) -> str | None:
        """What a name (or ``name.attr``) is bound to by an import, else None."""
        if isinstance(node, ast.Attribute):
            base = self.origin(node.value)
            return f"{base}.{node.attr}" if base else None
        if isinstance(node, ast.Name):
            for scope in reversed(self.scopes):
                if node.id in scope.names:
                    return scope.names[node.id]
        return None

    def _root(self, node: ast.expr) -> ast.expr:
        while isinstance(node, (ast.Attribute, ast.Subscript)):
            node = node.value
        return node

    def is_function(self, node: ast.expr) -> bool:
        if isinstance(node, ast.Lambda):
            return True
        if isinstance(node, ast.Name):
            return any(node.id in scope.functions for scope in self.scopes)
        if isinstance(node, ast.Call):
            called = self.origin(node.func) or (
                node.func.attr if isinstance(node.func, ast.Attribute) else ""
            )
            return str(called).endswith(("MethodType", "partial"))
        return False

    def derived(self, base: ast.expr) -> bool:
        """True when a class base is, or may be, a library class (unknown: a variable, say)."""
        origin = self.origin(base)
        if origin is not None:
            return _is_library(origin) or origin in self.library_classes
        if isinstance(base, ast.Name):
            if any(base.id in scope.functions for scope in self.scopes):  # a class of this module
                return f"{self.module}.{base.id}" in self.library_classes
            return not hasattr(builtins, base.id)
        return True

    # -- scopes --------------------------------------------------------------------------------------

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        method = bool(self.kinds) and self.kinds[-1] == "class"
        if method and self.classes[-1] and node.name in library_private_names():
            self._say(node, f"overrides {node.name}, private to the library its class derives from")
        for decorator in node.decorator_list:
            self.visit(decorator)
        self.scopes.append(_bindings(node.body, node.args, self.module, self.is_package))
        self.kinds.append("function")
        for child in node.body:
            self.visit(child)
        self.kinds.pop()
        self.scopes.pop()

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        for base in node.bases:
            self.visit(base)
        self.classes.append(any(self.derived(base) for base in node.bases))
        self.kinds.append("class")
        for child in node.body:
            self.visit(child)
        self.kinds.pop()
        self.classes.pop()

    # -- reads -------------------------------------------------------------------------------------

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if node.attr in library_private_names() and not self._own(node.value):
            self._say(node, f"{ast.unparse(node)}: a private name of Pelican, Markdown or Jinja")
        self.generic_visit(node)

    def _own(self, base: ast.expr) -> bool:
        """``self.x`` in a class of ours derived from no library class, or a module of ours."""
        if isinstance(base, ast.Name) and base.id in ("self", "cls"):
            return not (self.classes and self.classes[-1])
        origin = self.origin(base)
        return origin is not None and origin.split(".")[0] in ("ambassade", "plugins")

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        for origin in _imported(node, self.module, self.is_package).values():
            if _is_library(origin) and any(_private(part) for part in origin.split(".")):
                self._say(node, f"imports {origin}, private to its library")

    def visit_Constant(self, node: ast.Constant) -> None:
        if (
            isinstance(node.value, str)
            and node.value in library_private_names()
            and id(node) not in self.docstrings
        ):
            self._say(node, f"names {node.value!r}, private to Pelican, Markdown or Jinja")

    # -- writes ------------------------------------------------------------------------------------

    def _check_target(self, target: ast.expr, value: ast.expr | None) -> None:
        if isinstance(target, (ast.Tuple, ast.List)):
            for element in target.elts:
                self._check_target(element, None)
            return
        if not isinstance(target, (ast.Attribute, ast.Subscript)):
            return
        root = self.origin(self._root(target))
        if _is_library(root) or (isinstance(target, ast.Attribute) and _is_library(root, PATCHED_STDLIB)):
            self._say(target, f"assigns to {ast.unparse(target)}, part of {root}")
        elif (
            isinstance(target, ast.Attribute)
            and value is not None
            and self.is_function(value)
            and not (isinstance(target.value, ast.Name) and target.value.id == "self")
        ):
            self._say(target, f"replaces {ast.unparse(target)} with a function or class of its own")

    def visit_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            self._check_target(target, node.value)
        self.generic_visit(node)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self._check_target(node.target, None)
        self.generic_visit(node)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        self._check_target(node.target, node.value)
        self.generic_visit(node)

    def visit_Delete(self, node: ast.Delete) -> None:
        for target in node.targets:
            self._check_target(target, None)
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        if isinstance(node.func, ast.Name) and node.func.id in ("setattr", "delattr") and node.args:
            root = self.origin(self._root(node.args[0]))
            if _is_library(root) or _is_library(root, PATCHED_STDLIB):
                self._say(node, f"{node.func.id} on {ast.unparse(node.args[0])}, part of {root}")
        self.generic_visit(node)


def _sources() -> list[Path]:
    return sorted(p for folder in ("plugins", "ambassade") for p in (ROOT / folder).rglob("*.py"))


def _library_classes(trees: dict[Path, ast.Module]) -> set[str]:
    """Dotted names of our classes derived, at any remove, from a class of those libraries."""
    found: set[str] = set()
    while True:
        before = len(found)
        for path, tree in trees.items():
            module = _module_name(path)
            checker = _Checker(path, module, tree, found)
            for node in tree.body:
                if isinstance(node, ast.ClassDef) and any(checker.derived(b) for b in node.bases):
                    found.add(f"{module}.{node.name}")
        if len(found) == before:
            return found


def problems(paths: list[Path], sources: dict[Path, str] | None = None) -> list[Problem]:
    trees = {p: ast.parse((sources or {}).get(p) or p.read_text(encoding="utf-8")) for p in _sources()}
    trees.update({p: ast.parse(text) for p, text in (sources or {}).items()})
    classes = _library_classes(trees)
    found = []
    for path in paths:
        checker = _Checker(path, _module_name(path), trees[path], classes)
        checker.visit(trees[path])
        found += checker.problems
    return found


def test_only_the_wall_touches_what_pelican_markdown_and_jinja_keep_private():
    others = [p for p in _sources() if p != WALL]
    assert [str(p) for p in problems(others)] == []


def test_the_check_finds_what_the_wall_does():
    """The wall itself breaks every rule, each where it says so: the check sees it."""
    found = " ".join(p.what for p in problems([WALL]))
    for expected in (
        "overrides _parse_metadata",
        "overrides _InlineProcessor__handleInline",
        "overrides _from_namespace",
        "writer._written_files",
        "pelican._get_writer",
        "names '_content'",
        "assigns to urlwrappers.slugify",
        "assigns to readers.METADATA_PROCESSORS[name]",
        "assigns to Content.get_content",
        "setattr on Content",
        "replaces generator.get_files",
    ):
        assert expected in found, expected


@pytest.mark.parametrize(
    "code, expected",
    [
        ("import builtins\nbuiltins.open = None\n", "assigns to builtins.open"),
        ("import os\ndef f():\n    os.scandir = len\n", "assigns to os.scandir"),
        ("from pelican.contents import Content\ndel Content.url\n", "assigns to Content.url"),
        ("def f(generator):\n    generator.generate_output = lambda w: None\n", "replaces generator"),
        ("from pelican.utils import _get_thing\n", "imports pelican.utils._get_thing"),
        ("def f(c):\n    return getattr(c, '_context')\n", "names '_context'"),
        ("def f(w):\n    return w._overridden_files\n", "w._overridden_files"),
    ],
)
def test_the_check_finds_each_kind_of_touch(code, expected):
    path = ROOT / "plugins" / "speed" / "_example.py"
    found = " ".join(p.what for p in problems([path], {path: code}))
    assert expected in found


def test_the_check_lets_our_own_private_names_be(tmp_path):
    code = (
        "class Mine:\n    def __init__(self):\n        self._content = 1\n    def _parse(self):\n"
        "        return self._content\nfrom . import quick\nx = quick._content\n"
    )
    path = ROOT / "plugins" / "speed" / "_example.py"
    assert problems([path], {path: code}) == []


# -- the version guard -----------------------------------------------------------------------------


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def test_on_a_version_not_checked_the_build_is_the_plain_sequential_one(tmp_path, monkeypatch):
    import pelican
    from pelican import readers, urlwrappers, utils

    from plugins import speed
    from plugins.speed import compat, writer

    base = site.make(tmp_path / "site")
    settings = {**site.TAXONOMIES, **site.PAGINATION, **site.FEEDS}
    site.build(site.overrides(base, tmp_path / "fast", tmp_path / "cache-fast", settings, workers=2))
    site.build(site.overrides(base, tmp_path / "plain", tmp_path / "cache-plain", settings, enabled=False))

    monkeypatch.setattr(pelican, "__version__", "4.13.0")
    monkeypatch.setattr(compat, "_warned", False)
    records = _Records()
    logging.getLogger(compat.__name__).addHandler(records)

    def forbidden(*args, **kwargs):
        raise AssertionError("the plain build forks no process of the plugin's and defers no page")

    fork = os.fork

    def fork_unless_speed():
        frame = sys._getframe(1)
        while frame is not None:
            if frame.f_globals.get("__name__", "").startswith("plugins.speed"):
                forbidden()
            frame = frame.f_back
        return fork()  # the driver's own (ambassade.output prepares the next output folder)

    monkeypatch.setattr(os, "fork", fork_unless_speed)
    monkeypatch.setattr(writer.DeferredWriter, "__init__", forbidden)
    try:
        assert speed.fast_path({"PLUGINS": ["plugins.speed"], "SPEED": {}}) is None
        for n in range(2):
            overrides = site.overrides(base, tmp_path / f"guarded-{n}", tmp_path / f"cache-{n}", settings)
            site.build(overrides)
            # Nothing of the plugin's is in Pelican's way (an earlier build of the process cached these).
            assert urlwrappers.slugify is utils.slugify
            assert {f.__module__ for f in readers.METADATA_PROCESSORS.values()} == {"pelican.readers"}
    finally:
        logging.getLogger(compat.__name__).removeHandler(records)
    warnings = [m for m in records.messages if "switched off" in m]
    assert len(warnings) == 1
    assert "Pelican 4.13.0" in warnings[0] and "plain sequential" in warnings[0]
    assert _differences(tmp_path / "plain", tmp_path / "guarded-1") == []
    assert _differences(tmp_path / "fast", tmp_path / "guarded-0") == []
