"""Redirects: a page at each address a moved page had, and the host's rules for the same.

An article or page lists its old addresses in its header
(``Redirect-From: /articles/ancien-titre/``), a profile in ``redirect_from:``.
For each one the build writes a small page at the old address: a meta refresh
to the new one, with ``rel=canonical`` (allowed by the Content-Security-Policy:
no script), and a link for people and browsers that do not follow it. Hosts
that can answer with a real 301 get rules beside the site, with the other host
files: ``_redirects`` (Netlify, Cloudflare Pages) and ``nginx-redirects.conf``.

The list travels through the context (``redirects``), read by the review
report. The rules on what a ``Redirect-From`` may say are the application's
(:mod:`ambassade.rules.redirects`), run by ``invoke check`` and the build.
"""

from __future__ import annotations

from .generator import RedirectsGenerator


def get_generators(pelican):
    return RedirectsGenerator


def declare(pelican) -> None:
    """The old addresses come from the pages and profiles the build read already: no file of its own
    is read (ambassade.inputs)."""
    from ambassade import inputs

    inputs.reads_nothing(pelican.settings, by=__name__)


def register() -> None:
    """Say it reads nothing at ``initialized``; the redirects' generator, after the content's and the
    experts' (it reads their pages)."""
    from pelican import signals

    signals.initialized.connect(declare)
    signals.get_generators.connect(get_generators)
