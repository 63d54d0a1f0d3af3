"""Hosting: the headers the web server must send, written beside the site for the host.

At ``finalized`` this plugin writes them into the build's host folder, which
the build driver moves beside the output (``output-host/``,
:func:`ambassade.output.host_folder`) rather than into what is served:

- ``_headers``: Netlify and Cloudflare Pages read it (copy it into what they deploy);
- ``nginx-headers.conf``: a snippet to ``include`` inside the site's
  ``server { }`` block (Apache and other hosts: copy the same values).

The redirects plugin writes the moved pages' rules beside them
(``_redirects``, ``nginx-redirects.conf``). The values, and the ``HOSTING``
settings that change them, are :mod:`ambassade.headers`'s: publishing to a
bucket and the browser tests use the same.
"""

from __future__ import annotations

from pathlib import Path

from pelican import signals

from ambassade.headers import headers_file, nginx_snippet, settings_of
from ambassade.output import HOST_FILES


def write(pelican) -> None:
    """Write the host files into the build's host folder."""
    conf = settings_of(pelican.settings)
    folder = Path(pelican.output_path) / HOST_FILES
    folder.mkdir(parents=True, exist_ok=True)
    for name, render in ((conf.headers_file, headers_file), (conf.nginx_file, nginx_snippet)):
        if name:
            (folder / name).write_text(render(conf), encoding="utf-8")


def register() -> None:
    """Write ``_headers`` and ``nginx-headers.conf`` into the host folder at ``finalized``."""
    signals.finalized.connect(write)
