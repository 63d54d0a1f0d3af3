"""What a build reads, said by whoever reads it: the inputs a rebuild must look at.

In the livereload loop a fast path may skip reading the site again when only
the text of some articles or profiles changed (the speed plugin's quick rebuild). It can
only know that nothing else changed if it knows everything the build reads:
each plugin says what it reads here, and the fast path stamps those files and
folders before the build reads them, then compares the stamps before the next.

The rule for a plugin's author
------------------------------

* **Declare every file and folder your plugin reads, at ``initialized``**
  (before anything is read): ``declare(pelican.settings, path, by=__name__)``.
  A folder (``kind="tree"``, the default) counts every file under it and every
  name added to or removed from it; a file (``kind="file"``) counts even when it
  does not exist yet (its creation is a change). Declaring a folder twice, or
  one inside another, is harmless.
* **A plugin that reads no file says so**: ``reads_nothing(pelican.settings,
  by=__name__)``. A plugin of ``PLUGINS`` that declared nothing at all turns
  quick rebuilds off: the fast path cannot tell what it depends on, so every
  rebuild is a full one (correct, only slower). That is the rule for a plugin
  written before this registry, or elsewhere.
* **Reading the text of the Markdown sources yourself** (not through
  Pelican's content objects, as the review report does): declare those with
  ``reads_text=True``. An edit to an article's text is then a full rebuild.
* **Content objects**: what a plugin derives from an article's body (its
  ``content``, ``summary``) outside rendering a page is seen by the speed
  plugin, which then rebuilds in full; nothing to declare.
* Pelican's own inputs (``PATH``, ``THEME``, ``THEME_TEMPLATES_OVERRIDES``) and
  the code of the plugins are declared by the speed plugin; the settings file
  by the build driver (:func:`ambassade.build.load_settings`).

What is not declared is not looked at: an edit to it goes unseen by the next
quick rebuild, which then shows what the plugin kept from the last full build.
The environment variable ``SPEED_CHECK_INPUTS=1`` has the speed plugin warn
about every file a full build reads that no declaration covers (a plugin's
author runs a build so once); tests/speed/test_inputs.py builds a test site so,
with every plugin of the project.

Declarations live in the settings (``settings["AMBASSADE_INPUTS"]``) for the
life of one build: the context Pelican copies from them shares the list.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from .i18n import _

KEY = "AMBASSADE_INPUTS"
KINDS = ("tree", "file")


@dataclass(frozen=True)
class Input:
    """One thing a build reads."""

    path: str | None
    """Absolute; None for a plugin that reads no file."""
    kind: str
    """``"tree"``: a folder, everything under it; ``"file"``: one file."""
    by: str
    """The module that declared it (``__name__``): its plugin is the package it is in."""
    reads_text: bool = False
    """The declarer reads the text of Markdown sources under it itself."""


def declare(
    settings: dict, path: str | os.PathLike, kind: str = "tree", *, by: str, reads_text: bool = False
) -> None:
    """``by`` (a module's ``__name__``) reads ``path`` (a folder with ``kind="tree"``, else a file)."""
    if kind not in KINDS:
        raise ValueError(_("kind must be one of %(kinds)s, not %(kind)r", kinds=KINDS, kind=kind))
    _declarations(settings).append(Input(os.path.abspath(os.fspath(path)), kind, by, reads_text))


def reads_nothing(settings: dict, *, by: str) -> None:
    """``by`` (a module's ``__name__``) reads no file: its plugin leaves quick rebuilds on."""
    _declarations(settings).append(Input(None, "file", by))


def declared(settings: dict) -> list[Input]:
    """Every declaration of this build so far, in order."""
    return list(settings.get(KEY) or ())


def undeclared_plugins(settings: dict, plugins: list[str]) -> list[str]:
    """The ``plugins`` (package names) that declared nothing: what they read is unknown."""
    declarers = {d.by for d in declared(settings)}
    return [p for p in plugins if not any(by == p or by.startswith(p + ".") for by in declarers)]


def covers(item: Input, path: str) -> bool:
    """True when ``path`` (absolute) is ``item``'s file, or lies under its folder."""
    if item.path is None:
        return False
    if item.kind == "file":
        return path == item.path
    return path == item.path or path.startswith(os.path.join(item.path, ""))


def _declarations(settings: dict) -> list[Input]:
    found = settings.get(KEY)
    if found is None:
        found = settings[KEY] = []
    return found
