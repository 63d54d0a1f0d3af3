"""Keep the theme's translation catalogs in step with its templates.

``invoke translations`` calls :func:`update`: it extracts every string the
templates mark with ``_()``/``ngettext()`` and merges them into each
language's ``messages.po``, so a translator only ever fills in blanks. The
tests call :func:`missing` to fail on any string left untranslated.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

METHODS = [("templates/**.html", "jinja2")]
OPTIONS = {"templates/**.html": {"extensions": "jinja2.ext.i18n"}}


def extract(theme: Path) -> Catalog:
    catalog = Catalog(project="ambassade")
    for _filename, _lineno, message, _comments, context in extract_from_dir(
        theme, METHODS, OPTIONS, keywords={"_": None, "gettext": None, "ngettext": (1, 2)}
    ):
        catalog.add(message, None, context=context, flags=("python-format",) if "%(" in str(message) else ())
    return catalog


def po_path(theme: Path, lang: str) -> Path:
    return theme / "translations" / lang / "LC_MESSAGES" / "messages.po"


def update(theme: Path, languages: list[str]) -> dict[str, int]:
    """Merge the templates' strings into each catalog; return how many are untranslated per language."""
    template = extract(theme)
    counts = {}
    for lang in languages:
        path = po_path(theme, lang)
        if path.is_file():
            with path.open("rb") as fh:
                catalog = read_po(fh, locale=lang)
        else:
            catalog = Catalog(locale=lang, project="ambassade")
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as fh:
            write_po(fh, catalog, no_location=True, sort_output=True, width=100, omit_header=False)
        counts[lang] = len(missing(theme, lang))
    return counts


def missing(theme: Path, lang: str) -> list[str]:
    """Template strings with no translation (or a fuzzy one) in ``lang``'s catalog."""
    path = po_path(theme, lang)
    translated = {}
    if path.is_file():
        with path.open("rb") as fh:
            translated = {m.id: m for m in read_po(fh, locale=lang) if m.id}
    out = []
    for message in extract(theme):
        if not message.id:
            continue
        found = translated.get(message.id)
        strings = found.string if found else None
        if not found or found.fuzzy or not strings or (isinstance(strings, tuple) and not all(strings)):
            out.append(message.id if isinstance(message.id, str) else message.id[0])
    return sorted(out)
