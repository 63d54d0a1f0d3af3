"""Slugs and URLs as Pelican makes them, for files that Pelican has not read yet."""

from __future__ import annotations

import datetime as dt

from pelican.utils import slugify

from ambassade import dates
from ambassade.share import CODE_RE, SharingSettings, article_key, item_code, shared_url, short_link
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


def article_url(doc: Document, ctx: Context, network: str | None = None) -> str:
    """The article's absolute URL once published, the link sharing appends to a text.

    ``SITE['origin']`` is the public address even in the preview (whose
    ``SITEURL`` is relative); UTM tags are added as the article's share links
    add them, or, given ``network``, as the kit's links do when short links are
    off, so a text checked to fit is the text posted.
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
    url = f"{origin(ctx)}/{path}"
    utm = SharingSettings.of(ctx.settings).utm
    if network is None:
        # The article's own share links: tags that name a network, campaign or item are left out there.
        return shared_url(url, utm)
    return shared_url(url, utm, network=network, campaign=doc.value("campaign"), item=share_code(doc, ctx))


def origin(ctx: Context) -> str:
    """The site's public address, without a final /."""
    base = SiteSettings.of(ctx.settings).origin or ctx.setting("SITEURL") or ""
    if not base.startswith(("http://", "https://")):
        base = ctx.settings.get("FEED_DOMAIN") or "https://example.org"
    return base.rstrip("/")


def is_share_item(doc: Document, ctx: Context) -> bool:
    """Whether ``doc`` is a share item (content/shares/), not an article."""
    content = ctx.content
    if content is None:
        return False
    folder = ctx.resolved(content / SharingSettings.of(ctx.settings).items_path)
    return ctx.resolved(doc.path).is_relative_to(folder)


def share_code(doc: Document, ctx: Context) -> str:
    """The short code of an article or a share item (``share.item_code``)."""
    if is_share_item(doc, ctx):
        chosen = doc.value("code")
        return chosen if CODE_RE.fullmatch(chosen) else item_code(f"share:{doc.path.stem}")
    lang = doc.value("lang") or ctx.setting("DEFAULT_LANG")
    return item_code(article_key(article_slug(doc, ctx), lang))


def kit_link(doc: Document, ctx: Context, network: str) -> str:
    """The link the share kit appends to a text of ``doc`` for ``network``: the short link when
    the settings have them, else the article's (or the outside page's) own."""
    sharing = SharingSettings.of(ctx.settings)
    if sharing.short_links:
        return short_link(origin(ctx), share_code(doc, ctx), network, sharing.short_links_path)
    if is_share_item(doc, ctx):
        url = doc.value("url")
        if not sharing.tag_outside_links:
            return url
        return shared_url(
            url, sharing.utm, network=network, campaign=doc.value("campaign"), item=share_code(doc, ctx)
        )
    return article_url(doc, ctx, network)
