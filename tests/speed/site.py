"""A small site that runs what the demo's settings leave out, and the settings that turn it on.

Twenty articles (enough to paginate), four English translations, three
categories, three topics, four experts (one posting on social networks), and
templates for Pelican's tag, category, author and period pages that show
pagination, summaries and bodies (so that pages depend on article text as the
listings of a real theme do). Built by tests/speed/test_matrix.py and
tests/speed/test_edits.py, with the fast path and without.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

from ambassade.build import main
from tests.support import PREVIEW_CONF, article, profile, site_overrides, write_files, write_site

TOPICS = ("Cloud", "Data & IA", "Cybersécurité")
CATEGORIES = ("conseil", "retours", "techniques")
EXPERTS = ("ana-roy", "bea-sol", "chloe-dupont", "david-lee")


def _article(n: int) -> str:
    authors = EXPERTS[n % 4] if n % 3 else f"{EXPERTS[n % 4]}, {EXPERTS[(n + 1) % 4]}"
    tags = TOPICS[n % 3] if n % 2 else f"{TOPICS[n % 3]}, {TOPICS[(n + 1) % 3]}"
    # Four articles share a date: the order of their listings is the order they are read in.
    day = 10 if n in (3, 4, 5, 6) else 1 + n
    text = article(
        f"Article numéro {n}",
        authors,
        date=f"2026-0{1 + n % 3}-{day:02d}T09:30:00+01:00",
        body=f"Le texte de l'article {n}, avec un [lien](https://example.org/{n}) et du *relief*.\n\n"
        + ("Voir [le premier]({filename}article-00.md).\n" if n % 5 == 1 else "")
        + ("![Un schéma]({static}/images/schema.svg)\n" if n % 7 == 2 else ""),
        slug=f"article-{n:02d}",
        category=CATEGORIES[n % 3],
    )
    return text.replace("Tags: Cloud", f"Tags: {tags}", 1)


def _translation(n: int) -> str:
    return (
        _article(n)
        .replace("Lang: fr", "Lang: en\nTranslation: true", 1)
        .replace(f"Title: Article numéro {n}", f"Title: Article number {n}", 1)
        .replace("Le texte de l'article", "The text of article", 1)
    )


SVG = "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 10 10'><rect width='10' height='10'/></svg>"
POSTS = {
    "expert": "ana-roy",
    "feeds": {},
    "posts": [
        {
            "date": f"2026-02-0{n}T08:00:00Z",
            "feed": "https://piaille.example/@ana.rss",
            "html": f"<p>Un message public numéro {n}.</p>",
            "id": f"https://piaille.example/@ana/{n}",
            "network": "mastodon",
            "repost": False,
            "url": f"https://piaille.example/@ana/{n}",
        }
        for n in range(1, 4)
    ],
}

LISTING = """{% extends "base.html" %}
{% block content %}
  <h1>{{ heading }}</h1>
  {% if articles_page is defined %}{% set items = articles_page.object_list %}{% else %}{% set items = articles %}{% endif %}
  <ol>
  {% for item in items %}
    <li><a href="{{ SITEURL }}/{{ item.url }}">{{ item.title }}</a> {{ item.summary | safe }} {{ item.content | safe }}</li>
  {% endfor %}
  </ol>
  {% if articles_page is defined %}
    <p>{{ articles_page.number }} / {{ articles_paginator.num_pages }}</p>
    {% if articles_previous_page %}<a href="{{ SITEURL }}/{{ articles_previous_page.url }}">prev</a>{% endif %}
    {% if articles_next_page %}<a href="{{ SITEURL }}/{{ articles_next_page.url }}">next</a>{% endif %}
  {% endif %}
  <ul>{% for item in dates %}<li>{{ item.date.isoformat() }} {{ item.slug }}</li>{% endfor %}</ul>
{% endblock content %}
"""

INDEX = """{% extends "base.html" %}
{% block content %}
  <ul>{% for name, items in collection %}<li><a href="{{ SITEURL }}/{{ name.url }}">{{ name }}</a>
  {{ items | length }}</li>{% endfor %}</ul>
{% endblock content %}
"""

# Pelican's own listing pages, which the theme leaves to Pelican's simple theme.
TEMPLATES = {
    "tag.html": LISTING.replace("{{ heading }}", "{{ tag }}"),
    "category.html": LISTING.replace("{{ heading }}", "{{ category }}"),
    "author.html": LISTING.replace("{{ heading }}", "{{ author }}"),
    "period_archives.html": LISTING.replace("{{ heading }}", "{{ period | join(' ') }}"),
    "tags.html": INDEX.replace("collection", "tags"),
    "categories.html": INDEX.replace("collection", "categories"),
    "authors.html": INDEX.replace("collection", "authors"),
}


def files(count: int = 20, translations: bool = True) -> dict[str, str]:
    """The site's sources, by path."""
    site = {
        "experts/ana-roy.yml": profile(
            "Ana Roy", expertise="[Cloud, Data & IA]", social_feed="true", bio="Ana aime le **cloud**."
        ),
        "experts/bea-sol.yml": profile("Béa Sol", expertise="[Data & IA, Cybersécurité]"),
        "experts/chloe-dupont.yml": profile("Chloé Dupont", expertise="[Cloud]"),
        "experts/david-lee.yml": profile("David Lee", expertise="[Cybersécurité]"),
        "data/social/ana-roy.json": json.dumps(POSTS, ensure_ascii=False, indent=2) + "\n",
        "content/pages/a-propos.md": "Title: À propos\nSlug: a-propos\n\nNous.\n",
        "content/images/schema.svg": SVG,
        "content/articles/brouillon.md": article("Un brouillon", "bea-sol", status="draft"),
        "content/articles/cache.md": article("Un article caché", "bea-sol", status="hidden"),
        "content/articles/futur.md": article(
            "Un article programmé", "ana-roy", date="2099-01-15T09:00:00+01:00"
        ),
        "content/articles/ailleurs.md": article("Rangé ailleurs", "david-lee", save_as="ailleurs/index.html"),
    }
    for n in range(count):
        site[f"content/articles/article-{n:02d}.md"] = _article(n)
    for n in (0, 2, 7, 11) if translations else ():
        site[f"content/articles/article-{n:02d}.en.md"] = _translation(n)
    return site


def make(base: Path, count: int = 20, translations: bool = True) -> Path:
    """The site under ``base``: sources, and the templates of Pelican's listing pages."""
    site = write_site(base, files(count, translations))
    write_files(base / "templates", TEMPLATES)
    return site


TAXONOMIES = {
    "TAG_SAVE_AS": "tags/{slug}.html",
    "TAG_URL": "tags/{slug}.html",
    "TAGS_SAVE_AS": "tags/index.html",
    "CATEGORY_SAVE_AS": "categories/{slug}.html",
    "CATEGORY_URL": "categories/{slug}.html",
    "CATEGORIES_SAVE_AS": "categories/index.html",
    "AUTHOR_SAVE_AS": "authors/{slug}.html",
    "AUTHOR_URL": "authors/{slug}.html",
    "AUTHORS_SAVE_AS": "authors/index.html",
    "DIRECT_TEMPLATES": ["index", "archives", "search", "tags", "categories", "authors"],
    "YEAR_ARCHIVE_SAVE_AS": "archives/{date:%Y}/index.html",
    "MONTH_ARCHIVE_SAVE_AS": "archives/{date:%Y}/{date:%m}/index.html",
}
PAGINATION = {
    "DEFAULT_PAGINATION": 3,
    "PAGINATION_PATTERNS": [
        (1, "{url}", "{save_as}"),
        (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
    ],
}
ABSOLUTE = {"RELATIVE_URLS": False, "SITEURL": "https://clairvoie.example"}
FEEDS = {
    "FEED_DOMAIN": "https://clairvoie.example",
    "FEED_ATOM": "feeds/index.atom.xml",
    "FEED_RSS": "feeds/index.rss.xml",
    "FEED_ALL_ATOM": "feeds/all.atom.xml",
    "FEED_ALL_RSS": "feeds/all.rss.xml",
    "CATEGORY_FEED_ATOM": "feeds/category-{slug}.atom.xml",
    "CATEGORY_FEED_RSS": "feeds/category-{slug}.rss.xml",
    "TAG_FEED_ATOM": "feeds/tag-{slug}.atom.xml",
    "TAG_FEED_RSS": "feeds/tag-{slug}.rss.xml",
    "AUTHOR_FEED_ATOM": "feeds/author-{slug}.atom.xml",
    "AUTHOR_FEED_RSS": "feeds/author-{slug}.rss.xml",
    "TRANSLATION_FEED_ATOM": "feeds/all-{lang}.atom.xml",
    "TRANSLATION_FEED_RSS": "feeds/all-{lang}.rss.xml",
}
ONE_LANGUAGE = {"LANGUAGES": ("fr",)}


def overrides(base: Path, output: Path, cache: Path, settings: dict | None = None, **speed) -> dict:
    """What a build of the site under ``base`` into ``output`` overrides of pelicanconf.py."""
    return {
        **site_overrides(base, output),
        "CACHE_PATH": str(cache),
        "THEME_TEMPLATES_OVERRIDES": [str(base / "templates")],
        "SPEED": speed,
        **(settings or {}),
    }


def build(settings: dict, conf: Path = PREVIEW_CONF) -> None:
    """A build with these overrides of ``conf``, through the build driver; fails the test if it fails."""
    err = io.StringIO()
    assert main(str(conf), overrides=settings, stream=err) == 0, err.getvalue()
