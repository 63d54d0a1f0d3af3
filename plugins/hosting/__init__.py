"""Hosting: the headers the web server must send, written beside the site for the host.

At ``finalized`` this plugin writes them into the build's host folder, which
the build driver moves beside the output (``output-host/``,
:func:`ambassade.output.host_folder`) rather than into what is served:

- ``_headers``: Netlify and Cloudflare Pages read it (copy it into what they deploy);
- ``nginx-headers.conf``: a snippet to ``include`` inside the site's
  ``server { }`` block (Apache and other hosts: copy the same values).

Both name the not-found page of each language (``404.html``, ``en/404.html``),
and give ``/admin/`` its own policy when the build has the editor (``EDITOR``).
They are written into the host folder beside the site (``ambassade.output.HOST_FILES``),
never served themselves; the redirects plugin writes the moved pages' rules
beside them (``_redirects``, ``nginx-redirects.conf``).

The values, and the ``HOSTING`` settings that change them, are
:mod:`ambassade.headers`'s: publishing to a bucket and the browser tests use
the same. The files are written in preview and production builds alike: they
are harmless where the host ignores them.

Every page also states the policy itself, in a ``<meta http-equiv>`` (what a
meta element may carry of it: :func:`ambassade.headers.meta_policy`), so that
a host that sends no header still serves pages that run nothing but the
theme's scripts: the template function ``content_security_policy()``.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import pass_context
from pelican import signals

from ambassade import inputs
from ambassade.editor.policy import policy as editor_policy
from ambassade.headers import headers_file, meta_policy, nginx_snippet, settings_of
from ambassade.languages import not_found_pages
from ambassade.output import HOST_FILES


def declare(pelican) -> None:
    """The host files are made from settings alone: no file is read (ambassade.inputs)."""
    inputs.reads_nothing(pelican.settings, by=__name__)


def write(pelican) -> None:
    """Write the host files into the build's host folder."""
    conf = settings_of(pelican.settings)
    folder = Path(pelican.output_path) / HOST_FILES
    folder.mkdir(parents=True, exist_ok=True)
    default = pelican.settings["DEFAULT_LANG"]
    not_found = not_found_pages(tuple(pelican.settings.get("LANGUAGES", (default,))), default)
    editor = editor_policy(pelican.settings)  # /admin/'s own policy, when the build has the editor
    for name, render in ((conf.headers_file, headers_file), (conf.nginx_file, nginx_snippet)):
        if name:
            (folder / name).write_text(render(conf, not_found, editor), encoding="utf-8")


@pass_context
def content_security_policy(ctx) -> str:
    """What a page's ``<meta http-equiv="Content-Security-Policy">`` says (the context's ``HOSTING``)."""
    return meta_policy(settings_of(ctx))


def install(generator) -> None:
    env = getattr(generator, "env", None)
    if env is not None:
        env.globals["content_security_policy"] = content_security_policy


def register() -> None:
    """Say it reads nothing at ``initialized``; the policy's template function at ``generator_init``;
    ``_headers`` and ``nginx-headers.conf`` written into the host folder at ``finalized``."""
    signals.initialized.connect(declare)
    signals.generator_init.connect(install)
    signals.finalized.connect(write)
