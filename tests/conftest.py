"""Session fixtures: the demo site, built once per test run with each settings file.

Plugins import each other by package name, as Pelican loads them; pyproject's
``pythonpath`` puts plugins/ on the path for the tests.
"""

from __future__ import annotations

import io

import pytest

from ambassade import i18n
from ambassade.build import main
from tests.support import PREVIEW_CONF, PUBLISH_CONF


def _build_demo(tmp_path_factory, conf):
    out = tmp_path_factory.mktemp("demo") / "output"
    err = io.StringIO()
    assert main(str(conf), overrides={"OUTPUT_PATH": str(out)}, stream=err) == 0, err.getvalue()
    return out


@pytest.fixture(scope="session", autouse=True)
def tools_speak_english_from_the_start():
    """English before any fixture of a wider scope runs (a module's publish, a session's build)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("AMBASSADE_LANG", "en")
        yield


@pytest.fixture(autouse=True)
def tools_speak_english(monkeypatch):
    """The tools' messages in English, whatever the machine's language: tests that check
    another language ask for it (``AMBASSADE_LANG``)."""
    monkeypatch.setenv("AMBASSADE_LANG", "en")
    # Settings read while the tests were collected chose a language already: English from here on.
    i18n.use(lang="en")


@pytest.fixture(scope="session")
def demo_preview(tmp_path_factory):
    """The demo site as `make html` builds it (preview settings)."""
    return _build_demo(tmp_path_factory, PREVIEW_CONF)


@pytest.fixture(scope="session")
def demo_production(tmp_path_factory):
    """The demo site as `make publish` builds it (publishconf.py)."""
    return _build_demo(tmp_path_factory, PUBLISH_CONF)
