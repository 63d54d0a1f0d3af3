"""Rules on share items (``content/shares/*.md``) and on the campaigns they and articles belong to.

Rule ids: ``share-url`` (an outside link: present, https, not on the charter's
deny-list), ``share-date`` (``Date``, ``Share-Until``), ``share-campaign`` (a
campaign the campaigns file defines), ``share-code`` (a short code of one's
own), ``share-text`` (an item with nothing to share), ``campaign`` (the
campaigns file itself).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import urlsplit

from ambassade.diagnostics import Finding, display_path
from ambassade.i18n import _
from ambassade.share import CODE_RE, share_texts
from ambassade.share_items import ShareItem, campaigns_path, item_files, parse_day, share_item

from . import frontmatter
from .context import Context
from .frontmatter import Document


def load_items(settings: Mapping[str, Any]) -> list[ShareItem]:
    """Every well-formed share item of the site, newest first (``invoke check`` reports the others)."""
    items = []
    for path in item_files(settings):
        item = share_item(frontmatter.read(path), settings["DEFAULT_LANG"])
        if item is not None:
            items.append(item)
    items.sort(key=lambda i: (i.day, i.slug), reverse=True)
    return items


def campaign_findings(ctx: Context) -> list[Finding]:
    """The mistakes of the campaigns file."""
    return list(ctx.campaigns[1])


def url_valid(doc: Document, ctx: Context) -> Iterator[Finding]:
    url = doc.get("url")
    if url is None or not url.value:
        yield Finding(
            ctx.where(doc),
            url.line if url else doc.header_end,
            url.col if url else 1,
            "share-url",
            _("the share item has no link"),
            _("a line 'URL: https://…': the page to share"),
        )
        return
    parts = urlsplit(url.value)
    if parts.scheme != "https" or not parts.hostname:
        yield Finding(
            ctx.where(doc),
            url.line,
            url.col,
            "share-url",
            _("'%(url)s' is not an https address", url=url.value),
            _("the page's address starting with https://: a plain http link is not shared"),
        )
        return
    host = parts.hostname.lower().rstrip(".")
    for denied in ctx.charter.share_denied_domains:
        denied = denied.lower().strip().strip(".")
        if host == denied or host.endswith("." + denied):
            yield Finding(
                ctx.where(doc),
                url.line,
                url.col,
                "share-url",
                _("the charter does not allow sharing pages of %(domain)s", domain=denied),
                _("another source for the same news, or ask comms to change the charter"),
            )


def dates_valid(doc: Document, ctx: Context) -> Iterator[Finding]:
    date, until = doc.get("date"), doc.get("share-until")
    expected = _("a day such as 'Date: 2026-11-16': the first day the item is in the share kit")
    day = None
    if date is None or not date.value:
        yield Finding(ctx.where(doc), doc.header_end, 1, "share-date", _("the date is missing"), expected)
    else:
        day = parse_day(date.value)
        if day is None:
            yield Finding(
                ctx.where(doc),
                date.line,
                date.col,
                "share-date",
                _("'%(value)s' is not a day", value=date.value),
                expected,
            )
    if until is None:
        return
    end = parse_day(until.value)
    if end is None:
        yield Finding(
            ctx.where(doc),
            until.line,
            until.col,
            "share-date",
            _("'%(value)s' is not a day", value=until.value),
            _("the last day the item stays in the kit, e.g. 'Share-Until: 2026-11-29'"),
        )
    elif day is not None and end < day:
        yield Finding(
            ctx.where(doc),
            until.line,
            until.col,
            "share-date",
            _("the item leaves the kit (%(until)s) before it enters it (%(date)s)", until=end, date=day),
            _("a 'Share-Until' day on or after 'Date'"),
        )


def campaign_known(doc: Document, ctx: Context) -> Iterator[Finding]:
    campaign = doc.get("campaign")
    if campaign is None or not campaign.value:
        return
    known = ctx.campaigns[0]
    if campaign.value not in known:
        names = ", ".join(sorted(known)) or _("none yet")
        yield Finding(
            ctx.where(doc),
            campaign.line,
            campaign.col,
            "share-campaign",
            _("no campaign is called '%(slug)s'", slug=campaign.value),
            _("a campaign of %(file)s: %(names)s", file=_campaigns_file(ctx), names=names),
        )


def _campaigns_file(ctx: Context) -> str:
    return display_path(campaigns_path(ctx.settings), ctx.root)


def code_valid(doc: Document, ctx: Context) -> Iterator[Finding]:
    code = doc.get("code")
    if code is not None and not CODE_RE.fullmatch(code.value):
        yield Finding(
            ctx.where(doc),
            code.line,
            code.col,
            "share-code",
            _("'%(code)s' is not a short code", code=code.value),
            _("2 to 40 small letters, digits and dashes, e.g. 'rapport-arcep'"),
        )


def has_texts(doc: Document, ctx: Context) -> Iterator[Finding]:
    if not share_texts(doc.entries):
        yield Finding(
            ctx.where(doc),
            doc.header_end,
            1,
            "share-text",
            _("the share item has no text to share"),
            _("at least one line 'Share: …'; repeat it for variants"),
        )
