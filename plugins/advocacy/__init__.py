"""Advocacy: share links on articles, the share kit, the leaderboard, the programme dashboard.

Settings (``ADVOCACY`` in pelicanconf.py, defaults in :data:`DEFAULTS`):

``public``
    Build the share kit, leaderboard and dashboard in production too. They are
    internal by default: built by the preview (``PREVIEW = True``) and by an
    internal build only.
``internal``
    This build is an internal one (the intranet copy): build those pages even
    though ``PREVIEW`` is off. ``invoke build --internal`` sets the top-level
    setting ``ADVOCACY_INTERNAL`` instead, because Pelican's overrides replace
    a whole dict and a command-line flag should not have to repeat the others.
``share_links``
    Put share links at the end of every published article. They stay public:
    they are plain links that load nothing until the visitor clicks one.
``networks``
    Which share links, in order: ``linkedin``, ``x``, ``mastodon``, ``bluesky``, ``email``.
``utm``
    ``None``, or ``{"source": …, "medium": …, "campaign": …}`` (any of the three) to tag
    the article URL that share links and the share kit give out.
``weights``
    Points per contribution: ``article`` (sole author), ``coauthored_article`` (each
    co-author), ``share_text`` (each author of the article, per text), ``social_post``.
``today``
    The build's date (a ``datetime.date`` or ``"YYYY-MM-DD"``), which periods and the
    dashboard are relative to; else the ``ADVOCACY_TODAY`` environment variable; else
    today in ``TIMEZONE``. Tests pin it.
``social_dir``
    Where the social snapshots are (``<slug>.json``); a relative path is read from the
    project root (the folder holding ``experts/``), as the social fetch writes them.
``months``, ``weeks``
    How many months (contributors, articles) and weeks (posts) the dashboard charts show.
``top_topics``
    How many topics the dashboard lists.
``*_save_as``
    Where each page goes; its URL is the same path without ``index.html``.
"""

from __future__ import annotations

import logging

from pelican import signals

from ambassade import inputs
from ambassade.rules.check import experts_dir
from ambassade.settings import namespaced

from .generator import AdvocacyGenerator

log = logging.getLogger(__name__)

NETWORKS = ("linkedin", "x", "mastodon", "bluesky", "email")
WEIGHTS = {"article": 10, "coauthored_article": 6, "share_text": 2, "social_post": 1}
UTM_KEYS = ("source", "medium", "campaign")

DEFAULTS = {
    "public": False,
    "internal": False,
    "share_links": True,
    "networks": list(NETWORKS),
    "utm": None,
    "weights": dict(WEIGHTS),
    "today": None,
    "social_dir": "data/social",
    "months": 12,
    "weeks": 12,
    "top_topics": 10,
    "share_kit_save_as": "share-kit/index.html",
    "leaderboard_save_as": "leaderboard/index.html",
    "dashboard_save_as": "dashboard/index.html",
    "dashboard_json_save_as": "dashboard.json",
}


def configure(pelican) -> None:
    """Merge and check the ADVOCACY settings once; each mistake is logged, so the build fails."""
    conf = namespaced(pelican.settings, "ADVOCACY", DEFAULTS)
    given_weights = conf["weights"] or {}
    for key in sorted(set(given_weights) - set(WEIGHTS)):
        log.error("ADVOCACY: unknown weight %r (known: %s)", key, ", ".join(WEIGHTS))
    conf["weights"] = {**WEIGHTS, **{k: v for k, v in given_weights.items() if k in WEIGHTS}}
    for key, value in conf["weights"].items():
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            log.error("ADVOCACY: weight %r is %r — expected a whole number, 0 or more", key, value)
    for network in conf["networks"]:
        if network not in NETWORKS:
            log.error("ADVOCACY: unknown network %r in 'networks' (known: %s)", network, ", ".join(NETWORKS))
    conf["networks"] = [n for n in conf["networks"] if n in NETWORKS]
    if conf["utm"] is not None:
        for key in sorted(set(conf["utm"]) - set(UTM_KEYS)):
            log.error("ADVOCACY: unknown UTM tag %r (known: %s)", key, ", ".join(UTM_KEYS))
        conf["utm"] = {k: str(conf["utm"][k]) for k in UTM_KEYS if conf["utm"].get(k)} or None
    for key in ("months", "weeks", "top_topics"):
        if not isinstance(conf[key], int) or conf[key] < 1:
            log.error("ADVOCACY: %r is %r — expected a whole number, 1 or more", key, conf[key])
            conf[key] = DEFAULTS[key]
    pelican.settings["ADVOCACY"] = conf
    # What the plugin reads (ambassade.inputs): the social snapshots, for the dashboard's figures.
    inputs.declare(pelican.settings, experts_dir(pelican.settings).parent / conf["social_dir"], by=__name__)


def get_generators(pelican):
    return AdvocacyGenerator


def register() -> None:
    """Settings at ``initialized``; everything else in a generator, which Pelican runs after
    the articles and (listed after ``experts`` in PLUGINS) after the experts' pages, so
    articles are read, dated, marked scheduled and attributed to experts when it starts."""
    signals.initialized.connect(configure)
    signals.get_generators.connect(get_generators)
