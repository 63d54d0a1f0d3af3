"""What ambassade says to people, in their language: catalogs, messages, numbers and dates.

The theme's templates and the tools' messages (``check``, the build,
``new-*``, ``preview``, ``fetch``, ``publish``) share one set of Babel
catalogs, ``<theme>/translations/<lang>/LC_MESSAGES/messages.po``, with English
msgids. They are compiled in memory when first used (no ``.mo`` file is kept in
git) and again when the file changes, so a translator's edit shows in the next
run of the same process (livereload).

A tool speaks the site's default language (French for the demo), unless the
person asks for another one of the site's languages: ``--lang``, else the
``AMBASSADE_LANG`` environment variable, else the usual gettext variables
(``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``, ``LANG``) when they name one of the
site's languages. Messages are written ``_("unknown author '%(author)s'",
author=name)``: a placeholder is named, as in the templates, so that a
translation may move it. Rule ids and file paths are never translated.
"""

from __future__ import annotations

import ast
import datetime as dt
import gettext
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from typing import Any

from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import Translations

#: The theme of the project itself: its catalogs speak before any settings are read.
PROJECT_THEME = Path(__file__).resolve().parents[1] / "theme"
LANG_VARIABLE = "AMBASSADE_LANG"
_GETTEXT_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def po_path(theme: Path | str, lang: str) -> Path:
    return Path(theme) / "translations" / lang / "LC_MESSAGES" / "messages.po"


def catalog(theme: Path | str, lang: str) -> gettext.NullTranslations:
    """``lang``'s catalog of ``theme``, compiled; no translation at all when it has none."""
    po = po_path(theme, lang)
    try:
        st = po.stat()
    except OSError:
        return gettext.NullTranslations()
    # Keyed by the catalog's stamp too: an edit shows in the next run of the same process.
    return _compiled(str(po), lang, st.st_mtime_ns, st.st_size)


@lru_cache(maxsize=8)
def _compiled(po: str, lang: str, _mtime: int, _size: int) -> gettext.NullTranslations:
    with open(po, "rb") as fh:
        messages = read_po(fh, locale=lang)
    mo = BytesIO()
    write_mo(mo, messages)
    mo.seek(0)
    return Translations(mo)


class _Voice:
    """The language the tools speak now, and where its catalog is."""

    def __init__(self) -> None:
        self.lang = "fr"
        self.theme: Path = PROJECT_THEME

    def translations(self) -> gettext.NullTranslations:
        return catalog(self.theme, self.lang)


_voice = _Voice()


def use(settings: Mapping[str, Any] | None = None, lang: str | None = None) -> str:
    """Speak, from now on, the language asked for (see the module's text); return it."""
    languages: tuple[str, ...] = ()
    default = "fr"
    if settings is not None:
        default = str(settings.get("DEFAULT_LANG") or default)
        languages = tuple(settings.get("LANGUAGES") or (default,))
        if settings.get("THEME"):
            _voice.theme = Path(settings["THEME"])
    _voice.lang = chosen_language(default, languages, lang)
    return _voice.lang


def chosen_language(default: str, languages: tuple[str, ...], asked: str | None = None) -> str:
    """``asked``, else the environment's choice among ``languages``, else ``default``."""
    if asked:
        return asked
    explicit = os.environ.get(LANG_VARIABLE, "").strip()
    if explicit:
        return explicit
    for name in _GETTEXT_VARIABLES:
        value = os.environ.get(name, "")
        # LANGUAGE may list several ("fr:en"); the others name one locale ("fr_FR.UTF-8").
        for part in value.split(":"):
            code = part.split(".")[0].split("@")[0].split("_")[0].lower()
            if code in languages:
                return code
        if value:
            break  # the first variable set decides, as gettext reads them
    return default


def language() -> str:
    """The language the tools speak now."""
    return _voice.lang


@contextmanager
def speaking(lang: str) -> Iterator[str]:
    """Speak ``lang`` for a while (a file written in another language than the tools'), then as before."""
    before, _voice.lang = _voice.lang, lang
    try:
        yield lang
    finally:
        _voice.lang = before


def _(message: str, /, **values: Any) -> str:
    """``message`` in the tools' language, with ``%(name)s`` placeholders filled from ``values``."""
    text = _voice.translations().gettext(message)
    return text % values if values else text


def translated(text: str) -> str:
    """``text``, a msgid found outside the code (a schema's description), in the tools' language."""
    return _voice.translations().gettext(text)


def ngettext(singular: str, plural: str, n: int, /, **values: Any) -> str:
    """The singular or plural form for ``n``; ``%(num)s`` is ``n`` as the language writes numbers."""
    text = _voice.translations().ngettext(singular, plural, n)
    return text % {"num": number(n), **values}


def number(value: int | float, lang: str | None = None) -> str:
    """``value`` as ``lang`` (default: the tools' language) writes numbers: 40 875 in French."""
    return _number(value, lang or _voice.lang)


@lru_cache(maxsize=4096, typed=True)  # typed: 1 and 1.0 are written differently
def _number(value: int | float, lang: str) -> str:
    # Kept: Babel reads the locale anew each time (30 µs), and the leaderboard and dashboard
    # write the same counts on page after page.
    return format_decimal(value, locale=lang)


def day(value: dt.date, lang: str | None = None, fmt: str = "long") -> str:
    """A date as ``lang`` writes it: 14 mars 2026."""
    if isinstance(value, dt.datetime):
        value = value.date()
    return format_date(value, format=fmt, locale=lang or _voice.lang)


def default_language_of(settings_file: Path | str) -> str | None:
    """The ``DEFAULT_LANG`` a settings file assigns literally, read without running it.

    Used to speak the site's language about a settings file that cannot be run.
    """
    try:
        tree = ast.parse(Path(settings_file).read_text(encoding="utf-8"))
    except (OSError, SyntaxError, ValueError):
        return None
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Constant)
            and any(isinstance(t, ast.Name) and t.id == "DEFAULT_LANG" for t in node.targets)
        ):
            return str(node.value.value)
    return None
