"""The HTTP headers the site must be served with: the one source of their values.

A static site cannot send headers itself; the host does. The hosting plugin
writes these into the files hosts read (``_headers`` for Netlify and
Cloudflare Pages, an nginx snippet), publishing to a bucket sets them on each
object, and the browser tests serve the site with them.

Every response carries the security headers: a strict Content-Security-Policy
(no inline script or style, nothing from another origin; ``wasm-unsafe-eval``
for the search's WebAssembly), ``Referrer-Policy: no-referrer`` (a visitor's
click on an expert's LinkedIn link does not tell LinkedIn where they came
from), ``X-Content-Type-Options: nosniff`` and a Permissions-Policy that
denies what the site never uses. Theme and search assets get a cache lifetime.

Settings (``HOSTING``, defaults in :data:`DEFAULTS`): ``csp``,
``referrer_policy``, ``permissions_policy``, ``extra_headers`` (more headers
for every response), ``cache`` (path pattern ending in ``/*`` →
Cache-Control value), ``headers_file`` and ``nginx_file`` (file names in the
output; empty to not write one).
"""

from __future__ import annotations

import logging

from ambassade.settings import namespaced

log = logging.getLogger(__name__)

#: The Content-Security-Policy, defined once. Scripts and styles come from the
#: site's own files only (no inline script, no ``style`` attribute); JSON-LD
#: blocks are data, not scripts, and need nothing here.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)

#: Theme files keep their names from one build to the next (they are not
#: fingerprinted) and Pagefind's entry files too: a week, not a year, so that
#: a theme change reaches returning visitors within days. Raise it only once
#: asset URLs change with their content.
ASSET_CACHE = "public, max-age=604800"

DEFAULTS: dict = {
    "csp": CONTENT_SECURITY_POLICY,
    "referrer_policy": "no-referrer",
    "permissions_policy": "interest-cohort=(), camera=(), microphone=(), geolocation=()",
    "extra_headers": {},
    "cache": {"/theme/*": ASSET_CACHE, "/pagefind/*": ASSET_CACHE},
    "headers_file": "_headers",
    "nginx_file": "nginx-headers.conf",
}


def settings_of(settings: dict) -> dict:
    """The ``HOSTING`` settings in force: the plugin's defaults updated with the site's."""
    return namespaced(settings, "HOSTING", DEFAULTS)


def security_headers(conf: dict | None = None) -> dict[str, str]:
    """The headers every response must carry, in order; ``conf`` is :func:`settings_of`'s result."""
    conf = conf or DEFAULTS
    headers = {
        "Content-Security-Policy": conf["csp"],
        "Referrer-Policy": conf["referrer_policy"],
        "X-Content-Type-Options": "nosniff",
        "Permissions-Policy": conf["permissions_policy"],
    }
    headers.update(conf["extra_headers"])
    return {name: value for name, value in headers.items() if value}


def _cache_rules(conf: dict) -> list[tuple[str, str]]:
    rules = []
    for pattern, value in conf["cache"].items():
        if not pattern.startswith("/") or not pattern.endswith("/*") or "*" in pattern[:-1]:
            log.error("HOSTING: cache pattern %r must be a folder followed by /*, like '/theme/*'", pattern)
            continue
        rules.append((pattern, value))
    return rules


def check_values(conf: dict) -> bool:
    values = {**security_headers(conf), **{f"Cache-Control of {p}": v for p, v in conf["cache"].items()}}
    bad = [name for name, value in values.items() if any(c in str(value) for c in '"\r\n\\')]
    for name in bad:
        log.error("HOSTING: the value of %s must not hold a quote, backslash or line break", name)
    return not bad


def headers_file(conf: dict) -> str:
    """``_headers`` (Netlify, Cloudflare Pages): path patterns, each followed by indented headers."""
    lines = ["# Written by ambassade's hosting plugin: the headers of every response.", "/*"]
    lines += [f"  {name}: {value}" for name, value in security_headers(conf).items()]
    for pattern, value in _cache_rules(conf):
        lines += [pattern, f"  Cache-Control: {value}"]
    return "\n".join(lines) + "\n"


def nginx_snippet(conf: dict) -> str:
    """An nginx snippet for the site's ``server { }`` block."""
    headers = security_headers(conf)
    add = [f'add_header {name} "{value}" always;' for name, value in headers.items()]
    lines = [
        "# Written by ambassade's hosting plugin: the headers of every response.",
        "# Include it inside the site's server block:  include /path/to/site/nginx-headers.conf;",
        *add,
    ]
    for pattern, value in _cache_rules(conf):
        lines += [
            "",
            f"location ^~ {pattern[:-1]} {{",
            # nginx forgets the server's add_header lines in a location that has its own.
            *(f"    {line}" for line in add),
            f'    add_header Cache-Control "{value}" always;',
            "}",
        ]
    return "\n".join(lines) + "\n"
