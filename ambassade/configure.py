"""The settings every command starts from: read, every section checked, typed objects in place.

The application's own sections (the site, sharing, the charter, the hosts'
headers) and each plugin's (``SETTINGS`` in its package) are checked together,
before anything is built or checked, so that one run names every mistake.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from . import html_policy, i18n
from .diagnostics import Finding
from .editor.settings import EditorSettings
from .headers import HostingSettings
from .rules.context import CharterSettings
from .settings import Section, SettingsError, findings, read
from .share import SharingSettings
from .site import SiteSettings

APPLICATION: tuple[type[Section], ...] = (
    SiteSettings,
    SharingSettings,
    CharterSettings,
    HostingSettings,
    EditorSettings,
)
"""The application's sections; each plugin names its own in ``SETTINGS``."""


def sections_of(settings: Mapping[str, Any]) -> list[type[Section]]:
    """The sections of the application and of every plugin of ``PLUGINS``, in that order."""
    found: list[type[Section]] = list(APPLICATION)
    for plugin in settings.get("PLUGINS") or ():
        try:
            module = importlib.import_module(plugin) if isinstance(plugin, str) else plugin
        except ImportError:
            continue  # Pelican says so when it loads its plugins
        found += [s for s in getattr(module, "SETTINGS", ()) if s not in found]
    return found


def check(settings: dict, extra: tuple[type[Section], ...] = ()) -> list[Finding]:
    """Every mistake in every section (and in ``extra``, a command's own); the sections that have none
    are put in place of their dicts."""
    out: list[Finding] = []
    for section in [*sections_of(settings), *extra]:
        parsed, problems = section.parse(settings.get(section.NAME))
        if problems:
            out += findings(section.NAME, problems, settings)
        else:
            settings[section.NAME] = parsed
    return out


def checked(settings: dict, extra: tuple[type[Section], ...] = ()) -> dict:
    """``settings`` with every section in place; :class:`SettingsError` with every mistake otherwise."""
    problems = check(settings, extra)
    if problems:
        raise SettingsError(problems)
    return settings


def load(
    settings_file: Path | str,
    overrides: Mapping[str, Any] | None = None,
    *,
    lang: str | None = None,
    extra: tuple[type[Section], ...] = (),
) -> dict:
    """:func:`read`, the tools' language chosen (``lang``, else the person's, else the site's), then
    :func:`checked` (with ``extra``, the sections only one command reads, such as ``PUBLISH``):
    what every command starts from."""
    # Until the settings are read (a mistake in them is said too): the language the file names.
    i18n.use({"DEFAULT_LANG": i18n.default_language_of(settings_file) or "fr"}, lang)
    settings = read(settings_file, overrides)
    i18n.use(settings, lang)
    # Every Markdown conversion ends with the contributors' HTML policy, whatever the settings file says.
    html_policy.install(settings)
    return checked(settings, extra)
