"""Pictures the site makes from its sources: profile photos, and a card for every shared link.

A profile photo is checked where profiles are read (``ambassade.photos``),
then re-encoded here: upright, square, in a few widths of WebP and one JPEG,
with none of its metadata (portraits.py). Every article and expert page gets
its own link-preview card, the ``og:image`` networks show when the page is
shared (cards.py). Both are made once, on every core, and kept under
``CACHE_PATH`` by a digest of their inputs (``ambassade.filecache``), so a
rebuild makes nothing again and only links them into the output.

Settings: ``IMAGES`` (settings.py). Templates read ``expert.portrait``
(None without a photo: the theme shows initials), ``expert.cards[lang]`` and
``article.card``.
"""

from __future__ import annotations

from .settings import ImagesSettings

SETTINGS = (ImagesSettings,)


def declare(pelican) -> None:
    """What it reads (ambassade.inputs): the photos are the experts plugin's, the fonts and the logo
    the theme's (both declared by who owns them); its own cache is not an input."""
    from ambassade import inputs

    inputs.reads_nothing(pelican.settings, by=__name__)


def get_generators(pelican):
    from .generator import ImagesGenerator

    return ImagesGenerator


def register() -> None:
    """What it reads at ``initialized``; a generator, listed after ``experts`` in PLUGINS: it reads the
    expert pages and the articles."""
    from pelican import signals

    signals.initialized.connect(declare)
    signals.get_generators.connect(get_generators)
