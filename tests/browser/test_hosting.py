"""The hosting plugin: the headers written for the host, and served by the tests' server.

No browser needed: these run wherever the demo builds.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from pathlib import Path

import pytest

from ambassade import headers as hosting
from ambassade.build import load_settings
from ambassade.hostfiles import read_headers_file
from ambassade.output import host_folder
from ambassade.publish.manifest import files
from ambassade.settings import SettingsError
from tests.support import PREVIEW_CONF, PUBLISH_CONF

# The preview as comms get it (review report included), and the production build.
BUILDS = ["preview_site", "demo_production"]


def output_of(request, build: str) -> Path:
    site = request.getfixturevalue(build)
    return getattr(site, "output", site)


def blocks(text: str) -> dict[str, dict[str, str]]:
    """``_headers`` read as Netlify reads it: path pattern → headers."""
    return dict(read_headers_file(text))


@pytest.mark.parametrize(
    ("build", "conf"), [("preview_site", PREVIEW_CONF), ("demo_production", PUBLISH_CONF)]
)
def test_headers_file_holds_the_security_headers_and_cache_lifetimes(request, build, conf):
    output = output_of(request, build)
    expected = hosting.security_headers(hosting.settings_of(load_settings(conf)))
    rules = blocks((host_folder(output) / "_headers").read_text(encoding="utf-8"))
    assert rules["/*"] == expected
    assert rules["/*"]["Content-Security-Policy"] == hosting.CONTENT_SECURITY_POLICY
    for folder in ("/theme/*", "/pagefind/*"):
        assert "max-age=" in rules[folder]["Cache-Control"]


@pytest.mark.parametrize("build", BUILDS)
def test_nginx_snippet_repeats_the_security_headers_in_each_location(request, build):
    text = (host_folder(output_of(request, build)) / "nginx-headers.conf").read_text(encoding="utf-8")
    server_level, *locations = text.split("\nlocation ")
    lines = [line for line in server_level.splitlines() if line.startswith("add_header")]
    assert 'add_header Content-Security-Policy "' + hosting.CONTENT_SECURITY_POLICY + '" always;' in lines
    assert {loc.split()[1] for loc in locations} == {"/theme/", "/pagefind/", "/en/"}
    for loc in locations:
        # nginx drops the server's add_header lines in a location that has its own.
        assert all(f"    {line}" in loc for line in lines), loc
        assert loc.count("{") == loc.count("}") == 1
        if loc.split()[1] != "/en/":
            assert '    add_header Cache-Control "public, max-age=' in loc
    # An address without a page gets the not-found page of its language.
    assert "error_page 404 /404.html;" in server_level
    assert (
        next(loc for loc in locations if loc.split()[1] == "/en/").count("error_page 404 /en/404.html;") == 1
    )


@pytest.mark.parametrize("build", BUILDS)
def test_headers_file_names_the_not_found_pages(request, build):
    output = output_of(request, build)
    rules = blocks((host_folder(output) / "_headers").read_text(encoding="utf-8"))
    for page in ("/404.html", "/en/404.html"):
        assert rules[page] == {"X-Robots-Tag": "noindex"}
        assert (output / page.lstrip("/")).is_file()


@pytest.mark.parametrize("build", BUILDS)
def test_the_host_files_are_beside_the_site_never_served(request, build):
    output = output_of(request, build)
    host = sorted(rel for rel, _ in files(host_folder(output)))
    assert host == ["_headers", "_redirects", "nginx-headers.conf", "nginx-redirects.conf"]
    served = {rel.rsplit("/", 1)[-1] for rel, _ in files(output)}
    assert not served & set(host)


def test_production_sends_hsts_and_the_csp_is_defined_once():
    conf = hosting.settings_of(load_settings(PUBLISH_CONF))
    assert conf.csp is hosting.HostingSettings().csp == hosting.CONTENT_SECURITY_POLICY
    assert "Strict-Transport-Security" in hosting.security_headers(conf)
    preview = hosting.settings_of(load_settings(PREVIEW_CONF))
    assert "Strict-Transport-Security" not in hosting.security_headers(preview)


def test_a_bad_setting_is_an_error_at_its_line(tmp_path):
    conf = tmp_path / "siteconf.py"
    conf.write_text(
        "from pelican.settings import get_settings_from_file\n"
        f"globals().update(get_settings_from_file({str(PUBLISH_CONF)!r}))\n"
        "HOSTING = {\n"
        '    "cache": {"/theme": "max-age=1"},\n'
        '    "extra_headers": {"X-Bad": \'a\\"b\'},\n'
        "}\n",
        encoding="utf-8",
    )
    with pytest.raises(SettingsError) as caught:
        load_settings(conf)
    texts = [finding.text().replace(str(tmp_path) + "/", "") for finding in caught.value.findings]
    assert texts == [
        "siteconf.py:4:15: settings: error: HOSTING['cache']['/theme'] is not a folder's pattern "
        "— a folder followed by /*, like '/theme/*'",
        "siteconf.py:5:23: settings: error: HOSTING['extra_headers']['X-Bad'] holds a quote, a backslash or a line break "
        "— a header value on one line, without quotes or backslashes",
    ]


@pytest.mark.parametrize("path", ["/", "/theme/css/site.css", "/pagefind/pagefind.js", "/no-such-page/"])
def test_the_test_server_sends_the_hosts_headers(production_site, served_headers, path):
    try:
        response = urllib.request.urlopen(production_site.url(path), timeout=10)  # noqa: S310 - 127.0.0.1
    except urllib.error.HTTPError as error:  # the 404 page carries them too
        response = error
    for name, value in served_headers.items():
        assert response.headers[name] == value, (path, name)


def test_a_moved_page_answers_with_its_301_and_its_redirect_page(production_site):
    """The demo's CI/CD article moved (Redirect-From): the host's rule first, the page for other hosts."""
    old, new = "/articles/pipeline-ci-cd-douze-minutes/", "/articles/pipeline-ci-cd-en-douze-minutes/"

    class NoFollow(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoFollow)
    with pytest.raises(urllib.error.HTTPError) as moved:
        opener.open(production_site.url(old), timeout=10)
    assert (moved.value.code, moved.value.headers["Location"]) == (301, new)
    page = (production_site.output / old.strip("/") / "index.html").read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="https://clairvoie.example{new}">' in page
