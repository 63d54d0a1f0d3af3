"""Share links on article pages, the short links, and the internal pages with their data files.

Runs after the articles and experts generators (see ``register``), so it sees
every article dated, marked scheduled and attributed, and every expert page.
Everything is computed in :meth:`generate_context` from the context, the
share items, the campaigns, the social snapshots and the stats file (all read
while the build runs, so the fast path knows them as inputs); pages are
written through Pelican's writer, data files (dashboard.json, the CSV exports)
beside them.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.numbers import format_percent
from jinja2 import pass_context
from pelican.generators import Generator

from ambassade.i18n import catalog, number
from ambassade.languages import in_language, page_lang
from ambassade.profiles import sort_key
from ambassade.rules.context import CharterSettings
from ambassade.rules.items import load_items
from ambassade.share import SharingSettings, share_texts, short_link_save_as
from ambassade.share_items import load_campaigns
from ambassade.site import SiteSettings, social_path

from . import clicks, dashboard, kit, scoring, sharekit, sharelinks, shares, sources, tables
from .charts import bar_chart
from .settings import AdvocacySettings
from .stats import stats_path

log = logging.getLogger(__name__)

PAGES = ("share_kit", "leaderboard", "dashboard")
"""Each internal page: its template, and the prefix of its ``*_save_as`` setting."""


def pages_enabled(settings: dict) -> bool:
    """The share kit, leaderboard and dashboard are for the programme, not for visitors."""
    conf = AdvocacySettings.of(settings)
    return bool(conf.public or conf.internal or settings.get("PREVIEW"))


def page_url(save_as: str) -> str:
    return save_as[: -len("index.html")] if save_as.endswith("index.html") else save_as


def network_names(gettext) -> dict[str, str]:
    return {
        "linkedin": "LinkedIn",
        "x": "X",
        "mastodon": "Mastodon",
        "bluesky": "Bluesky",
        "email": gettext("E-mail"),
        "github": "GitHub",
        "website": gettext("Website"),
    }


@pass_context
def number_filter(ctx, value: int | float) -> str:
    """A number as the page's language writes it: 40 875 in French, 40,875 in English."""
    return number(value, page_lang(ctx))


@pass_context
def percent_filter(ctx, value: float | None, signed: bool = False) -> str:
    """A fraction as a percentage in the page's language (42 %); ``signed``: a change (+12 %)."""
    if value is None:
        return "—"
    text = format_percent(value, locale=page_lang(ctx))
    return f"+{text}" if signed and value > 0 else text


class AdvocacyGenerator(Generator):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The programme's pages show counts: each in the way its language writes numbers.
        self.env.filters["number"] = number_filter
        self.env.filters["percent"] = percent_filter

    def generate_context(self) -> None:
        conf = AdvocacySettings.of(self.settings)
        sharing = SharingSettings.of(self.settings)
        charter = CharterSettings.of(self.settings)
        origin = SiteSettings.of(self.settings).origin
        articles = self.context.get("articles", [])
        default = self.settings["DEFAULT_LANG"]
        self.writes: list[tuple[str, str, dict]] = []
        """(save_as, template, variables) of each page to write."""
        self.data: dict[str, str] = {}
        """Data files by path in the output: dashboard.json, the CSV exports."""
        if conf.share_links:
            # Scheduled articles too: the preview shows reviewers what visitors will get.
            for article, _ in sources.published_versions(articles):
                article.share_bar = sharelinks.share_bar(
                    share_texts(article.metadata),
                    url=f"{origin}/{article.url}",
                    title=article.title,
                    networks=conf.networks,
                    utm=sharing.utm,
                )

        tz = ZoneInfo(self.settings["TIMEZONE"])
        today = sources.build_date(conf.today, self.settings["TIMEZONE"])
        experts = self.context.get("experts_by_slug", {})
        # Only published experts have a page: nobody else is counted, nor named.
        published = {slug: page.profile for slug, page in experts.items()}
        facts = sources.article_facts(articles, today, tz)
        campaigns, _findings = load_campaigns(self.settings)  # the rules have reported its mistakes
        links = sharekit.Links(
            origin, sharing.utm, sharing.short_links, sharing.short_links_path, sharing.tag_outside_links
        )

        def authors(article) -> tuple[tuple[str, str], ...]:
            return tuple(
                (a.name, experts[a.slug].url) for a in getattr(article, "authors", []) if a.slug in experts
            )

        disclosure = charter.disclosure if charter.share_disclosure else (lambda lang: None)
        made = kit.from_articles(
            facts,
            origin=origin,
            campaigns=campaigns,
            links=links,
            networks=conf.networks,
            disclosure=disclosure,
            authors=authors,
        ) + kit.from_share_items(
            load_items(self.settings),
            campaigns=campaigns,
            links=links,
            networks=conf.networks,
            disclosure=disclosure,
            markdown_settings=self.settings["MARKDOWN"],
        )
        if sharing.short_links:
            # Every item that entered the kit, ended ones too: links already posted keep working.
            for m in kit.entered(made, today):
                for net in m.item.networks:
                    target = m.destination.tagged(
                        sharing.utm, net.network, tag=sharing.tag_outside_links or not m.outside
                    )
                    self.writes.append(
                        (
                            short_link_save_as(m.item.code, net.network, sharing.short_links_path),
                            "go",
                            {
                                "target": target,
                                "short_url": net.link,
                                "item": m.item,
                                "summary": m.summary,
                                "lang": m.item.lang,
                            },
                        )
                    )
        if not pages_enabled(self.settings):
            return

        # Clicks counted for a colleague only while they consent; the others are nobody's.
        consenting = sorted(
            (slug for slug, e in published.items() if e.share_stats),
            key=lambda s: sort_key(published[s].name),
        )
        try:
            stats = clicks.load(stats_path(self.settings))
        except clicks.StatsFileError as exc:
            # Figures of an internal page: the build goes on without them, and says why.
            log.warning(
                "%s", _("%(problem)s; the dashboard shows no click (run invoke stats again)", problem=exc)
            )
            stats = None
        clicked = stats.without_people(consenting).rows() if stats is not None else None
        posts = sources.posts_of(social_path(self.settings), published, tz)
        pages_by_url = {shares.normalized(m.destination.url): m.item.code for m in made}
        found = shares.found(
            posts,
            clicked or [],
            pages_by_url,
            shares.short_link_re(origin, sharing.short_links_path),
            today,
        )
        contribs = scoring.contributions(
            (f for _, f in facts),
            {slug: [p.day for p in theirs] for slug, theirs in posts.items()},
            today,
            [(s.day, s.person) for s in found],
        )
        people = {
            slug: scoring.Person(e.name, experts[slug].url, e.leaderboard) for slug, e in published.items()
        }
        boards = scoring.leaderboard(contribs, people, conf.points, today, sort_key, conf.streak_months)
        current = sharekit.current([m.item for m in made], today)
        running = sorted((c for c in campaigns.values() if c.running(today)), key=lambda c: (c.start, c.slug))
        without_text = sum(1 for _, f in facts if not f.share_texts)
        items_by_code = {
            m.item.code: (m.item.title, m.item.url, m.item.campaign.slug if m.item.campaign else None)
            for m in made
        }

        links_by_page = {name: page_url(getattr(conf, f"{name}_save_as")) for name in PAGES}
        for lang in self.settings.get("LANGUAGES", (default,)):
            gettext = catalog(self.settings["THEME"], lang).gettext
            names = network_names(gettext)
            figures = dashboard.programme(
                dashboard.build(
                    [f for _, f in facts],
                    contribs,
                    {slug: e.audience for slug, e in published.items()},
                    today=today,
                    months=conf.months,
                    weeks=conf.weeks,
                    top_topics=conf.top_topics,
                    weights=conf.points,
                    locale=lang,
                    sort_key=sort_key,
                ),
                facts=[f for _, f in facts],
                contribs=contribs,
                shares=found,
                clicks=clicked,
                members=len(published),
                headcount=conf.eligible_headcount,
                days=conf.period_days,
                items=items_by_code,
                campaigns={slug: (c.name_in(lang), c.clicks_goal) for slug, c in campaigns.items()},
                network_names=names,
                locale=lang,
            )
            if lang == default:
                self.data[conf.dashboard_json_save_as] = (
                    json.dumps(dashboard.as_json(figures), ensure_ascii=False, indent=2, sort_keys=True)
                    + "\n"
                )
            all_tables = tables.tables(figures, gettext, names)
            folder = page_url(in_language(conf.dashboard_save_as, lang, default))
            for table in all_tables:
                self.data[folder + table.csv_name] = tables.as_csv(table, lang, conf.csv_lines)
            common = {
                "advocacy_links": links_by_page,
                "as_of": today,
                "lang": lang,
                "network_names": names,
            }
            variables = {
                "share_kit": {
                    **common,
                    "kit": current,
                    "campaigns": running,
                    "articles_without_text": without_text,
                    "people": [(slug, published[slug].name) for slug in consenting]
                    if sharing.person_links
                    else [],
                    "person_param": "p",
                },
                "leaderboard": {
                    **common,
                    "boards": boards,
                    "weights": conf.points,
                    "badges": scoring.BADGES,
                    "streak_months": conf.streak_months,
                },
                "dashboard": {
                    **common,
                    "dashboard": figures,
                    "tables": {t.id: t for t in all_tables},
                    "bar_chart": bar_chart,
                    "dashboard_json_url": conf.dashboard_json_save_as,
                    "stats_file": conf.stats_file,
                },
            }
            for name in PAGES:
                save_as = in_language(getattr(conf, f"{name}_save_as"), lang, default)
                self.writes.append((save_as, name, {**variables[name], "page_name": name.replace("_", "-")}))

    def generate_output(self, writer) -> None:
        relative = self.settings["RELATIVE_URLS"]
        default = self.settings["DEFAULT_LANG"]
        for save_as, template, variables in self.writes:
            writer.write_file(
                save_as,
                self.get_template(template),
                self.context,
                relative_urls=relative,
                **{"lang": default, **variables},
            )
        for rel, text in self.data.items():
            path = Path(self.output_path) / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
