"""Namespaced plugin settings: one dict per plugin, defaults in the plugin."""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger(__name__)


def namespaced(settings: dict, name: str, defaults: dict[str, Any]) -> dict[str, Any]:
    """``defaults`` updated with ``settings[name]``; each unknown key is logged as an error."""
    given = settings.get(name) or {}
    for key in sorted(set(given) - set(defaults)):
        log.error("%s: unknown setting %r (known: %s)", name, key, ", ".join(sorted(defaults)))
    return {**defaults, **{k: v for k, v in given.items() if k in defaults}}
