"""``invoke digest``: what is new in the share kit, as an e-mail and a chat message, per language.

What is new since a day: share items that entered the kit, campaigns that
started, articles by colleagues that were published; and the items leaving the
kit within a week. It is read from the sources with the readers ``check`` uses
(no build needed), so the digest says what the next build's kit shows. Authors
are named only when their profile is published, as on the site.

Each language of the site gets its own message: the e-mail (multipart, plain
text and HTML, from ``theme/templates/email/``), a Slack message and a Teams
card. mail.py sends them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from babel.dates import format_skeleton
from jinja2 import Environment, FileSystemLoader, select_autoescape

from ambassade import dates
from ambassade.i18n import catalog, day, number
from ambassade.profiles import load_profiles
from ambassade.rules import frontmatter
from ambassade.rules.context import Context
from ambassade.rules.items import load_items
from ambassade.rules.slugs import article_slug, origin, share_code
from ambassade.share_items import Campaign, load_campaigns
from ambassade.site import experts_path

from .settings import AdvocacySettings

SINCE_RE = re.compile(r"^(?P<n>\d+)(?P<unit>[dw])$")
ENDING_DAYS = 7
"""Items leaving the kit within this many days are announced as ending."""


def short_day(value: dt.date, lang: str) -> str:
    """A day without its year, as ``lang`` orders it: 28 novembre, November 28."""
    return format_skeleton("MMMMd", value, locale=lang)


class DigestError(ValueError):
    """A digest that cannot be made as asked (``--since`` not understood)."""


def since_day(value: str, today: dt.date) -> dt.date:
    """The first day of the digest: ``7d`` (days), ``2w`` (weeks) before ``today``, or a day (2026-11-27)."""
    match = SINCE_RE.match(value.strip())
    if match:
        n = int(match["n"]) * (7 if match["unit"] == "w" else 1)
        return today - dt.timedelta(days=n - 1)
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise DigestError(value) from None


@dataclass(frozen=True)
class Entry:
    kind: str
    """``article`` or ``outside``."""
    title: str
    url: str
    """Where to read it (our article's page, the outside page)."""
    kit_url: str
    """The item in the share kit, where its texts are."""
    lang: str
    day: dt.date
    summary: str
    authors: tuple[str, ...] = ()
    campaign: Campaign | None = None
    until: dt.date | None = None


@dataclass(frozen=True)
class Digest:
    start: dt.date
    end: dt.date
    kit_url: str
    items: list[Entry] = field(default_factory=list)
    """Outside pages that entered the kit."""
    articles: list[Entry] = field(default_factory=list)
    campaigns: list[Campaign] = field(default_factory=list)
    """Campaigns that started."""
    running: list[Campaign] = field(default_factory=list)
    ending: list[Entry] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.items or self.articles or self.campaigns or self.ending)

    @property
    def count(self) -> int:
        return len(self.items) + len(self.articles) + len(self.campaigns)


def kit_address(settings: Mapping[str, Any]) -> str:
    conf = AdvocacySettings.of(settings)
    if conf.digest.kit_url:
        return conf.digest.kit_url
    path = conf.share_kit_save_as.removesuffix("index.html")
    return f"{origin(Context(set(), settings=dict(settings)))}/{path}"


def gather(settings: dict, start: dt.date, end: dt.date) -> Digest:
    """What is new from ``start`` to ``end`` (both included)."""
    ctx = Context(known_authors=set(), settings=settings)
    kit = kit_address(settings)
    campaigns, _findings = load_campaigns(settings)
    experts, _problems = load_profiles(experts_path(settings), default_lang=settings["DEFAULT_LANG"])
    names = {slug: e.name for slug, e in experts.items() if e.published}

    def within(d: dt.date) -> bool:
        return start <= d <= end

    items, ending = [], []
    for share in load_items(settings):
        entry = Entry(
            "outside",
            share.title,
            share.url,
            f"{kit}#item-{share.code}",
            share.lang,
            share.day,
            _first_paragraph(share.why),
            campaign=campaigns.get(share.campaign or ""),
            until=share.until,
        )
        if within(share.day):
            items.append(entry)
        if share.current(end) and share.until and share.until - end < dt.timedelta(days=ENDING_DAYS):
            ending.append(entry)
    articles = []
    content = Path(settings["PATH"])
    tz = dt.UTC
    for sub in settings["ARTICLE_PATHS"]:
        for path in sorted((content / sub).rglob("*.md")):
            doc = frontmatter.read(path)
            when = dates.parse(doc.value("date") or "", settings)
            if when is None or doc.value("status", "published") != "published":
                continue
            local = when.astimezone(_zone(settings, tz)).date()
            if not within(local):
                continue
            lang = doc.value("lang") or settings["DEFAULT_LANG"]
            slug = article_slug(doc, ctx)
            url_pattern = settings["ARTICLE_URL" if lang == settings["DEFAULT_LANG"] else "ARTICLE_LANG_URL"]
            authors = tuple(names[a.strip()] for a in doc.value("authors").split(",") if a.strip() in names)
            articles.append(
                Entry(
                    "article",
                    doc.value("title"),
                    f"{origin(ctx)}/{url_pattern.format(slug=slug, lang=lang)}",
                    f"{kit}#item-{share_code(doc, ctx)}",
                    lang,
                    local,
                    doc.value("summary"),
                    authors=authors,
                    campaign=campaigns.get(doc.value("campaign")),
                )
            )
    started = sorted((c for c in campaigns.values() if within(c.start)), key=lambda c: (c.start, c.slug))
    running = sorted(
        (c for c in campaigns.values() if c.running(end) and c not in started),
        key=lambda c: (c.start, c.slug),
    )
    return Digest(
        start,
        end,
        kit,
        sorted(items, key=lambda e: (e.day, e.title), reverse=True),
        sorted(articles, key=lambda e: (e.day, e.title), reverse=True),
        started,
        running,
        sorted(ending, key=lambda e: (e.until, e.title)),
    )


def _zone(settings: Mapping[str, Any], fallback: dt.tzinfo) -> dt.tzinfo:
    from zoneinfo import ZoneInfo

    name = settings.get("TIMEZONE")
    return ZoneInfo(name) if name else fallback


def _first_paragraph(markdown: str) -> str:
    return " ".join(markdown.strip().split("\n\n")[0].split()) if markdown else ""


# --- what is said, per language ---------------------------------------------------------------


@dataclass(frozen=True)
class Message:
    lang: str
    subject: str
    text: str
    html: str
    slack: dict
    teams: dict


def _environment(theme: Path, lang: str) -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(theme / "templates")),
        autoescape=select_autoescape(["html"]),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(catalog(theme, lang), newstyle=True)
    env.filters["localdate"] = lambda value, fmt="long": day(value, lang, fmt)
    env.filters["number"] = lambda value: number(value, lang)
    return env


def message(digest: Digest, settings: Mapping[str, Any], lang: str) -> Message:
    """The digest in ``lang``: the e-mail's subject, text and HTML, the chat messages."""
    theme = Path(settings["THEME"])
    _ = catalog(theme, lang).gettext
    ngettext = catalog(theme, lang).ngettext
    prefix = AdvocacySettings.of(settings).digest.subject_prefix
    subject = (
        ngettext(
            "Share kit: %(num)s new since %(day)s",
            "Share kit: %(num)s new since %(day)s",
            digest.count,
        )
        % {"num": number(digest.count, lang), "day": short_day(digest.start, lang)}
        if digest.count
        else _("Share kit: last days of %(num)s items") % {"num": number(len(digest.ending), lang)}
    )
    subject = f"{prefix} {subject}".strip()
    env = _environment(theme, lang)
    values = {"digest": digest, "lang": lang, "subject": subject, "SITENAME": settings.get("SITENAME", "")}
    return Message(
        lang,
        subject,
        env.get_template("email/digest.txt").render(values),
        env.get_template("email/digest.html").render(values),
        slack(digest, subject, _, lang),
        teams(digest, subject, _, lang),
    )


def _lines(digest: Digest, _: Callable[[str], str], lang: str, link: Callable[[str, str], str]) -> list[str]:
    out = []
    for title, entries in (
        (_("New in the kit"), digest.items),
        (_("New articles by colleagues"), digest.articles),
    ):
        if entries:
            out.append(title)
            out += [
                f"• {link(e.kit_url, e.title)}"
                + (" — " + ", ".join(e.authors) if e.authors else "")
                + (f" ({e.campaign.name_in(lang)})" if e.campaign else "")
                for e in entries
            ]
    if digest.campaigns:
        out.append(_("Campaigns starting"))
        out += [
            f"• {c.name_in(lang)}" + (f": {c.goal_in(lang)}" if c.goal_in(lang) else "")
            for c in digest.campaigns
        ]
    if digest.ending:
        out.append(_("Last days in the kit"))
        out += [
            f"• {link(e.kit_url, e.title)} — " + _("until %(day)s") % {"day": short_day(e.until, lang)}
            for e in digest.ending
        ]
    return out


def slack(digest: Digest, subject: str, _: Callable[[str], str], lang: str) -> dict:
    """A Slack incoming-webhook message: a header, the lists as mrkdwn, a link to the kit."""

    def esc(text: str) -> str:
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    lines = _lines(digest, _, lang, lambda url, title: f"<{url}|{esc(title)}>")
    return {
        "text": subject,
        "blocks": [
            {"type": "header", "text": {"type": "plain_text", "text": subject[:150]}},
            {"type": "section", "text": {"type": "mrkdwn", "text": "\n".join(lines)[:3000]}},
            {
                "type": "section",
                "text": {"type": "mrkdwn", "text": f"<{digest.kit_url}|{esc(_('Open the share kit'))}>"},
            },
        ],
    }


def teams(digest: Digest, subject: str, _: Callable[[str], str], lang: str) -> dict:
    """A Teams message for a Workflows webhook: an Adaptive Card with the lists and a button to the kit."""
    lines = _lines(digest, _, lang, lambda url, title: f"[{title}]({url})")
    return {
        "type": "message",
        "attachments": [
            {
                "contentType": "application/vnd.microsoft.card.adaptive",
                "contentUrl": None,
                "content": {
                    "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                    "type": "AdaptiveCard",
                    "version": "1.4",
                    "lang": lang,
                    "body": [
                        {
                            "type": "TextBlock",
                            "text": subject,
                            "weight": "Bolder",
                            "size": "Medium",
                            "wrap": True,
                        },
                        *({"type": "TextBlock", "text": line, "wrap": True} for line in lines),
                    ],
                    "actions": [
                        {"type": "Action.OpenUrl", "title": _("Open the share kit"), "url": digest.kit_url}
                    ],
                },
            }
        ],
    }
