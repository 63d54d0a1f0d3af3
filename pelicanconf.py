"""Settings of the preview build: what `make html` and `invoke build` produce.

Drafts and scheduled (future-dated) articles are built and clearly marked so
that comms can review them; publishconf.py turns them off for production.
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parent

SITENAME = "Clairvoie Conseil"
# What the site is, whatever its plugins (every key: ambassade/site.py).
SITE = {
    # The public address, used wherever a URL must be absolute (canonical links,
    # structured data, sitemap, social previews), even in the preview build.
    "origin": "https://clairvoie.example",
    "organization": {
        "name": "Clairvoie Conseil",
        "url": "https://clairvoie.example/",
        "logo": "theme/favicon.svg",
    },
    # What the site says of itself, per language.
    "text": {
        "fr": {
            "subtitle": "Nos experts prennent la parole",
            "description": "Cabinet de conseil en numérique : cloud, données, sécurité, design et agilité.",
        },
        "en": {
            "subtitle": "Our experts speak up",
            "description": "A digital consultancy: cloud, data, security, design and agility.",
        },
    },
    "language_names": {"fr": "Français", "en": "English"},
    "og_locales": {"fr": "fr_FR", "en": "en_GB"},
    "home_articles": 7,
    # Pages linked from the header and the footer, by slug, when they exist.
    "menu_pages": ["a-propos"],
    "footer_pages": ["charte", "contribuer"],
    # Where the people's sources are: profiles, and the snapshots `invoke fetch` writes.
    "experts_path": "experts",
    "social_path": "data/social",
}
SITESUBTITLE = SITE["text"]["fr"]["subtitle"]
AUTHOR = SITENAME
SITEURL = ""
RELATIVE_URLS = True

PATH = str(ROOT / "content")
OUTPUT_PATH = str(ROOT / "output")
THEME = str(ROOT / "theme")
ARTICLE_PATHS = ["articles"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["images"]

TIMEZONE = "Europe/Paris"
DEFAULT_LANG = "fr"
# Dates and numbers are written per language by Babel, not by the system's locale: the person's own
# first, else C.UTF-8, so that a machine without the French locale builds without a warning.
LOCALE = ("", "C.UTF-8", "C")
LANGUAGES = ("fr", "en")
DEFAULT_DATE_FORMAT = "%d/%m/%Y"

# One URL per thing, as folders (clean URLs on any host).
ARTICLE_URL = "articles/{slug}/"
ARTICLE_SAVE_AS = "articles/{slug}/index.html"
ARTICLE_LANG_URL = "{lang}/articles/{slug}/"
ARTICLE_LANG_SAVE_AS = "{lang}/articles/{slug}/index.html"
DRAFT_URL = "brouillons/{slug}/"
DRAFT_SAVE_AS = "brouillons/{slug}/index.html"
DRAFT_LANG_URL = "{lang}/brouillons/{slug}/"
DRAFT_LANG_SAVE_AS = "{lang}/brouillons/{slug}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
PAGE_LANG_URL = "{lang}/{slug}/"
PAGE_LANG_SAVE_AS = "{lang}/{slug}/index.html"
ARCHIVES_URL = "articles/"
ARCHIVES_SAVE_AS = "articles/index.html"
INDEX_SAVE_AS = "index.html"
SEARCH_SAVE_AS = "search/index.html"
DIRECT_TEMPLATES = ["index", "archives", "search"]
# Long lists come in pages: the articles, and each topic's articles (its experts are on the first).
DEFAULT_PAGINATION = 24
PAGINATED_TEMPLATES = {"archives": None, "topic": None}
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)

# Authors are experts and tags are topics: their pages come from the experts
# plugin, which merges profiles and articles, so Pelican's own are not written.
AUTHOR_URL = "experts/{slug}/"
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
TAG_URL = "expertise/{slug}/"
TAG_SAVE_AS = ""
TAGS_SAVE_AS = ""
CATEGORY_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
USE_FOLDER_AS_CATEGORY = False
# Pelican skips its default category when categories are not written, yet
# still reads it when writing drafts: give every article the one category.
DEFAULT_METADATA = {"category": "articles"}

# Feeds need absolute links; the preview is served locally by `make serve`.
FEED_DOMAIN = "http://127.0.0.1:8000"
FEED_ALL_ATOM = "feeds/all.atom.xml"
TRANSLATION_FEED_ATOM = "feeds/all-{lang}.atom.xml"
AUTHOR_FEED_ATOM = "experts/{slug}/atom.xml"
AUTHOR_FEED_RSS = None
TAG_FEED_ATOM = "expertise/{slug}/atom.xml"
CATEGORY_FEED_ATOM = None
FEED_MAX_ITEMS = 20

# Preview: future-dated articles are built (marked "scheduled"), drafts too.
WITH_FUTURE_DATES = True
PREVIEW = True
SUMMARY_MAX_LENGTH = 40
SLUGIFY_SOURCE = "title"

MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},
        "markdown.extensions.toc": {"permalink": False},
        "markdown.extensions.codehilite": {"css_class": "highlight", "guess_lang": False},
        "markdown.extensions.meta": {},
    },
    "output_format": "html5",
}

# Every value is escaped unless a template says it is HTML we made (`| safe`):
# titles, names and summaries come from contributors.
JINJA_ENVIRONMENT = {"trim_blocks": True, "lstrip_blocks": True, "autoescape": True}

# ambassade's plugins are the packages of plugins/, installed with the application.
PLUGINS = ["plugins.experts", "plugins.social", "plugins.review", "plugins.theme_i18n", "plugins.discovery"]
PLUGINS += ["plugins.images"]  # profile photos re-encoded, a link-preview card per page (after "experts")
PLUGINS += ["plugins.hosting"]  # security headers for the host: _headers, nginx-headers.conf
PLUGINS += ["plugins.redirects"]  # moved pages (Redirect-From:): redirect pages and the host's 301 rules
PLUGINS += ["plugins.editor"]  # the editor at /admin/ (Decap CMS) when EDITOR["enabled"]: `invoke edit`
PLUGINS += [
    "plugins.advocacy"
]  # share links, share kit, leaderboard, dashboard (after "experts": reads its pages)
PLUGINS += ["plugins.speed"]  # same output, every core, only what changed (`invoke bench` measures it)
# {"enabled": False} builds exactly as plain sequential Pelican; "workers": 0 means one per core;
# "quick": livereload does not read the site again after edits to article text only.
SPEED = {"enabled": True, "workers": 0, "cache": True, "skip_unchanged": True, "quick": True}

# Topic names, descriptions and synonyms per language: the vocabulary, content/topics.yml.
EXPERTS = {
    "featured": 6,
    "related": 3,
    # Where visitors' requests go for the experts whose profile says `contact: comms` (the default).
    "comms_email": "experts@clairvoie.example",
}
# Public posts: `invoke fetch` reads the feeds named in profiles (the only step
# that uses the network); the build reads the snapshots in data/social/.
SOCIAL = {
    # X has no feed of its own: name an RSS bridge (Nitter- or RSS-Bridge-style)
    # to read X handles, e.g. "https://bridge.example/{handle}/rss".
    "x_bridge": None,
    "workers": 8,
    "deadline": 10.0,
    "stale_days": 14,
    "posts_on_profile": 6,
    "home_posts": 6,
}
# The ambassador programme (plugins/advocacy; every key and its default are in
# plugins/advocacy/settings.py). Share links on articles are public; the share
# kit, leaderboard and dashboard are built by this preview and by
# `invoke build --internal`, never by `invoke publish` unless "public" is True.
ADVOCACY = {
    "public": False,
    # Points for writing and for sharing; badges are explained on the leaderboard.
    "weights": {
        "article": 10,
        "coauthored_article": 6,
        "translation": 4,
        "share_text": 2,
        "share": 3,
        "social_post": 1,
    },
    # The dashboard compares its last days with the days before, and participation with the headcount.
    "period_days": 30,
    "eligible_headcount": None,  # e.g. 120: the people who could join the programme
    # Written by `invoke stats LOG…` (click counts only), read by the build.
    "stats_file": "data/stats.json",
    # `invoke digest`: where readers open the kit ("" for SITE's origin and the kit's path);
    # addresses and secrets come from the environment (plugins/advocacy/mail.py).
    "digest": {"kit_url": "", "subject_prefix": "", "retries": 3},
}
# What every shared link carries (ambassade/share.py): the share links, the kit and the length rules.
SHARING = {
    # UTM tags of every shared link; {network}, {campaign} and {item} are filled in per link.
    "utm": {"source": "{network}", "campaign": "{campaign}"},
    # Outside pages to share (content/shares/*.md) and their campaigns (content/shares/campaigns.yml).
    "items_path": "shares",
    "campaigns_file": "shares/campaigns.yml",
    # The kit's links go through /go/<code>/<network>/: `invoke stats` counts clicks from the access log.
    "short_links": True,
    # Colleagues with `share_stats: true` may pick their name in the kit: their clicks count for them.
    "person_links": True,
}

# The editorial charter (content/pages/charte.md) as `invoke check` and the
# build enforce it. Keys and defaults: ambassade/rules/context.py (CharterSettings).
CHARTER = {
    # term: the wording to use instead (whole words, any case)
    "forbidden_terms": {
        "leader du marché": "un fait vérifiable (chiffre, source)",
        "numéro un": "un fait vérifiable (chiffre, source)",
        "best-in-class": "ce qui a été mesuré",
        "garanti à 100 %": "un engagement précis et sourcé",
    },
    "confidential_markers": [
        "CONFIDENTIEL",
        "CONFIDENTIAL",
        "internal only",
        "ne pas diffuser",
        "do not distribute",
    ],
    "max_title_length": 90,
    "require_summary": True,
    # Every ready-to-post text of the share kit says who the colleague works for: "add" appends
    # these words to a text that lacks them; "require" makes a text without them an error.
    "share_disclosure": {"fr": "(Je travaille chez Clairvoie)", "en": "(I work at Clairvoie)"},
    "share_disclosure_mode": "add",
    # Share items may not point to these sites (nor to any http:// page).
    "share_denied_domains": ["example.com"],
    # Two share texts at least this similar get a warning (share-duplicate).
    "share_similarity": 0.8,
}

# The review report of `invoke preview` (plugins/review/settings.py).
REVIEW = {"report": False, "base": "main"}

CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
DELETE_OUTPUT_DIRECTORY = False
