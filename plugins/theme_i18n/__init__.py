"""Theme strings in the site's language (Jinja2 i18n, Babel catalogs), dates per language.

Catalogs live in the theme (``theme/translations/<lang>/LC_MESSAGES/messages.po``)
and are compiled in memory at each build, so no generated ``.mo`` file is kept
in git and a translator's edit shows up in the next preview.
"""

from __future__ import annotations

import datetime as dt
import gettext
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations
from pelican import signals


@lru_cache(maxsize=8)
def translations(theme: str, lang: str) -> gettext.NullTranslations:
    po = Path(theme) / "translations" / lang / "LC_MESSAGES" / "messages.po"
    if not po.is_file():
        return gettext.NullTranslations()
    with po.open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    mo = BytesIO()
    write_mo(mo, catalog)
    mo.seek(0)
    return Translations(mo)


def date_filter(default_lang: str):
    def localdate(value: dt.date, lang: str | None = None, fmt: str = "long") -> str:
        return format_date(value, format=fmt, locale=lang or default_lang)

    return localdate


def install(generator) -> None:
    """Give every generator's Jinja environment the catalog of the site's language."""
    env = getattr(generator, "env", None)
    if env is None:
        return
    lang = generator.settings["DEFAULT_LANG"]
    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_translations(translations(generator.settings["THEME"], lang), newstyle=True)
    env.filters["localdate"] = date_filter(lang)


def register() -> None:
    """Hook at ``generator_init``: every generator has built its Jinja env, none has rendered yet."""
    signals.generator_init.connect(install)
