"""Share links on article pages, and the three internal pages with dashboard.json.

Runs after the articles and experts generators (see ``register``), so it sees
every article dated, marked scheduled and attributed, and every expert page.
"""

from __future__ import annotations

import json
from pathlib import Path
from zoneinfo import ZoneInfo

from pelican.generators import Generator

from ambassade.profiles import sort_key
from ambassade.share import SharingSettings, share_texts
from ambassade.site import SiteSettings, social_path

from . import dashboard, scoring, sharekit, sharelinks, sources
from .charts import bar_chart
from .settings import AdvocacySettings

PAGES = ("share_kit", "leaderboard", "dashboard")
"""Each internal page: its template, and the prefix of its ``*_save_as`` setting."""


def pages_enabled(settings: dict) -> bool:
    """The share kit, leaderboard and dashboard are for the programme, not for visitors."""
    conf = AdvocacySettings.of(settings)
    return bool(conf.public or conf.internal or settings.get("PREVIEW"))


def page_url(save_as: str) -> str:
    return save_as[: -len("index.html")] if save_as.endswith("index.html") else save_as


class AdvocacyGenerator(Generator):
    def generate_context(self) -> None:
        conf = AdvocacySettings.of(self.settings)
        origin = SiteSettings.of(self.settings).origin
        utm = SharingSettings.of(self.settings).utm
        articles = self.context.get("articles", [])
        self.pages: dict[str, dict] = {}
        self.dashboard_json: dict | None = None
        if conf.share_links:
            # Scheduled articles too: the preview shows reviewers what visitors will get.
            for article, _ in sources.published_versions(articles):
                article.share_bar = sharelinks.share_bar(
                    share_texts(article.metadata),
                    url=f"{origin}/{article.url}",
                    title=article.title,
                    networks=conf.networks,
                    utm=utm,
                )
        if not pages_enabled(self.settings):
            return

        tz = ZoneInfo(self.settings["TIMEZONE"])
        today = sources.build_date(conf.today, self.settings["TIMEZONE"])
        # Only published experts have a page: nobody else is counted, nor named.
        pages = self.context.get("experts_by_slug", {})
        published = {slug: page.profile for slug, page in pages.items()}
        facts = sources.article_facts(articles, today, tz)
        social_dir = social_path(self.settings)
        posts = sources.post_days(social_dir, published, tz)
        contribs = scoring.contributions((f for _, f in facts), posts, today)
        people = {
            slug: scoring.Person(e.name, pages[slug].url, e.leaderboard) for slug, e in published.items()
        }

        kit, without_text = [], 0
        for article, _ in facts:
            texts = share_texts(article.metadata)
            if texts:
                url = f"{origin}/{article.url}"
                kit.append(sharekit.kit_article(article, texts, url=url, utm=utm))
            else:
                without_text += 1
        figures = dashboard.build(
            [f for _, f in facts],
            contribs,
            {slug: e.audience for slug, e in published.items()},
            today=today,
            months=conf.months,
            weeks=conf.weeks,
            top_topics=conf.top_topics,
            weights=conf.points,
            locale=self.settings["DEFAULT_LANG"],
            sort_key=sort_key,
        )
        self.dashboard_json = dashboard.as_json(figures)
        boards = scoring.leaderboard(contribs, people, conf.points, today, sort_key)
        links = {name: page_url(getattr(conf, f"{name}_save_as")) for name in PAGES}
        common = {"advocacy_links": links, "as_of": today}
        self.pages = {
            "share_kit": {**common, "kit": kit, "articles_without_text": without_text},
            "leaderboard": {**common, "boards": boards, "weights": conf.points},
            "dashboard": {
                **common,
                "dashboard": figures,
                "bar_chart": bar_chart,
                "dashboard_json_url": conf.dashboard_json_save_as,
            },
        }

    def generate_output(self, writer) -> None:
        conf = AdvocacySettings.of(self.settings)
        for name, variables in self.pages.items():
            writer.write_file(
                getattr(conf, f"{name}_save_as"),
                self.get_template(name),
                self.context,
                relative_urls=self.settings["RELATIVE_URLS"],
                lang=self.settings["DEFAULT_LANG"],
                page_name=name.replace("_", "-"),
                **variables,
            )
        if self.dashboard_json is not None:
            path = Path(self.output_path) / conf.dashboard_json_save_as
            path.parent.mkdir(parents=True, exist_ok=True)
            text = json.dumps(self.dashboard_json, ensure_ascii=False, indent=2, sort_keys=True)
            path.write_text(text + "\n", encoding="utf-8")
