"""What the build driver asks of a fast path, and how it finds one.

The build is correct without a fast path: check every rule, let Pelican build
into a fresh folder, swap it in (:mod:`ambassade.build`). A fast path makes the
same build in less time: rules checked beside the build rather than before it,
a quick rebuild of the last build when only the text of articles or profiles
changed, pages linked from the output a build replaces. The speed plugin implements it; the
driver knows only this protocol, never the plugin.

A plugin offers a fast path by defining, at the top of its package, a function
``fast_path(settings) -> FastPath | None``, None when it does not apply to
these settings (switched off, an unsupported Pelican). The driver asks the
plugins of ``PLUGINS`` in order and takes the first answer.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from .diagnostics import Finding

PREVIOUS_OUTPUT = "AMBASSADE_PREVIOUS_OUTPUT"
"""Setting the driver gives a build: the output folder it will replace (a fast path links pages from it)."""

Rules = Callable[[dict], list[Finding]]


def previous_output(settings: dict) -> Path | None:
    """The output folder this build replaces (:data:`PREVIOUS_OUTPUT`), when there is one."""
    folder = settings.get(PREVIOUS_OUTPUT)
    return Path(folder) if folder and Path(folder).is_dir() else None


REDO_CONTEXT = "redo_context"
"""A generator's class attribute: True when a fast path may run its ``generate_context`` again
after a quick edit to profiles, rather than read the whole site again.

Such a generator only derives values from what the build has read already
(profiles, content, files it caches by their inputs: photos, cards), is
idempotent, and is cheap to run again. What it derives for a person goes into
the person's profile (:attr:`ambassade.profiles.Expert.derived`), where a page
that shows it is known to depend on it; anything else it derives it returns
from ``derived_elsewhere()`` (a value compared with ``==``), which a quick
rebuild requires unchanged. Its reads of profiles then do not make an edit a
full build: the fast path makes the derivation again with the edited profiles.
"""


class PendingCheck(Protocol):
    """The content rules, running beside the build."""

    def result(self) -> list[Finding]:
        """Wait for the findings; ``RuntimeError`` when the rules could not run."""


class FastPath(Protocol):
    """What the driver asks of a fast path, in the order of a build."""

    def start_check(
        self, settings: dict, rules: Rules, site: Callable, again: Callable
    ) -> PendingCheck | None:
        """Run ``rules(settings)`` beside the build, or None to have the driver run them first.

        ``site(settings)`` checks the whole site and returns the checked site
        (with its ``memo``); ``again(settings, memo, changed)`` checks only what
        edits to the text of ``changed`` files reach.
        """

    def quick_rebuild(self, settings: dict, target: Path) -> Callable[[], None] | None:
        """A rebuild of ``target`` to run instead of Pelican's, or None for a full build."""

    def succeeded(self) -> None:
        """The build succeeded and its output is in place."""

    def failed(self) -> None:
        """The build failed: nothing of it may be reused."""


def find(settings: dict) -> FastPath | None:
    """The fast path of the first plugin of ``settings["PLUGINS"]`` that offers one for these settings."""
    for plugin in settings.get("PLUGINS") or ():
        module = importlib.import_module(plugin) if isinstance(plugin, str) else plugin
        offer = getattr(module, "fast_path", None)
        if callable(offer):
            found = offer(settings)
            if found is not None:
                return found
    return None
