"""Slugs and URLs as Pelican makes them, for files that Pelican has not read yet."""

from __future__ import annotations

import datetime as dt

from pelican.utils import slugify

from ambassade import dates
from ambassade.share import SharingSettings, shared_url
from ambassade.site import SiteSettings

from .context import Context
from .frontmatter import Document


def slug_of(text: str, settings: dict) -> str:
    """The slug Pelican gives ``text`` (a title, a name) with these settings: accents transliterated."""
    from pelican.settings import DEFAULT_CONFIG

    def get(name: str):
        return settings.get(name, DEFAULT_CONFIG[name])

    return slugify(
        text,
        regex_subs=get("SLUG_REGEX_SUBSTITUTIONS"),
        preserve_case=get("SLUGIFY_PRESERVE_CASE"),
        use_unicode=get("SLUGIFY_USE_UNICODE"),
    )


def article_slug(doc: Document, ctx: Context) -> str:
    if doc.value("slug"):
        return doc.value("slug")
    if ctx.setting("SLUGIFY_SOURCE") == "basename":
        return slug_of(doc.path.stem, ctx.settings)  # as Pelican: x.en.md gives "x.en"
    return slug_of(doc.value("title"), ctx.settings)


def article_url(doc: Document, ctx: Context) -> str:
    """The article's absolute URL once published, the link sharing appends to a text.

    ``SITE['origin']`` is the public address even in the preview (whose
    ``SITEURL`` is relative); UTM tags are added as the share links add them,
    so a text checked to fit is the text posted.
    """
    lang = doc.value("lang") or ctx.setting("DEFAULT_LANG")
    # A draft is shared once published, at the URL of a published article.
    name = "ARTICLE_URL" if lang == ctx.setting("DEFAULT_LANG") else "ARTICLE_LANG_URL"
    date = dates.parse(doc.value("date"), ctx.settings) or dt.datetime.now(dt.UTC)
    slug = article_slug(doc, ctx)
    try:
        path = ctx.setting(name).format(slug=slug, lang=lang, date=date, category="", author="")
    except (KeyError, AttributeError, IndexError, ValueError):  # a pattern we cannot fill: a fair guess
        path = f"{slug}/"
    base = SiteSettings.of(ctx.settings).origin or ctx.setting("SITEURL") or ""
    if not base.startswith(("http://", "https://")):
        base = ctx.settings.get("FEED_DOMAIN") or "https://example.org"
    return shared_url(f"{base.rstrip('/')}/{path}", SharingSettings.of(ctx.settings).utm)
