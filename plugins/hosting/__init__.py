"""Hosting: the HTTP headers the site must be served with, written where hosts read them.

At ``finalized`` this plugin writes them into the output in two forms:

- ``_headers``: Netlify and Cloudflare Pages read it from the site's root;
- ``nginx-headers.conf``: a snippet to ``include`` inside the site's
  ``server { }`` block (Apache and other hosts: copy the same values).

Both name the not-found page of each language (``404.html``, ``en/404.html``).

The values, and the ``HOSTING`` settings that change them, are
:mod:`ambassade.headers`'s: publishing to a bucket and the browser tests use
the same. The files are written in preview and production builds alike: they
are harmless where the host ignores them.
"""

from __future__ import annotations

from pathlib import Path

from pelican import signals

from ambassade.headers import headers_file, nginx_snippet, settings_of
from ambassade.languages import not_found_pages


def write(pelican) -> None:
    """Write the host files into the output folder."""
    conf = settings_of(pelican.settings)
    output = Path(pelican.output_path)
    default = pelican.settings["DEFAULT_LANG"]
    not_found = not_found_pages(tuple(pelican.settings.get("LANGUAGES", (default,))), default)
    for name, render in ((conf.headers_file, headers_file), (conf.nginx_file, nginx_snippet)):
        if name:
            (output / name).write_text(render(conf, not_found), encoding="utf-8")


def register() -> None:
    """Write ``_headers`` and ``nginx-headers.conf`` into the output at ``finalized``."""
    signals.finalized.connect(write)
