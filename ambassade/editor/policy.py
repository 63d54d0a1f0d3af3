"""The editor's Content-Security-Policy: one function that the hosting plugin, the editor's page
and the local servers ask, so that ``/admin/`` gets the same policy wherever it is served."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ambassade.headers import editor_policy, path_headers, settings_of

from .settings import EditorSettings

#: Where each forge serves the avatars the editor shows beside the person's name.
AVATARS = {
    "github": ("https://avatars.githubusercontent.com",),
    "gitlab": ("https://gitlab.com",),
    "gitea": (),
    "forgejo": (),
}


def policy(settings: Mapping[str, Any]) -> str | None:
    """The policy of ``/admin/`` for this site; None when the build has no editor."""
    conf = EditorSettings.of(settings)
    if not conf.enabled:
        return None
    return editor_policy(conf.connect_sources(), AVATARS[conf.forge])


def site_path_headers(settings: Mapping[str, Any]) -> dict[str, dict[str, str]]:
    """The headers of the folders that differ from the site's: ``/admin/`` when there is an editor."""
    return path_headers(settings_of(settings), policy(settings))
