"""A machine without Chromium or Java fails the browser tests, saying what to install.

Skipping them takes an explicit ``AMBASSADE_SKIP_BROWSER=1``.
"""

from __future__ import annotations

import pytest

from tests.browser import browser_tools
from tests.browser.browser_tools import SKIP_VARIABLE, need


@pytest.fixture
def no_chromium(monkeypatch):
    monkeypatch.setattr(browser_tools, "CHROMIUM", "/nonexistent/chromium")


@pytest.fixture
def no_java(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))


@pytest.mark.parametrize(
    ("missing", "what", "install"),
    [
        ("no_chromium", browser_tools.chromium, "apt-get install chromium"),
        ("no_java", browser_tools.java, "apt-get install default-jre-headless"),
    ],
)
def test_a_missing_program_fails_the_tests_with_what_to_install(request, monkeypatch, missing, what, install):
    request.getfixturevalue(missing)
    monkeypatch.delenv(SKIP_VARIABLE, raising=False)
    with pytest.raises(pytest.fail.Exception, match=install):
        need(what)
    monkeypatch.setenv(SKIP_VARIABLE, "1")
    with pytest.raises(pytest.skip.Exception, match=install):
        need(what)
