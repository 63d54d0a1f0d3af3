"""What a visitor takes away from the experts: contact cards, QR codes, calendars of talks.

Every published expert gets a vCard and a QR code of their page; one who has
talks gets their calendar; the agenda gets the calendar of every talk. Made
from the published pages alone: a person who has not opted in has none of
these files, as they have no page.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ambassade import fastpath, making
from ambassade.engagements import day_of
from ambassade.filecache import Store, digest
from ambassade.i18n import catalog
from ambassade.languages import in_language
from ambassade.output import put
from ambassade.site import SiteSettings

from . import qr
from .calendar import calendar
from .settings import ExpertsSettings
from .vcard import vcard


def urls(conf: ExpertsSettings, slug: str, *, has_talks: bool) -> dict[str, str]:
    """An expert's files, by kind: URLs from the site's root, in the default language."""
    files = {
        "vcard": conf.vcard_save_as.format(slug=slug),
        "qr": conf.qr_save_as.format(slug=slug),
    }
    if has_talks:
        files["calendar"] = conf.calendar_save_as.format(slug=slug)
    return files


def agenda_links(conf: ExpertsSettings, *, has_talks: bool) -> dict[str, str | None]:
    """The agenda, its calendar (None when there is no talk at all) and the speakers' view."""
    return {
        "page": conf.agenda_save_as.removesuffix("index.html"),
        "calendar": conf.agenda_calendar_save_as if has_talks else None,
        "speakers": conf.speakers_save_as.removesuffix("index.html"),
    }


def write(settings: dict[str, Any], context: dict[str, Any], output: Path) -> None:
    """Write every expert's files, and the agenda's calendar, in each language of the site."""
    site = SiteSettings.of(settings)
    conf = ExpertsSettings.of(settings)
    default = settings["DEFAULT_LANG"]
    languages = settings.get("LANGUAGES", (default,))
    experts = context["experts"]
    codes = Store(settings["CACHE_PATH"], "qr")
    previous = fastpath.previous_output(settings)
    missing: dict[str, tuple[str, str]] = {}
    keys = []
    for page in experts:
        photo = page.portrait.fallback.url if page.portrait is not None else None
        card = vcard(page, origin=site.origin, organization=site.organization.name, photo_url=photo)
        _put(output, page.files["vcard"], card, previous)
        url, title = f"{site.origin}/{page.url}", page.name
        keys.append(digest(*qr.key_of(url, title)))
        if not codes.has(keys[-1], "qr.svg"):
            missing[keys[-1]] = (url, title)
    # On every core: the first build draws them all.
    making.run([making.Job(_qr, spec, codes, key) for key, spec in missing.items()], workers=0)
    for page, key in zip(experts, keys, strict=True):
        codes.link(key, "qr.svg", output / page.files["qr"])
    everyone = sorted(
        ((talk, page) for page in experts for talk in page.profile.talks),
        key=lambda item: (day_of(item[0].start), item[0].title, item[1].slug),
    )
    for lang in languages:
        _ = catalog(settings["THEME"], lang).gettext
        common = {"origin": site.origin, "timezone": settings["TIMEZONE"], "lang": lang, "_": _}
        for page in experts:
            if "calendar" in page.files:
                talks = [(talk, page) for talk in reversed(page.profile.talks)]
                name = _("%(name)s: talks") % {"name": page.name}
                rel = in_language(page.files["calendar"], lang, default)
                _put(output, rel, calendar(talks, name=name, **common), previous)
        if everyone:
            name = _("%(site)s: talks by our experts") % {"site": settings["SITENAME"]}
            rel = in_language(conf.agenda_calendar_save_as, lang, default)
            _put(output, rel, calendar(everyone, name=name, **common), previous)


def _qr(spec: tuple[str, str]) -> dict[str, bytes]:
    return {"qr.svg": qr.svg(*spec)}


def _put(output: Path, rel: str, text: str, previous: Path | None) -> None:
    # Bytes as they are: both formats end their lines with CRLF.
    put(output, rel, text.encode("utf-8"), previous)
