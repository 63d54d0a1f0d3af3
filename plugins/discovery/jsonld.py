"""Structured data (schema.org JSON-LD) for the page being rendered.

Search engines read it to know that an expert page is a person's profile, an
article a blog post by that person, and the home page an organisation.
"""

from __future__ import annotations

import json
from typing import Any

from jinja2 import pass_context
from markupsafe import Markup

from ambassade.site import SiteSettings


def _abs(ctx, url: str) -> str:
    return f"{SiteSettings.of(ctx).origin}/{url}"


def organization(ctx) -> dict[str, Any]:
    org = SiteSettings.of(ctx).organization
    return {
        "@type": "Organization",
        "name": org.name,
        "url": org.url,
        "logo": _abs(ctx, org.logo),
    }


def person(ctx, expert) -> dict[str, Any]:
    data: dict[str, Any] = {
        "@type": "Person",
        "@id": _abs(ctx, expert.url) + "#person",
        "name": expert.name,
        "url": _abs(ctx, expert.url),
        "jobTitle": expert.role,
        "worksFor": organization(ctx),
    }
    if expert.topics:
        data["knowsAbout"] = [t.name for t in expert.topics]
    if expert.links:
        data["sameAs"] = [link.url for link in expert.links]
    if expert.photo_url:
        data["image"] = _abs(ctx, expert.photo_url)
    if expert.languages:
        data["knowsLanguage"] = expert.languages
    return data


def blog_posting(ctx, article) -> dict[str, Any]:
    experts = ctx.get("experts_by_slug", {})
    data: dict[str, Any] = {
        "@type": "BlogPosting",
        "headline": article.title,
        "url": _abs(ctx, article.url),
        "mainEntityOfPage": _abs(ctx, article.url),
        "datePublished": article.date.isoformat(),
        "inLanguage": article.lang,
        "author": [person(ctx, experts[a.slug]) for a in article.authors if a.slug in experts]
        or organization(ctx),
        "publisher": organization(ctx),
    }
    if getattr(article, "modified", None):
        data["dateModified"] = article.modified.isoformat()
    if getattr(article, "summary", None):
        data["description"] = Markup(article.summary).striptags()
    if getattr(article, "tags", None):
        data["keywords"] = [t.name for t in article.tags]
    return data


@pass_context
def jsonld(ctx) -> Markup:
    """The page's JSON-LD as a ``<script>`` data block, or nothing."""
    if ctx.get("expert") is not None:
        data = {
            "@type": "ProfilePage",
            "url": _abs(ctx, ctx["expert"].url),
            "mainEntity": person(ctx, ctx["expert"]),
        }
    elif ctx.get("article") is not None:
        data = blog_posting(ctx, ctx["article"])
    elif ctx.get("page_name") == "index":
        data = organization(ctx)
    else:
        return Markup("")
    return _script(data)


@pass_context
def breadcrumb_jsonld(ctx, crumbs: list) -> Markup:
    """The trail of a page's breadcrumbs (label, address; the page itself without one) as a
    schema.org BreadcrumbList."""
    own = ctx.call(ctx["own_url"]) if "own_url" in ctx else None
    items = []
    for position, (name, url) in enumerate(crumbs, start=1):
        item = {"@type": "ListItem", "position": position, "name": str(name)}
        address = url if url is not None else own
        if address is not None:
            item["item"] = _abs(ctx, address)
        items.append(item)
    return _script({"@type": "BreadcrumbList", "itemListElement": items})


def _script(data: dict[str, Any]) -> Markup:
    text = json.dumps({"@context": "https://schema.org", **data}, ensure_ascii=False, sort_keys=True)
    # "</" would end the script element early; JSON allows it escaped.
    return (
        Markup('<script type="application/ld+json">')
        + Markup(text.replace("</", "<\\/"))
        + Markup("</script>")
    )
