"""Fixtures of the browser tests: the demo served with the host's headers, one Chromium, the tools.

The tests drive Debian's Chromium (``/usr/bin/chromium``) with Playwright; a
missing Chromium, Java or npm makes them fail with what to install, unless
``AMBASSADE_SKIP_BROWSER=1`` says that skipping them is fine.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from ambassade.build import main
from tests.browser import browser_tools
from tests.browser.browser_server import host_headers, serve
from tests.browser.browser_tools import need
from tests.support import PREVIEW_CONF, PUBLISH_CONF

HERE = Path(__file__).resolve().parent

ARTIFACTS = browser_tools.ROOT / "test-artifacts" / "screenshots"
# Chromium must not phone home while it is tested for not phoning home.
CHROMIUM_ARGS = [
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]


def _playwright():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise browser_tools.Missing(
            "the Python package playwright is missing: `make test` installs it (requirements-dev.txt)"
        ) from None
    return sync_playwright


# --- the sites --------------------------------------------------------------


@dataclass
class Site:
    """A built site served on 127.0.0.1: ``url("/experts/")`` is the page's address."""

    base: str
    output: Path

    def url(self, path: str) -> str:
        return self.base + path

    def has(self, path: str) -> bool:
        return (self.output / path.lstrip("/").split("?")[0] / "index.html").is_file()


@pytest.fixture(scope="session")
def served_headers() -> dict[str, str]:
    return host_headers()


@pytest.fixture(scope="session")
def production_site(tmp_path_factory) -> Iterator[Site]:
    """The demo built with publishconf.py for the address it is served at.

    Production pages link to their own origin (``SITEURL``) with absolute
    URLs; built for https://clairvoie.example they would fetch their styles
    from there. Built for the test server's origin, the browser loads exactly
    what a visitor of the real site loads, from the site's own origin.
    """
    output = tmp_path_factory.mktemp("served-production") / "output"
    with serve(output) as base:  # with the headers and redirects of the host files it writes
        err = io.StringIO()
        overrides = {"OUTPUT_PATH": str(output), "SITEURL": base, "FEED_DOMAIN": base}
        assert main(str(PUBLISH_CONF), overrides=overrides, stream=err) == 0, err.getvalue()
        yield Site(base, output)


@pytest.fixture(scope="session")
def preview_site(tmp_path_factory) -> Iterator[Site]:
    """The preview as comms get it (`invoke preview`): drafts marked, and the review report at /review/."""
    output = tmp_path_factory.mktemp("served-preview") / "output"
    err = io.StringIO()
    overrides = {"OUTPUT_PATH": str(output), "REVIEW": {"report": True, "base": "main"}}
    assert main(str(PREVIEW_CONF), overrides=overrides, stream=err) == 0, err.getvalue()
    with serve(output) as base:
        yield Site(base, output)


# --- the browser ------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole run."""
    executable = need(browser_tools.chromium)
    sync_playwright = need(_playwright)
    args = list(CHROMIUM_ARGS)
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--no-sandbox")  # Chromium refuses to sandbox itself as root (CI containers)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=args)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    return need(browser_tools.axe_source)


@pytest.fixture(scope="session")
def vnu_command() -> list[str]:
    java = need(browser_tools.java)
    jar = need(browser_tools.vnu_jar)
    return [java, "-jar", str(jar)]


class HtmlCheck:
    """One run of the Nu HTML Checker over whole folders, started now, read when needed.

    A page the checker must reject is checked too, in a folder of its own:
    proof that it ran and read every folder down.
    """

    INVALID = "<!doctype html><html lang=en><title>x</title><p><div></p>\n"

    def __init__(self, command: list[str], folders: list[Path], scratch: Path) -> None:
        self.control = scratch / "deep" / "invalid.html"
        self.control.parent.mkdir(parents=True, exist_ok=True)
        self.control.write_text(self.INVALID, encoding="utf-8")
        cmd = [
            *command,
            "--errors-only",
            "--format",
            "json",
            "--skip-non-html",
            *map(str, folders),
            str(scratch),
        ]
        self.process = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def messages(self) -> list[dict]:
        """Every message about the folders' pages (the control page's aside)."""
        out, err = self.process.communicate(timeout=300)
        try:  # vnu writes its JSON report on stderr, and exits 1 when it found an error
            messages = json.loads(err)["messages"]
        except (json.JSONDecodeError, KeyError):
            pytest.fail(f"the Nu HTML Checker did not report: {(err or out)[-2000:]}")
        control = self.control.as_uri().replace("file:///", "file:/")
        assert any(m.get("url") == control for m in messages), (
            f"the Nu HTML Checker did not reject {self.control}: did it check anything?"
        )
        return [m for m in messages if m.get("url") != control]


@pytest.fixture(scope="session")
def html_check(preview_site, demo_production, vnu_command, tmp_path_factory) -> Iterator[HtmlCheck]:
    """Every page of the preview comms get (review report included) and of the production build."""
    folders = [preview_site.output, demo_production]
    check = HtmlCheck(vnu_command, folders, tmp_path_factory.mktemp("vnu-control"))
    yield check
    if check.process.poll() is None:  # its test did not run to the end
        check.process.kill()
        check.process.communicate()


@pytest.fixture(scope="session", autouse=True)
def _start_html_check_early(request):
    """Java starts slowly: when a selected test reads the HTML check, start it first, in the background."""
    if not any("html_check" in getattr(item, "fixturenames", ()) for item in request.session.items):
        return
    try:
        browser_tools.java()
        browser_tools.vnu_jar()
    except browser_tools.Missing:
        return  # the test that needs it says what is missing
    request.getfixturevalue("html_check")


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
