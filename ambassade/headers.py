"""The HTTP headers the site must be served with: the one source of their values.

A static site cannot send headers itself; the host does. The hosting plugin
writes these into the files hosts read (``_headers`` for Netlify and
Cloudflare Pages, an nginx snippet), beside the site rather than in it
(``output-host/``, :func:`ambassade.output.host_folder`): they configure the
server and are never served. Publishing to a bucket sets them on each object,
and the browser tests serve the site with what ``_headers`` says.

Every response carries the security headers: a strict Content-Security-Policy
(no inline script or style, nothing from another origin; ``wasm-unsafe-eval``
for the search's WebAssembly), ``Referrer-Policy: no-referrer`` (a visitor's
click on an expert's LinkedIn link does not tell LinkedIn where they came
from), ``X-Content-Type-Options: nosniff`` and a Permissions-Policy that
denies what the site never uses. Theme and search assets get a cache lifetime.

Settings (``HOSTING``, defaults in :data:`DEFAULTS`): ``csp``,
``referrer_policy``, ``permissions_policy``, ``extra_headers`` (more headers
for every response), ``cache`` (path pattern ending in ``/*`` →
Cache-Control value), ``headers_file``, ``nginx_file``, ``redirects_file`` and
``nginx_redirects_file`` (file names among the host files; empty to not write one).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar

from .i18n import _
from .settings import Problem, Section, default

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


@dataclass(frozen=True)
class HostingSettings(Section):
    """``HOSTING``: the headers every response carries, and the files that tell hosts."""

    NAME: ClassVar[str] = "HOSTING"

    csp: str = default(CONTENT_SECURITY_POLICY, doc="the Content-Security-Policy")
    referrer_policy: str = "no-referrer"
    permissions_policy: str = "interest-cohort=(), camera=(), microphone=(), geolocation=()"
    extra_headers: dict[str, str] = default({}, doc="more headers for every response")
    cache: dict[str, str] = default(
        {"/theme/*": ASSET_CACHE, "/pagefind/*": ASSET_CACHE},
        doc="a folder's pattern ('/theme/*') -> its Cache-Control",
    )
    headers_file: str = default("_headers", doc="file name among the host files; empty to write none")
    nginx_file: str = default("nginx-headers.conf", doc="file name among the host files; empty to write none")
    redirects_file: str = default(
        "_redirects", doc="the moved pages' redirects for Netlify and Cloudflare Pages; empty to write none"
    )
    nginx_redirects_file: str = default(
        "nginx-redirects.conf", doc="the moved pages' redirects as nginx rules; empty to write none"
    )

    def problems(self) -> list[Problem]:
        out = []
        for pattern in self.cache:
            if not pattern.startswith("/") or not pattern.endswith("/*") or "*" in pattern[:-1]:
                out.append(
                    Problem(
                        ("cache", pattern),
                        _("is not a folder's pattern"),
                        _("a folder followed by /*, like '/theme/*'"),
                    )
                )
        values = {(name,): getattr(self, name) for name in ("csp", "referrer_policy", "permissions_policy")}
        values.update({("extra_headers", name): value for name, value in self.extra_headers.items()})
        values.update({("cache", pattern): value for pattern, value in self.cache.items()})
        for keys, value in values.items():
            if any(c in str(value) for c in '"\r\n\\'):
                out.append(
                    Problem(
                        keys,
                        _("holds a quote, a backslash or a line break"),
                        _("a header value on one line, without quotes or backslashes"),
                    )
                )
        return out


def settings_of(settings: dict) -> HostingSettings:
    """The ``HOSTING`` settings in force."""
    return HostingSettings.of(settings)


def security_headers(conf: HostingSettings | None = None) -> dict[str, str]:
    """The headers every response must carry, in order."""
    conf = conf or HostingSettings()
    headers = {
        "Content-Security-Policy": conf.csp,
        "Referrer-Policy": conf.referrer_policy,
        "X-Content-Type-Options": "nosniff",
        "Permissions-Policy": conf.permissions_policy,
    }
    headers.update(conf.extra_headers)
    return {name: value for name, value in headers.items() if value}


#: Directives a ``<meta http-equiv>`` policy cannot carry: browsers ignore them there.
HEADER_ONLY_DIRECTIVES = frozenset({"frame-ancestors", "report-uri", "report-to", "sandbox"})


def meta_of(policy: str) -> str:
    """``policy`` minus the directives a ``<meta http-equiv>`` cannot carry."""
    kept = [
        directive.strip()
        for directive in policy.split(";")
        if directive.strip() and directive.split()[0].lower() not in HEADER_ONLY_DIRECTIVES
    ]
    return "; ".join(kept)


def meta_policy(conf: HostingSettings | None = None) -> str:
    """The Content-Security-Policy minus what only a header may carry: what every page states itself.

    A page opened from a host that sends no header (``make serve``, a folder on
    a share) still refuses inline scripts and anything from another origin.
    """
    return meta_of((conf or HostingSettings()).csp)


#: The editor's policy (``/admin/``, never in production): Decap CMS injects its styles at run
#: time ('unsafe-inline' styles, no inline script), compiles its configuration's schema with
#: ajv ('unsafe-eval': it refuses to start without), shows the images a person picks from
#: ``blob:`` and ``data:`` addresses and reads them back from ``blob:`` to save them, and
#: talks to the forge's API (or the local backend).
EDITOR_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-eval' 'wasm-unsafe-eval'; "
    "style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:{images}; connect-src 'self' blob:{connect}; frame-src 'self' blob:; "
    "worker-src 'self' blob:; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


def editor_policy(connect: list[str] | tuple[str, ...] = (), images: list[str] | tuple[str, ...] = ()) -> str:
    """The Content-Security-Policy of ``/admin/`` alone: ``connect`` and ``images`` are the origins
    the editor talks to and shows pictures from (the forge's API and avatars)."""
    return EDITOR_POLICY.format(
        connect="".join(f" {o}" for o in connect), images="".join(f" {o}" for o in images)
    )


def path_headers(conf: HostingSettings, editor: str | None) -> dict[str, dict[str, str]]:
    """Headers that differ under a folder: ``{"/admin/": …}`` when the site has the editor
    (whose policy is ``editor``)."""
    if not editor:
        return {}
    return {"/admin/": {**security_headers(conf), "Content-Security-Policy": editor}}


def _cache_rules(conf: HostingSettings) -> list[tuple[str, str]]:
    return list(conf.cache.items())


def headers_file(
    conf: HostingSettings, not_found: Mapping[str, str] | None = None, editor: str | None = None
) -> str:
    """``_headers`` (Netlify, Cloudflare Pages): path patterns, each followed by indented headers.

    ``not_found``: the not-found page of each language (``{"fr": "404.html", "en": "en/404.html"}``),
    which search engines must not index.
    """
    lines = ["# Written by ambassade: the headers of every response.", "/*"]
    lines += [f"  {name}: {value}" for name, value in security_headers(conf).items()]
    for pattern, value in _cache_rules(conf):
        lines += [pattern, f"  Cache-Control: {value}"]
    if editor:
        # "!" detaches the site's policy (Cloudflare Pages): two policies would both apply.
        lines += ["/admin/*", "  ! Content-Security-Policy", f"  Content-Security-Policy: {editor}"]
    if not_found:
        # Both hosts answer an address without a page with the nearest 404.html
        # (Netlify: the root's; add "/en/* /en/404.html 404" to _redirects for the others).
        lines.append("# Not-found pages, one per language: " + ", ".join(f"/{p}" for p in not_found.values()))
        for page in not_found.values():
            lines += [f"/{page}", "  X-Robots-Tag: noindex"]
    return "\n".join(lines) + "\n"


def nginx_snippet(
    conf: HostingSettings, not_found: Mapping[str, str] | None = None, editor: str | None = None
) -> str:
    """An nginx snippet for the site's ``server { }`` block.

    ``not_found``: the not-found page of each language, the first at the site's root
    (``{"fr": "404.html", "en": "en/404.html"}``): each serves its part of the site.
    """
    headers = security_headers(conf)
    add = [f'add_header {name} "{value}" always;' for name, value in headers.items()]
    lines = [
        "# Written by ambassade: the headers of every response.",
        "# Include it inside the site's server block:  include /srv/site/host/nginx-headers.conf;",
        *add,
    ]
    pages = list((not_found or {}).values())
    if pages:
        lines.append(f"error_page 404 /{pages[0]};")
    for pattern, value in _cache_rules(conf):
        lines += [
            "",
            f"location ^~ {pattern[:-1]} {{",
            # nginx forgets the server's add_header lines in a location that has its own.
            *(f"    {line}" for line in add),
            f'    add_header Cache-Control "{value}" always;',
            "}",
        ]
    if editor:
        lines += [
            "",
            "location ^~ /admin/ {",
            *(f"    {line}" for line in add if not line.startswith("add_header Content-Security-Policy ")),
            f'    add_header Content-Security-Policy "{editor}" always;',
            "}",
        ]
    for page in pages[1:]:
        folder = page.rsplit("/", 1)[0]
        lines += [
            "",
            f"location ^~ /{folder}/ {{",
            *(f"    {line}" for line in add),
            f"    error_page 404 /{page};",
            "}",
        ]
    return "\n".join(lines) + "\n"


def redirects_file(moves: list[tuple[str, str]], base: str = "") -> str:
    """``_redirects`` (Netlify, Cloudflare Pages): ``/old/ /new/ 301``, one address a line.

    ``moves`` are (old path, new path) without a leading ``/``; ``base`` is the
    path the site is served under (``/site`` for https://host/site/), or empty.
    """
    lines = ["# Written by ambassade: pages that moved, each with the address it moved to."]
    for old, new in moves:
        lines += [f"{source} {base}/{new} 301" for source in _sources(old, base)]
    return "\n".join(lines) + "\n"


def nginx_redirects(moves: list[tuple[str, str]], base: str = "") -> str:
    """The same redirects as nginx rules (exact locations), for the site's ``server { }`` block."""
    lines = [
        "# Written by ambassade: pages that moved, each with the address it moved to.",
        "# Include it inside the site's server block:  include /srv/site/host/nginx-redirects.conf;",
    ]
    for old, new in moves:
        lines += [f"location = {source} {{ return 301 {base}/{new}; }}" for source in _sources(old, base)]
    return "\n".join(lines) + "\n"


def _sources(old: str, base: str) -> list[str]:
    """The addresses a moved page answered at: ``/old/`` and ``/old`` for a folder's page."""
    path = f"{base}/{old}"
    return [path, path.rstrip("/")] if path.endswith("/") and path.rstrip("/") else [path]
