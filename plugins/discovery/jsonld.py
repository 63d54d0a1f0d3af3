"""Structured data (schema.org JSON-LD) for the page being rendered.

Search engines read it to know that an expert page is a person's profile, an
article a blog post by that person, and the home page an organisation.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import pass_context
from markupsafe import Markup

from ambassade import inline_json
from ambassade.engagements import aware
from ambassade.languages import page_lang
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
        "jobTitle": expert.text("role", page_lang(ctx)),
        "worksFor": organization(ctx),
    }
    if expert.topics:
        data["knowsAbout"] = [t.name_in(page_lang(ctx)) for t in expert.topics]
    if expert.links:
        data["sameAs"] = [link.url for link in expert.links]
    portrait = getattr(expert, "portrait", None)
    if portrait is not None:
        data["image"] = _abs(ctx, portrait.fallback.url)
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


def event(ctx, talk, expert) -> dict[str, Any]:
    """A talk as an Event its speaker performs at (the Person by reference)."""
    online = "https://schema.org/OnlineEventAttendanceMode"
    offline = "https://schema.org/OfflineEventAttendanceMode"
    mixed = "https://schema.org/MixedEventAttendanceMode"
    places: list[dict[str, Any]] = []
    if talk.place:
        places.append({"@type": "Place", "name": talk.place, "address": talk.place})
    if talk.online:
        places.append({"@type": "VirtualLocation", "url": talk.url or _abs(ctx, expert.url)})
    data: dict[str, Any] = {
        "@type": "Event",
        "name": talk.title,
        "startDate": _when(ctx, talk.start),
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": mixed if talk.place and talk.online else online if talk.online else offline,
        "location": places[0] if len(places) == 1 else places,
        "performer": {"@id": _abs(ctx, expert.url) + "#person", "@type": "Person", "name": expert.name},
    }
    if talk.end is not None:
        data["endDate"] = _when(ctx, talk.end)
    if talk.url:
        data["url"] = talk.url
    if talk.event:
        data["superEvent"] = {"@type": "Event", "name": talk.event}
    if talk.language:
        data["inLanguage"] = talk.language
    return data


def _when(ctx, value) -> str:
    """A day, or an instant with its offset (the site's time zone when the profile gives none)."""
    return aware(value, ZoneInfo(ctx["TIMEZONE"])).isoformat()


WORK_TYPES = {"paper": "ScholarlyArticle", "book": "Book", "chapter": "Chapter", "report": "Report"}


def work(ctx, publication, expert) -> dict[str, Any]:
    """A publication as a CreativeWork (ScholarlyArticle for a paper) by its author."""
    data: dict[str, Any] = {
        "@type": WORK_TYPES.get(publication.kind, "Article"),
        "name": publication.title,
        "datePublished": publication.date.isoformat(),
        "author": {"@id": _abs(ctx, expert.url) + "#person", "@type": "Person", "name": expert.name},
    }
    if publication.publisher:
        data["publisher"] = {"@type": "Organization", "name": publication.publisher}
    if publication.url:
        data["url"] = publication.url
    return data


def appearance(item) -> dict[str, Any]:
    """A media appearance: a work about the person, by its outlet."""
    data: dict[str, Any] = {
        "@type": "CreativeWork",
        "name": item.title,
        "datePublished": item.date.isoformat(),
        "publisher": {"@type": "Organization", "name": item.outlet},
    }
    if item.url:
        data["url"] = item.url
    return data


def profile(ctx, expert) -> dict[str, Any]:
    """The ProfilePage of an expert: the Person, their talks, their works, the media about them."""
    about = person(ctx, expert)
    talks = [*expert.upcoming_talks, *expert.past_talks]
    if talks:
        about["performerIn"] = [event(ctx, talk, expert) for talk in talks]
    if expert.profile.publications:
        # Person has no property for what they wrote: the works name their author, reversed.
        about["@reverse"] = {"author": [work(ctx, p, expert) for p in expert.profile.publications]}
    if expert.profile.media:
        about["subjectOf"] = [appearance(item) for item in expert.profile.media]
    return {"@type": "ProfilePage", "url": _abs(ctx, expert.url), "mainEntity": about}


@pass_context
def jsonld(ctx) -> Markup:
    """The page's JSON-LD as a ``<script>`` data block, or nothing."""
    if ctx.get("expert") is not None:
        data = profile(ctx, ctx["expert"])
    elif ctx.get("page_name") == "agenda":
        data = {"@graph": [event(ctx, entry.talk, entry.expert) for entry in ctx.get("agenda", [])]}
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
    # Escaped so that no name or title can end or reopen the element (ambassade/inline_json.py).
    text = inline_json.dumps({"@context": "https://schema.org", **data})
    return Markup('<script type="application/ld+json">') + Markup(text) + Markup("</script>")
