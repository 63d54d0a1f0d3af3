"""Keep the translation catalogs in step with the templates and the tools' messages.

``invoke translations`` calls :func:`update`: it extracts every string the
templates mark with ``_()``/``ngettext()``, every message the application
and its plugins pass to ``ambassade.i18n._``/``ngettext``, the explanations of
the scaffolds (``scaffold/``: new profiles, new articles, the pull-request
template) and the profile schema's descriptions (what ``check`` says a field
must look like), and merges them into each language's ``messages.po`` (one
catalog for the pages and the tools), so a translator only ever fills in
blanks. The tests call :func:`missing` to fail on any string left untranslated.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from .i18n import po_path

TEMPLATES = [("templates/**.html", "jinja2"), ("templates/**.txt", "jinja2")]
TEMPLATE_OPTIONS = {
    "templates/**.html": {"extensions": "jinja2.ext.i18n"},
    "templates/**.txt": {"extensions": "jinja2.ext.i18n"},
}
#: The code whose messages people read, relative to the project's folder.
CODE = [
    ("ambassade/**.py", "python"),
    ("plugins/**.py", "python"),
    ("tasks.py", "python"),
    ("scaffold/**", "jinja2"),
]
#: The profile schema, whose descriptions ``check`` shows translated (ambassade.profiles).
SCHEMA = "experts/schema.json"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2)}
#: The project's folder: the application's code is there, beside the theme.
PROJECT = Path(__file__).resolve().parents[1]


def extract(theme: Path, project: Path | None = PROJECT) -> Catalog:
    """Every string of the templates of ``theme`` and, when ``project`` is given, of its code."""
    catalog = Catalog(project="ambassade")
    found = list(extract_from_dir(theme, TEMPLATES, TEMPLATE_OPTIONS, keywords=KEYWORDS))
    if project is not None:
        found += extract_from_dir(project, CODE, keywords=KEYWORDS, directory_filter=_not_hidden)
        found += [(SCHEMA, 0, text, [], None) for text in schema_descriptions(project / SCHEMA)]
    for _filename, _lineno, message, _comments, context in found:
        catalog.add(message, None, context=context, flags=("python-format",) if "%(" in str(message) else ())
    return catalog


def schema_descriptions(schema: Path) -> list[str]:
    """Every ``description`` of the JSON Schema at ``schema``, in the order of the file."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("description"), str):
                found.append(node["description"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    if schema.is_file():
        walk(json.loads(schema.read_text(encoding="utf-8")))
    return found


def _not_hidden(path: str) -> bool:
    return not any(part.startswith(".") or part == "__pycache__" for part in Path(path).parts)


def update(theme: Path, languages: list[str], project: Path | None = PROJECT) -> dict[str, int]:
    """Merge the strings into each catalog; return how many are untranslated per language."""
    template = extract(theme, project)
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
        counts[lang] = len(missing(theme, lang, project))
    return counts


def missing(theme: Path, lang: str, project: Path | None = PROJECT) -> list[str]:
    """Strings with no translation (or a fuzzy one) in ``lang``'s catalog."""
    path = po_path(theme, lang)
    translated = {}
    if path.is_file():
        with path.open("rb") as fh:
            translated = {m.id: m for m in read_po(fh, locale=lang) if m.id}
    out = []
    for message in extract(theme, project):
        if not message.id:
            continue
        found = translated.get(message.id)
        strings = found.string if found else None
        if not found or found.fuzzy or not strings or (isinstance(strings, tuple) and not all(strings)):
            out.append(message.id if isinstance(message.id, str) else message.id[0])
    return sorted(out)
