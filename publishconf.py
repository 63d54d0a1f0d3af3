"""Settings of the production build: `invoke publish`.

Everything of pelicanconf.py, minus what only reviewers may see: drafts and
scheduled articles are neither listed nor written.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pelicanconf import *  # noqa: E402,F403

SITEURL = "https://clairvoie.example"
FEED_DOMAIN = SITEURL
RELATIVE_URLS = False

PREVIEW = False
WITH_FUTURE_DATES = False
# Pelican writes drafts (and future-dated articles, which it turns into
# drafts) to their own URL; in production they must not exist at all.
DRAFT_SAVE_AS = ""
DRAFT_LANG_SAVE_AS = ""
DRAFT_PAGE_SAVE_AS = ""
DRAFT_PAGE_LANG_SAVE_AS = ""
