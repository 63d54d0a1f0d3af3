"""A plugin for tests/speed/test_inputs.py: it reads a file of the site, and says so or not.

Settings: ``A_PLUGIN = {"file": path, "declare": True or False}``; without
them it does nothing (its receivers stay connected for the rest of the tests).
"""

from __future__ import annotations

from pathlib import Path

from pelican import signals

from ambassade import inputs


def _declare(pelican) -> None:
    conf = pelican.settings.get("A_PLUGIN")
    if conf and conf["declare"]:
        inputs.declare(pelican.settings, conf["file"], "file", by=__name__)


def _read(generator) -> None:
    conf = generator.settings.get("A_PLUGIN")
    if conf:
        generator.context["A_PLUGIN_TEXT"] = Path(conf["file"]).read_text(encoding="utf-8")


def register() -> None:
    signals.initialized.connect(_declare)
    signals.article_generator_init.connect(_read)
