"""The redirect pages and the host's redirect rules of one build."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from pelican.generators import Generator

from ambassade.headers import nginx_redirects, redirects_file, settings_of
from ambassade.i18n import _
from ambassade.output import HOST_FILES
from ambassade.rules.redirects import KEY, normalize, paths, save_as

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Redirect:
    old: str
    """The old address, as a path of the output: ``articles/ancien-titre/``."""
    new: str
    """The page's address now: ``articles/nouveau-titre/``."""
    title: str
    lang: str
    save_as: str
    """Where the redirect page is written."""


class RedirectsGenerator(Generator):
    """Reads every page's old addresses; writes a redirect page at each, and the host's rules."""

    def generate_context(self) -> None:
        written = {
            getattr(c, "save_as", "")
            for key in ("articles", "translations", "pages", "translations_pages", "hidden_pages")
            for c in self.context.get(key, [])
        }
        written |= {getattr(e, "save_as", "") for e in self.context.get("experts", [])}
        found: dict[str, Redirect] = {}
        for item, addresses in self._sources():
            for address in addresses:
                path = normalize(address)
                if path is None:
                    continue  # the rules report it (redirect-from); the build has stopped before this
                target = save_as(path)
                new = item.url
                if target in written:
                    log.error(
                        _(
                            "%(source)s: the old address /%(old)s is a page of the site: no redirect written",
                            source=self._where(item),
                            old=path,
                        )
                    )
                    continue
                if target in found and found[target].new != new:
                    log.error(
                        _(
                            "%(source)s: /%(old)s already redirects to /%(other)s: "
                            "no second redirect written",
                            source=self._where(item),
                            old=path,
                            other=found[target].new,
                        )
                    )
                    continue
                title = str(getattr(item, "title", None) or getattr(item, "name", ""))
                lang = str(getattr(item, "lang", None) or self.settings["DEFAULT_LANG"])
                found[target] = Redirect(path, new, title, lang, target)
        self.context["redirects"] = sorted(found.values(), key=lambda r: r.old)

    def _sources(self):
        """Each published page and its ``Redirect-From`` addresses; each published expert's."""
        for key in ("articles", "translations", "pages", "translations_pages"):
            for content in self.context.get(key, []):
                value = content.metadata.get(KEY)
                if value:
                    yield content, paths(value)
        for expert in self.context.get("experts", []):
            addresses = getattr(expert.profile, "redirect_from", None)
            if addresses:
                yield expert, list(addresses)

    @staticmethod
    def _where(item) -> str:
        source = getattr(item, "source_path", None) or getattr(
            getattr(item, "profile", None), "source_path", ""
        )
        return str(source)

    def generate_output(self, writer) -> None:
        redirects: list[Redirect] = self.context.get("redirects", [])
        template = self.get_template("redirect")
        for redirect in redirects:
            writer.write_file(
                redirect.save_as,
                template,
                self.context,
                relative_urls=self.settings["RELATIVE_URLS"],
                redirect=redirect,
                page_name=redirect.old,
            )
        # Small files made from the context: written anew by every build (ARCHITECTURE.md, rule 4).
        conf = settings_of(self.settings)
        moves = [(r.old, r.new) for r in redirects]
        base = urlsplit(str(self.settings.get("SITEURL") or "")).path.rstrip("/")
        folder = Path(self.output_path) / HOST_FILES
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in (
            (conf.redirects_file, redirects_file(moves, base)),
            (conf.nginx_redirects_file, nginx_redirects(moves, base)),
        ):
            if name:
                (folder / name).write_text(text, encoding="utf-8")
